/** Checks and creates the output folder up front, so a bad --out fails before any work is done. */
import { access, constants, mkdir, stat } from 'node:fs/promises';
import { UserError } from '../errors.js';

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
        `Cannot create the output folder ${dir}: ${(e2 as NodeJS.ErrnoException).code ?? (e2 as Error).message}. Choose a writable --out.`,
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
}
