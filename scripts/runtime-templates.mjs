#!/usr/bin/env node
// Writes templates/runtime/: errata's runtime (runtime/{codec,schema-check,server,client}.ts)
// compiled to JavaScript and declarations, as `errata generate` writes it into generated/runtime/,
// with the fingerprint of the sources, compiler and options it was compiled from. generate uses
// this copy while the fingerprint matches and compiles the sources itself otherwise (a second or
// two), so a stale copy costs time, never correctness; a test fails while it is stale.
//
//   node scripts/runtime-templates.mjs           # rewrite templates/runtime/
//   node scripts/runtime-templates.mjs --check   # exit 1 when it is stale
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { register } from 'tsx/esm/api';

register();
const { COMPILED_DIR, FINGERPRINT_FILE, readCompiledRuntime, runtimeSources } = await import('../generator/emit/runtime-files.ts');
const { RUNTIME_MODULES, compileRuntime, runtimeFingerprint } = await import('../generator/emit/runtime-compile.ts');

const sources = runtimeSources();
if (process.argv.includes('--check')) {
  if (readCompiledRuntime(sources)) process.exit(0);
  console.error(`${path.relative(process.cwd(), COMPILED_DIR)} is stale: run node scripts/runtime-templates.mjs and commit it`);
  process.exit(1);
}
const compiled = compileRuntime(path.resolve(import.meta.dirname, '../runtime'));
mkdirSync(COMPILED_DIR, { recursive: true });
for (const name of RUNTIME_MODULES) {
  writeFileSync(path.join(COMPILED_DIR, `${name}.js`), compiled[name].js);
  writeFileSync(path.join(COMPILED_DIR, `${name}.d.ts`), compiled[name].dts);
}
writeFileSync(path.join(COMPILED_DIR, FINGERPRINT_FILE), `${runtimeFingerprint(sources)}\n`);
console.log(`wrote ${path.relative(process.cwd(), COMPILED_DIR)}/`);
