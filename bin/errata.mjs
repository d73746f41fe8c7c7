#!/usr/bin/env node
// The CLI is TypeScript; tsx compiles it on the fly so the repo needs no build step.
import { register } from 'tsx/esm/api';

register();
if (process.argv[2] === 'generate') {
  // openapi-typescript loads on its own thread while this one reads the contract.
  const { preloadOpenapiTypes } = await import('../generator/emit/openapi-types.ts');
  preloadOpenapiTypes();
}
const { main } = await import('../generator/cli.ts');
process.exitCode = await main(process.argv.slice(2));
