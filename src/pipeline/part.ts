/**
 * Part folders: `OUT/parts/part-<i>-of-<N>/` holds one shard's predictions.csv, features.npy, run.json
 * and a DONE marker (docs/architecture.md, "Shards and parts"). A part is built in a temporary folder
 * next to its place and renamed into place whole: the rename is the commit, so a part folder is either
 * absent or complete, whatever kills the process. Of two processes finishing the same part (a
 * Kubernetes replacement pod started before the old one ended), the first rename wins and the second
 * finds the place taken by a finished part and discards its own copy.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { isAlive, writeFileAtomic } from '../io/atomic.js';
import type { RunManifest } from './manifest.js';
import { partName, type ShardSpec } from './shard.js';

export const PARTS_DIR = 'parts';
/** Written last inside a part, before the rename: a part folder without it is not a finished part. */
export const DONE_FILE = 'DONE';

export function partsDir(out: string): string {
  return join(out, PARTS_DIR);
}

export function partDir(out: string, spec: ShardSpec): string {
  return join(partsDir(out), partName(spec));
}

export async function isPartDone(dir: string): Promise<boolean> {
  try {
    return (await stat(join(dir, DONE_FILE))).isFile();
  } catch {
    return false;
  }
}

/** A finished part's run.json; a clear error naming the part when it cannot be read. */
export async function readPartManifest(dir: string): Promise<RunManifest> {
  try {
    return JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as RunManifest;
  } catch (e) {
    throw new UserError(
      `The part ${dir} is marked done but its run.json cannot be read (${(e as Error).message.split('\n')[0]}). ` +
        'Delete that folder and run its part again.',
    );
  }
}

export type CommitOutcome = 'written' | 'taken';

/**
 * Builds a part: `write` fills a fresh temporary folder next to the part's place, the DONE marker is
 * added, and the folder is renamed into place. Returns 'taken' when another process committed the same
 * part first (its copy is kept, ours removed). `onReplace` is told when a folder without the marker
 * stood in the way (copied in by hand, say) and was replaced.
 */
export async function commitPart(
  out: string,
  spec: ShardSpec,
  write: (tmpDir: string) => Promise<void>,
  onReplace: (dir: string) => void = () => {},
): Promise<CommitOutcome> {
  const parent = partsDir(out);
  const dir = partDir(out, spec);
  const tmp = join(
    parent,
    `.${partName(spec)}.tmp-${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  await mkdir(tmp);
  try {
    await write(tmp);
    await writeFileAtomic(
      join(tmp, DONE_FILE),
      `${JSON.stringify({ host: hostname(), pid: process.pid, finishedAt: new Date().toISOString() })}\n`,
    );
    for (let attempt = 0; ; attempt++) {
      try {
        await rename(tmp, dir);
        await syncFolder(parent);
        return 'written';
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (attempt > 0 || (code !== 'ENOTEMPTY' && code !== 'EEXIST')) throw e;
        if (await isPartDone(dir)) {
          await rm(tmp, { recursive: true, force: true });
          return 'taken';
        }
        onReplace(dir);
        await rm(dir, { recursive: true, force: true });
      }
    }
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Makes a rename inside `dir` durable (POSIX: fsync the folder). Best effort where folders cannot be opened. */
async function syncFolder(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Some file systems refuse fsync on folders; the rename itself is still atomic.
  }
}

const TEMP_PART = /^\.part-\d+-of-\d+\.tmp-(.+)-(\d+)-[0-9a-f]{8}$/;

/**
 * Removes temporary part folders left by a process killed mid-commit (SIGKILL, a node lost) on this
 * host. Folders of other hosts are left alone: a process there may still be writing (OUT is usually
 * on a shared file system), and its pid means nothing here. Returns the names removed.
 */
export async function removeStalePartTemps(out: string): Promise<string[]> {
  const parent = partsDir(out);
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return removed;
  }
  const host = hostname();
  for (const name of names) {
    const m = TEMP_PART.exec(name);
    if (!m || m[1] !== host || isAlive(Number(m[2]))) continue;
    await rm(join(parent, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
