#!/usr/bin/env node
// Installed, errata runs its compiled JavaScript in dist/ (built by `prepack`). Inside its own
// repository (the TypeScript sources are there and tsx is installed) it runs the sources through
// tsx instead, so development never runs a stale build; ERRATA_FROM=dist runs the build anyway (the
// bench measures what an install runs).
import { existsSync } from 'node:fs';

const source = new URL('../generator/cli.ts', import.meta.url);
let entry = new URL('../dist/generator/cli.js', import.meta.url);
let openapiTypes = new URL('../dist/generator/emit/openapi-types.js', import.meta.url);
let cache = new URL('../dist/generator/load/cache.js', import.meta.url);
if (existsSync(source) && process.env.ERRATA_FROM !== 'dist') {
  try {
    const { register } = await import('tsx/esm/api');
    register();
    entry = source;
    openapiTypes = new URL('../generator/emit/openapi-types.ts', import.meta.url);
    cache = new URL('../generator/load/cache.ts', import.meta.url);
  } catch {
    // No tsx: a checkout without devDependencies runs the build like an install does.
  }
}
if (process.argv.slice(3).includes('--no-cache')) process.env.ERRATA_CACHE_DIR = 'off';
if (process.argv[2] === 'generate') {
  // openapi-typescript loads on its own thread while this one reads the contract, unless the
  // contract last generated is unchanged (its types are then cached, and loading it is wasted).
  const { inputsUnchanged } = await import(cache.href);
  if (!inputsUnchanged()) {
    const { preloadOpenapiTypes } = await import(openapiTypes.href);
    preloadOpenapiTypes();
  }
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
