#!/usr/bin/env node
// Thin launcher: the CLI lives in the compiled library (built by `npm ci` through the prepare script).
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
