/**
 * Shards: one test set split into N contiguous ranges of its scan order, so that N processes (a Slurm
 * array, a Kubernetes Indexed Job, N shells) each classify one range and `featscope merge` joins them
 * (docs/architecture.md, "Shards and parts"). Shard i (0-based) holds rows
 * [floor(i*n/N), floor((i+1)*n/N)): the ranges depend only on n and N, so every process computes the
 * same split from the same scan, and concatenating the parts in index order gives the scan order.
 */
import { UserError } from '../errors.js';

export interface ShardSpec {
  /** 0-based part index, 0 <= index < count. */
  index: number;
  /** Number of parts. */
  count: number;
}

/** A shard placed on a scan of `total` images: its rows are [start, end). */
export interface ShardRows extends ShardSpec {
  start: number;
  end: number;
  total: number;
}

const FORMS =
  '--shard takes i/N (a 0-based part index i of N parts, 0 <= i < N, e.g. 0/4), auto (a Slurm array job) or auto/N (a Kubernetes Indexed Job of N completions)';

/**
 * Resolves `--shard i/N | auto | auto/N`. `auto` reads a Slurm array job's environment (the index is
 * SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN, the count SLURM_ARRAY_TASK_COUNT; the array must be
 * contiguous, e.g. --array=0-3), `auto/N` a Kubernetes Indexed Job's JOB_COMPLETION_INDEX (Kubernetes
 * does not expose the number of completions, so N is given). Bad values are usage errors (exit 2).
 */
export function resolveShard(text: string, env: NodeJS.ProcessEnv = process.env): ShardSpec {
  const t = text.trim();
  if (t === 'auto') return slurmShard(env);
  const k8s = /^auto\/(\d+)$/.exec(t);
  if (k8s) {
    const count = positiveCount(k8s[1], text);
    const raw = env.JOB_COMPLETION_INDEX;
    if (raw === undefined || raw === '') {
      throw new UserError(
        `--shard ${t} reads the part index from JOB_COMPLETION_INDEX, which Kubernetes sets in the pods of an Indexed Job (completionMode: Indexed), but it is not set here. ` +
          'Run it in an Indexed Job, or pass --shard i/N with the index yourself.',
        2,
      );
    }
    const index = wholeNumber(raw);
    if (index === null || index >= count) {
      throw new UserError(
        `--shard ${t}: JOB_COMPLETION_INDEX is "${raw}", not a part index in 0..${count - 1}. ` +
          `Set the Job's completions (and the N of --shard auto/N) to the same number of parts.`,
        2,
      );
    }
    return { index, count };
  }
  const m = /^(\d+)\/(\d+)$/.exec(t);
  if (!m) throw new UserError(`${FORMS} (got "${text}").`, 2);
  const count = positiveCount(m[2], text);
  const index = Number(m[1]);
  if (index >= count) {
    throw new UserError(
      `--shard ${t}: the part index is 0-based, so the ${count} parts are ${count === 1 ? '0/1' : `0/${count} .. ${count - 1}/${count}`}.`,
      2,
    );
  }
  return { index, count };
}

function slurmShard(env: NodeJS.ProcessEnv): ShardSpec {
  const names = ['SLURM_ARRAY_TASK_ID', 'SLURM_ARRAY_TASK_MIN', 'SLURM_ARRAY_TASK_COUNT'] as const;
  const missing = names.filter((n) => env[n] === undefined || env[n] === '');
  if (missing.length > 0) {
    throw new UserError(
      `--shard auto reads the part from a Slurm array job (${names.join(', ')}), but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set here. ` +
        'Submit it as an array (sbatch --array=0-3 ...), or pass --shard i/N yourself (auto/N in a Kubernetes Indexed Job).',
      2,
    );
  }
  const [id, min, count] = names.map((n) => wholeNumber(env[n]!));
  if (id === null || min === null || count === null || count === 0 || id < min) {
    throw new UserError(
      `--shard auto: the Slurm array variables are not whole numbers (${names.map((n) => `${n}=${env[n]}`).join(', ')}).`,
      2,
    );
  }
  const index = id - min;
  if (index >= count) {
    throw new UserError(
      `--shard auto: task ${id} of an array starting at ${min} with ${count} tasks is not part ${index} of ${count}: ` +
        'the array must be contiguous (--array=0-3, not 0-6:2 or 1,3,5). Submit a contiguous array, or pass --shard i/N.',
      2,
    );
  }
  return { index, count };
}

function wholeNumber(s: string): number | null {
  return /^\d+$/.test(s.trim()) ? Number(s.trim()) : null;
}

function positiveCount(s: string, text: string): number {
  const n = Number(s);
  if (!(n >= 1)) throw new UserError(`${FORMS}; the number of parts must be at least 1 (got "${text}").`, 2);
  return n;
}

/**
 * Places a shard on a scan of `total` images. More parts than images is an error (some parts would be
 * empty, and a run of empty parts is almost always a wrong N), reported the same way by every part.
 */
export function shardRows(spec: ShardSpec, total: number, where: string): ShardRows {
  if (spec.count > total) {
    throw new UserError(
      `--shard ${spec.index}/${spec.count}: ${where} has ${total} image${total === 1 ? '' : 's'}, fewer than the ${spec.count} parts, so some parts would be empty. ` +
        `Split it into at most ${total} parts.`,
    );
  }
  const { start, end } = shardRange(total, spec);
  return { ...spec, start, end, total };
}

/** Rows [start, end) of shard `index` of `count` over `total` rows. */
export function shardRange(total: number, spec: ShardSpec): { start: number; end: number } {
  // floor(i * n / N) in exact integer arithmetic (n * N stays far below 2^53 for any test set).
  return {
    start: Math.floor((spec.index * total) / spec.count),
    end: Math.floor(((spec.index + 1) * total) / spec.count),
  };
}

/** `part-<i>-of-<N>`: a part's folder under OUT/parts. */
export function partName(spec: ShardSpec): string {
  return `part-${spec.index}-of-${spec.count}`;
}
