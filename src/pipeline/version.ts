import { readFileSync } from 'node:fs';

/** featscope's version, read from package.json (two folders up from both src/pipeline and dist/pipeline). */
export const FEATSCOPE_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
