/**
 * Checks and creates the output folder up front, so a bad --out fails before any work is done, and
 * clears temporary files a killed run left there.
 */
import { access, constants, mkdir, stat } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { removeStaleTemps } from '../io/atomic.js';

export async function prepareOutputDir(dir: string): Promise<void> {
  try {
    const s = await stat(dir);
    if (!s.isDirectory()) {
      throw new UserError(
        `The output path ${dir} is a file, not a folder. Pass --out with a folder path (it is created if missing).`,
      );
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
    try {
      await mkdir(dir, { recursive: true });
    } catch (e2) {
      throw new UserError(
        `Cannot create the output folder ${dir}: ${whyNot(e2 as NodeJS.ErrnoException)}. Choose a writable --out.`,
      );
    }
  }
  try {
    await access(dir, constants.W_OK);
  } catch {
    throw new UserError(
      `The output folder ${dir} is not writable. Choose another --out or fix its permissions.`,
    );
  }
  await removeStaleTemps(dir);
}

/** The system error in words a user can act on, with its code for searching. */
function whyNot(e: NodeJS.ErrnoException): string {
  const words: Record<string, string> = {
    ENOTDIR: 'a part of that path is a file, not a folder',
    EEXIST: 'a part of that path is a file, not a folder',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'the file system is read-only',
    ENOSPC: 'the disk is full',
  };
  const w = e.code ? words[e.code] : undefined;
  return w ? `${w} (${e.code})` : (e.code ?? e.message);
}
