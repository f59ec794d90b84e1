/**
 * The reference of `--reference REF_OUT`: an earlier run's output folder whose maps new points are
 * placed into. What placement needs is the reference rows' features (REF_OUT/features.npy, or the
 * `--features` file a `featscope reduce` run.json names) and each map's recorded settings: the
 * t-SNE input space (the PCA pre-reduction) is recomputed from them (src/reduce/place.ts), so a run
 * keeps nothing extra for placement. The features are checked against the maps' cache keys, so a
 * features file changed since the maps were made is refused, not silently used.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { decodeNpyMatrix } from '../io/npy.js';
import type { Matrix } from '../matrix.js';
import { FEATURES_FILE } from './classify-outputs.js';
import { sha256 } from './fingerprint.js';
import { readManifest } from './manifest.js';
import { loadMapFolder, type MapFolder } from './map-folder.js';
import { embeddingCacheKey, type ReduceStageOptions } from './reduce-stage.js';

export interface ReferenceRun extends MapFolder {
  /** Absolute path of the folder. */
  dir: string;
  /** The reference rows' features. */
  referenceFeatures: Matrix;
  /** Where they were read from. */
  featuresFile: string;
  /** sha256 over the features and every map's coordinates: what the placed maps were placed into. */
  fingerprint: string;
}

const RERUN = 'Re-run `featscope reduce` (or `featscope run`) into that folder, then place into it.';

/** Reads and checks REF_OUT; every problem is a UserError naming the folder and what to do. */
export async function loadReferenceRun(dirArg: string, signal?: AbortSignal): Promise<ReferenceRun> {
  const dir = resolve(dirArg);
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) {
    throw new UserError(
      `--reference ${dirArg} is not a folder. Pass the output folder of an earlier \`featscope run\` or \`featscope reduce\` (it holds run.json and tsne-2d.csv).`,
      2,
    );
  }
  const manifest = await readManifest(dir);
  if (!manifest) {
    throw new UserError(
      `--reference ${dirArg} has no readable run.json, so its maps' settings are unknown. Pass the output folder of \`featscope run\` or \`featscope reduce\`. ${RERUN}`,
    );
  }
  if ((manifest as { placement?: unknown }).placement && !manifest.features) {
    throw new UserError(
      `--reference ${dirArg} holds points placed into another map, without their features. Place into that run's own reference folder instead.`,
    );
  }
  const folder = await loadMapFolder(dir, signal);
  const featuresFile = findFeatures(dir, manifest.features?.file);
  if (featuresFile === null) {
    throw new UserError(
      `--reference ${dirArg}: the reference features are missing (no ${FEATURES_FILE} in the folder${
        manifest.features?.file ? `, and ${manifest.features.file} named by its run.json does not exist` : ''
      }); new points are placed by their neighbours among the reference points' features. ${RERUN}`,
    );
  }
  const m = decodeNpyMatrix(await readFile(featuresFile), featuresFile);
  const n = folder.points.n;
  if (m.rows !== n) {
    throw new UserError(
      `--reference ${dirArg}: ${featuresFile} has ${m.rows} rows but the maps have ${n}; they must describe the same points. ${RERUN}`,
    );
  }
  const hash = sha256(new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength));
  const options = manifest.options?.reduce as ReduceStageOptions | undefined;
  for (const e of manifest.embeddings ?? []) {
    if (!options || !folder.embeddings.some((f) => f.file === e.file)) continue;
    if (embeddingCacheKey(hash, e.method, e.dims, options, manifest.featscope) !== e.cacheKey) {
      throw new UserError(
        `--reference ${dirArg}: ${featuresFile} is not the feature matrix ${e.file} was made from (its hash differs from the one recorded in run.json). ${RERUN}`,
      );
    }
  }
  const fingerprint = sha256(
    hash,
    ...folder.embeddings.map(
      (e) => `${e.file}:${sha256(new Uint8Array(e.coords.buffer, e.coords.byteOffset, e.coords.byteLength))}`,
    ),
  );
  return { ...folder, dir, referenceFeatures: m, featuresFile, fingerprint };
}

/** REF_OUT/features.npy, else the file run.json names (as given, then relative to the folder). */
function findFeatures(dir: string, recorded: string | undefined): string | null {
  const inFolder = join(dir, FEATURES_FILE);
  if (existsSync(inFolder)) return inFolder;
  if (!recorded) return null;
  for (const p of isAbsolute(recorded) ? [recorded] : [resolve(recorded), resolve(dir, recorded)]) {
    if (existsSync(p)) return p;
  }
  return null;
}
