/**
 * One part of a sharded classify (`featscope classify --shard i/N`): classify the part's rows of the
 * scan and commit them as OUT/parts/part-<i>-of-<N>/ (src/pipeline/part.ts). A part already finished
 * with the same inputs is skipped; `featscope merge` joins the parts (src/pipeline/merge.ts).
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describeData } from '../dataset/domains.js';
import { UserError } from '../errors.js';
import { type ClassifyOptions, type ClassifyResult, classify } from './classify.js';
import { classifyCacheKey, loadClassifyInputs, scanFingerprint } from './classify-inputs.js';
import { classifyManifestPart } from './classify-manifest.js';
import { writeClassifyOutputs } from './classify-outputs.js';
import { type RunManifest, writeManifest } from './manifest.js';
import { prepareOutputDir } from './output-dir.js';
import {
  commitPart,
  DONE_FILE,
  isPartDone,
  partDir,
  partsDir,
  readPartManifest,
  removeStalePartTemps,
} from './part.js';
import type { StageControl } from './progress.js';
import { type ShardSpec, shardRows } from './shard.js';
import { FEATSCOPE_VERSION } from './version.js';

export interface ClassifyPartOptions extends StageControl {
  /** The classify options, with the part to make in `shard`. */
  classify: ClassifyOptions & { shard: ShardSpec };
  /** The run's output folder: the part goes to OUT/parts/part-<i>-of-<N>/. */
  out: string;
}

export interface ClassifyPartResult {
  /** The part's folder. */
  dir: string;
  /**
   * 'written': this process made the part; 'done': it was finished before (same inputs) and skipped;
   * 'taken': another process finished it while this one worked, and its copy was kept.
   */
  outcome: 'written' | 'done' | 'taken';
  /** The part's run.json. */
  manifest: RunManifest;
  /** The classification, when this process ran it ('written' or 'taken'). */
  result?: ClassifyResult;
  warnings: string[];
}

export async function classifyPart(o: ClassifyPartOptions): Promise<ClassifyPartResult> {
  const spec = o.classify.shard;
  const inputs = await loadClassifyInputs(o.classify);
  // A split into more parts than images is refused before anything is written.
  shardRows(spec, inputs.data.items.length, describeData(o.classify.data));
  await prepareOutputDir(partsDir(o.out));
  const warnings: string[] = [];
  for (const name of await removeStalePartTemps(o.out))
    warnings.push(
      `removed ${join(partsDir(o.out), name)}, left by a process killed while it was committing.`,
    );
  const dir = partDir(o.out, spec);
  const scan = await scanFingerprint(inputs.data);
  const classifyKey = await classifyCacheKey(o.classify, inputs, FEATSCOPE_VERSION, scan);
  if (await isPartDone(dir)) {
    const manifest = await readPartManifest(dir);
    if (manifest.classifyKey !== classifyKey) {
      const what =
        manifest.featscope !== FEATSCOPE_VERSION
          ? `featscope ${manifest.featscope}, this is ${FEATSCOPE_VERSION}`
          : manifest.model?.sha256 !== inputs.model.sha256
            ? 'another model'
            : manifest.shard?.scan !== scan
              ? 'another scan of the test set (images added, removed or changed)'
              : 'other classify options (--layer, --classes, --top-k, preprocessing, ...)';
      throw new UserError(
        `${dir} is a finished part of another run (${what}). Delete ${partsDir(o.out)} to redo every part with these arguments, or pass another --out.`,
      );
    }
    return { dir, outcome: 'done', manifest, warnings };
  }
  const started = performance.now();
  const r = await classify({ ...o.classify, onProgress: o.onProgress, signal: o.signal }, inputs);
  const seconds = (performance.now() - started) / 1000;
  const rows = r.shard!;
  const manifest: RunManifest = {
    featscope: FEATSCOPE_VERSION,
    command: 'classify',
    createdAt: new Date().toISOString(),
    ...classifyManifestPart(o.classify, r),
    stages: { classify: seconds },
    classifyKey,
    shard: { ...rows, scan, host: hostname() },
    outputs: [],
  };
  const outcome = await commitPart(
    o.out,
    spec,
    async (tmp) => {
      const files = await writeClassifyOutputs(tmp, r);
      manifest.outputs = [...files, 'run.json', DONE_FILE];
      await writeManifest(tmp, manifest);
    },
    (d) => warnings.push(`replaced ${d}, an unfinished part folder (no ${DONE_FILE} marker).`),
  );
  warnings.push(...r.warnings);
  if (outcome === 'taken')
    return { dir, outcome, manifest: await readPartManifest(dir), result: r, warnings };
  return { dir, outcome, manifest, result: r, warnings };
}
