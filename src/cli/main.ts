/** CLI entry: parses argv, runs a command, returns the exit code. Filled in by the classify work. */
export async function main(argv: string[]): Promise<number> {
  console.error(`featscope: not implemented yet (${argv.join(' ')})`);
  return 2;
}
