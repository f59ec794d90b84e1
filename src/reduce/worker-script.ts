/**
 * How to start one of our worker modules, of the same flavour as the caller: the compiled `.js` in the
 * built package; under tsx (tests, development) the `.ts` source, loaded after registering tsx's
 * loader in the worker, since a worker thread does not inherit the `--import tsx` hooks of the main
 * thread.
 */
export function workerScript(callerUrl: string, name: string): { script: string | URL; isEval: boolean } {
  if (callerUrl.endsWith('.ts')) {
    const api = import.meta.resolve('tsx/esm/api');
    const target = new URL(`./${name}.ts`, callerUrl).href;
    return {
      script: `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); });`,
      isEval: true,
    };
  }
  return { script: new URL(`./${name}.js`, callerUrl), isEval: false };
}
