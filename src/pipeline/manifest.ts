/** run.json: what a run did, with every resolved option, timings, metrics and skipped files. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClassesFrom } from '../dataset/classes.js';
import type { DomainInfo } from '../dataset/domains.js';
import { writeFileAtomic } from '../io/atomic.js';
import type { PlacementRecord } from './placement-stage.js';
import type { PageNeighborsResolved } from './points.js';

export interface ManifestEmbedding {
  name: string;
  method: string;
  dims: number;
  file: string;
  cacheKey: string;
  seconds: number;
  metrics: Record<string, number | null>;
  resolved: Record<string, unknown>;
}

export interface RunManifest {
  featscope: string;
  command: string;
  createdAt: string;
  model?: {
    path: string;
    sha256: string;
    layer: string;
    layerModulePath: string | null;
    layerMatchedAs: string;
  };
  data?: {
    root: string;
    n: number;
    classes: string[];
    skipped: { path: string; reason: string }[];
    /** Where the class names came from (src/dataset/classes.ts) and in words. */
    classesFrom?: ClassesFrom;
    classesDetail?: string;
    /** Every --data source: its domain name ("" when unnamed), root, form, listed images, MNIST split. */
    domains?: DomainInfo[];
  };
  features?: { file: string; n: number; dim: number };
  /**
   * Every resolved option. Of classify's: `threads` (ONNX Runtime's intra-op threads), `decodeThreads`
   * (threads that decoded and resized the images; 1 = the main thread), `decodePlan` (how they were
   * chosen: 'option', 'few-files', 'few-cores', 'measured' from the first batch's costs, or 'fallback'; see
   * pipeline/classify-plan.ts), `batchSizeFrom` (the model's fixed batch, the option, 'auto' or
   * 'big-model') and `executionProvider` (the
   * provider that actually ran: a provider that cannot start is an error, never a silent fallback).
   */
  options: Record<string, unknown>;
  /** Seconds per stage. */
  stages: Record<string, number>;
  /** Stages whose outputs were reused from an earlier run, with why. */
  reused?: Record<string, string>;
  metrics: Record<string, unknown>;
  warnings: string[];
  /** Cache key of the finished classify stage (see fingerprint.ts). */
  classifyKey?: string;
  /**
   * A part of a sharded classify (`--shard i/N`, src/pipeline/shard.ts): the part, its rows
   * [start, end) of the scan's `total` images, the scan's fingerprint and the host that made it.
   */
  shard?: {
    index: number;
    count: number;
    start: number;
    end: number;
    total: number;
    scan: string;
    host: string;
  };
  /** A merged classify (`featscope merge`): each part's rows, images kept, host, seconds and throughput. */
  parts?: {
    index: number;
    start: number;
    end: number;
    n: number;
    host: string;
    seconds: number;
    imagesPerSecond: number;
  }[];
  /** Finished embeddings with their cache keys, metrics and resolved options. */
  embeddings?: ManifestEmbedding[];
  /** How the pages' nearest neighbours were found (points.ts `pageNeighbors`); absent without pages' neighbours. */
  pageNeighbors?: PageNeighborsResolved;
  /**
   * Maps with placed points (--reference or --fit-sample): the reference folder and its fingerprint,
   * how many rows were placed, and the placement settings.
   */
  placement?: PlacementRecord;
  outputs: string[];
}

export async function writeManifest(outDir: string, m: RunManifest): Promise<void> {
  await writeFileAtomic(join(outDir, 'run.json'), `${JSON.stringify(m, null, 2)}\n`);
}

export async function readManifest(outDir: string): Promise<RunManifest | null> {
  try {
    return JSON.parse(await readFile(join(outDir, 'run.json'), 'utf8')) as RunManifest;
  } catch {
    return null;
  }
}
