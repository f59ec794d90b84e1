/**
 * `featscope merge --out OUT`: joins the parts OUT/parts/part-<i>-of-<N>/ (src/pipeline/part.ts) into
 * OUT's predictions.csv, features.npy and run.json, as one `classify` of the whole test set writes them.
 * Every part must be there, finished, and made from the same model, layer, preprocessing, classes,
 * featscope version and scan. Parts hold contiguous ranges of the scan order, so the merged files are
 * the parts' rows concatenated in index order: they are streamed part by part (the tables of 50,000
 * images x 1,000 classes do not fit in memory as strings), never parsed.
 */
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CancelledError, UserError } from '../errors.js';
import { writeFileAtomicFrom } from '../io/atomic.js';
import { csvLine } from '../io/csv.js';
import { npyFloat32Header } from '../io/npy.js';
import { FEATURES_FILE, PREDICTIONS_FILE } from './classify-outputs.js';
import { stableJson } from './fingerprint.js';
import { type RunManifest, writeManifest } from './manifest.js';
import { isPartDone, PARTS_DIR, partDir, partsDir, readPartManifest } from './part.js';
import { predictionsHeader } from './predictions-table.js';
import type { StageControl } from './progress.js';
import { partName, shardRange } from './shard.js';

export interface MergeOptions extends StageControl {
  /** The output folder whose `parts/` holds the parts; the merged files are written there. */
  out: string;
}

export interface MergeResult {
  manifest: RunManifest;
  /** Number of parts merged. */
  parts: number;
  files: string[];
  warnings: string[];
  skipped: { path: string; reason: string }[];
}

interface Part {
  index: number;
  dir: string;
  manifest: RunManifest;
}

export async function merge(o: MergeOptions): Promise<MergeResult> {
  const started = performance.now();
  const parts = await readParts(o.out);
  const count = parts.length;
  const first = parts[0].manifest;
  for (const p of parts.slice(1)) checkAgreement(parts[0], p, count);
  let total = 0;
  for (const p of parts) {
    checkRows(p, count);
    total += p.manifest.data!.n;
  }
  const dim = first.features!.dim;
  const k = first.options.topK as number;
  const domainColumn = (first.data?.domains?.length ?? 1) > 1;
  const csvHeader = Buffer.from(
    `${csvLine(predictionsHeader(first.data!.classes, k, domainColumn))}\n`,
    'utf8',
  );

  // Every part file is checked before anything is written.
  for (const p of parts) {
    const n = p.manifest.data!.n;
    await checkPartFile(p, FEATURES_FILE, npyFloat32Header([n, dim]), n * dim * 4);
    await checkPartFile(p, PREDICTIONS_FILE, csvHeader, null);
  }
  let done = 0;
  o.onProgress?.({ stage: 'merge', done, total: count * 2, unit: 'files' });
  const step = () => {
    if (o.signal?.aborted) throw new CancelledError();
    o.onProgress?.({ stage: 'merge', done: ++done, total: count * 2, unit: 'files' });
  };
  await writeFileAtomicFrom(
    join(o.out, FEATURES_FILE),
    (async function* () {
      yield npyFloat32Header([total, dim]);
      for (const p of parts) {
        yield* bytesFrom(join(p.dir, FEATURES_FILE), npyFloat32Header([p.manifest.data!.n, dim]).length);
        step();
      }
    })(),
  );
  await writeFileAtomicFrom(
    join(o.out, PREDICTIONS_FILE),
    (async function* () {
      yield csvHeader;
      for (const p of parts) {
        yield* bytesFrom(join(p.dir, PREDICTIONS_FILE), csvHeader.length);
        step();
      }
    })(),
  );

  const warnings = [...new Set(parts.flatMap((p) => p.manifest.warnings ?? []))];
  const skipped = parts.flatMap((p) => p.manifest.data?.skipped ?? []);
  const partSeconds = parts.reduce((a, p) => a + (p.manifest.stages.classify ?? 0), 0);
  const files = [PREDICTIONS_FILE, FEATURES_FILE, 'run.json'];
  const { shard: _shard, ...common } = first;
  const manifest: RunManifest = {
    ...common,
    command: 'merge',
    createdAt: new Date().toISOString(),
    data: { ...first.data!, n: total, skipped },
    features: { file: FEATURES_FILE, n: total, dim },
    // Images per second of one process, over all parts (each part reports its own in `parts`).
    metrics: { imagesPerSecond: total / Math.max(partSeconds, 1e-9) },
    stages: { merge: (performance.now() - started) / 1000 },
    warnings,
    parts: parts.map((p) => ({
      index: p.index,
      start: p.manifest.shard!.start,
      end: p.manifest.shard!.end,
      n: p.manifest.data!.n,
      host: p.manifest.shard!.host,
      seconds: p.manifest.stages.classify ?? 0,
      imagesPerSecond: (p.manifest.metrics.imagesPerSecond as number) ?? 0,
    })),
    outputs: files,
  };
  await writeManifest(o.out, manifest);
  return { manifest, parts: count, files, warnings, skipped };
}

/** Reads OUT/parts: one set of parts part-0-of-N .. part-(N-1)-of-N, each finished. */
async function readParts(out: string): Promise<Part[]> {
  const parent = partsDir(out);
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    throw new UserError(
      `There are no parts to merge: ${parent} does not exist. Run \`featscope classify --shard i/N --out ${out} ...\` for every part i first.`,
    );
  }
  const counts = new Set<number>();
  for (const name of names) {
    const m = /^part-(\d+)-of-(\d+)$/.exec(name);
    if (m) counts.add(Number(m[2]));
  }
  if (counts.size === 0) {
    throw new UserError(
      `There are no parts to merge in ${parent} (folders part-<i>-of-<N>). Run \`featscope classify --shard i/N --out ${out} ...\` for every part i first.`,
    );
  }
  if (counts.size > 1) {
    const list = [...counts].sort((a, b) => a - b);
    throw new UserError(
      `${parent} holds parts of ${list.length} different splits (${list.map((n) => `of ${n}`).join(', ')}), so it is unclear which to merge. ` +
        `Delete the folders of the split you no longer want (e.g. ${PARTS_DIR}/part-*-of-${list[0]}) and merge again.`,
    );
  }
  const count = [...counts][0];
  const missing: string[] = [];
  const unfinished: string[] = [];
  const parts: Part[] = [];
  for (let index = 0; index < count; index++) {
    const dir = partDir(out, { index, count });
    const exists = await stat(dir).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!exists) missing.push(partName({ index, count }));
    else if (!(await isPartDone(dir))) unfinished.push(partName({ index, count }));
    else parts.push({ index, dir, manifest: await readPartManifest(dir) });
  }
  if (missing.length > 0 || unfinished.length > 0) {
    const say = (list: string[], what: string) =>
      list.length === 0 ? [] : [`${list.length === 1 ? 'part' : 'parts'} ${list.join(', ')} ${what}`];
    const first = missing[0] ?? unfinished[0];
    const i = Number(/^part-(\d+)/.exec(first)![1]);
    throw new UserError(
      `Cannot merge ${parent}: ${[...say(missing, `${missing.length === 1 ? 'is' : 'are'} missing`), ...say(unfinished, `${unfinished.length === 1 ? 'is' : 'are'} not finished (no DONE marker)`)].join('; ')} (of ${count}). ` +
        `Run them (e.g. \`featscope classify --shard ${i}/${count} --out ${out} ...\` with the other parts' arguments; finished parts are skipped) and merge again.`,
    );
  }
  return parts;
}

/** What every part must share with part 0, in the order it is checked. */
const AGREEMENT: [string, (m: RunManifest) => unknown][] = [
  ['featscope version', (m) => m.featscope],
  ['model (sha256)', (m) => m.model?.sha256],
  ['feature layer', (m) => m.model?.layer],
  ['preprocessing', (m) => m.options.preprocess],
  ['classes', (m) => m.data?.classes],
  ['scan of the test set (paths, labels, sizes, modification times)', (m) => m.shard?.scan],
  ['number of images in the scan', (m) => m.shard?.total],
  ['classification output', (m) => [m.options.output, m.options.outputKind]],
  ['input layout', (m) => m.options.layout],
  ['top-k', (m) => m.options.topK],
  ['feature size', (m) => m.features?.dim],
  ['classify options (cache key)', (m) => m.classifyKey],
];

function checkAgreement(ref: Part, p: Part, count: number): void {
  for (const [what, get] of AGREEMENT) {
    const a = stableJson(get(ref.manifest));
    const b = stableJson(get(p.manifest));
    if (a === b) continue;
    const short = (s: string) => (s.length > 80 ? `${s.slice(0, 77)}...` : s);
    throw new UserError(
      `Cannot merge: part ${p.index} of ${count} (${p.dir}) disagrees with part ${ref.index} on the ${what}: ${short(b)} against ${short(a)}. ` +
        `The parts were made by different runs; delete ${p.dir} and run that part again with the same arguments as the others.`,
    );
  }
}

function checkRows(p: Part, count: number): void {
  const s = p.manifest.shard;
  const want = s ? shardRange(s.total, { index: p.index, count }) : null;
  if (
    !s ||
    !want ||
    s.index !== p.index ||
    s.count !== count ||
    s.start !== want.start ||
    s.end !== want.end
  ) {
    throw new UserError(
      `Cannot merge: ${p.dir}/run.json does not describe part ${p.index} of ${count} of the scan. Delete that folder and run its part again.`,
    );
  }
}

/**
 * Checks that a part file starts with the header its run.json implies and (when `size` is known) holds
 * `size` bytes after it; anything else is an error naming the part.
 */
async function checkPartFile(p: Part, file: string, header: Uint8Array, size: number | null): Promise<void> {
  const path = join(p.dir, file);
  const bad = (why: string) =>
    new UserError(
      `Cannot merge: ${path} ${why}, unlike what the part's run.json describes. Delete ${p.dir} and run that part again.`,
    );
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, 'r');
  } catch {
    throw bad('cannot be read');
  }
  try {
    const head = Buffer.alloc(header.length);
    const { bytesRead } = await fh.read(head, 0, header.length, 0);
    if (bytesRead !== header.length || !head.equals(header)) throw bad('starts with another header');
    if (size !== null && (await fh.stat()).size !== header.length + size) throw bad('has another size');
  } finally {
    await fh.close();
  }
}

/** A file's bytes from `start` on, in 1 MB chunks. */
async function* bytesFrom(path: string, start: number): AsyncGenerator<Uint8Array> {
  for await (const chunk of createReadStream(path, { start, highWaterMark: 1 << 20 })) yield chunk as Buffer;
}
