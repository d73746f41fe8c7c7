#!/usr/bin/env node
// Builds the published package into dist/ (run by `prepack`, so `npm pack` and `npm publish` never
// ship stale JavaScript): tsc emits JavaScript and .d.ts from generator/ and runtime/, then every
// relative import gets the explicit `.js` (or `/index.js`) Node's ESM loader and `module: NodeNext`
// consumers need, and the non-TypeScript assets the code reads at run time are copied beside it.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');

/** Every file under `dir`, sorted, as paths relative to the root. */
function filesUnder(dir) {
  return readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
}

// The build is a function of these files (the lockfile pins the compiler and the dependencies'
// declarations tsc reads): an unchanged tree reuses the last build, kept under node_modules/.cache,
// instead of paying tsc's ten CPU-seconds again (`npm pack` in the test suite packs every run).
const INPUTS = ['scripts/build.mjs', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json', ...['generator', 'runtime', 'templates', 'schemas'].flatMap(filesUnder)];
const key = createHash('sha256');
for (const file of INPUTS) {
  const bytes = readFileSync(path.join(root, file));
  key.update(`${file}\0${bytes.length}\0`).update(bytes);
}
const cacheRoot = path.join(root, 'node_modules/.cache/errata-build');
const cached = path.join(cacheRoot, key.digest('hex'));

rmSync(dist, { recursive: true, force: true });
if (existsSync(cached)) {
  try {
    cpSync(cached, dist, { recursive: true });
    process.exit(0);
  } catch {
    // Removed while copied (another build stored a newer one): build it instead.
    rmSync(dist, { recursive: true, force: true });
  }
}
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
// --noCheck: emit only. tsc writes the same JavaScript and .d.ts without it (declarations are
// typed on demand); the full type check of these sources is `npm run typecheck`, which CI runs and
// `npm publish` runs first (prepublishOnly). Checking again here was 60% of the build's CPU.
execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--noCheck'], { stdio: 'inherit', cwd: root });

/** `./x` → `./x.js` or `./x/index.js`, by what tsc emitted. */
function withExtension(fromFile, specifier) {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return specifier;
  if (/\.(m?js|json)$/.test(specifier)) return specifier;
  const target = path.resolve(path.dirname(fromFile), specifier);
  if (existsSync(`${target}.js`)) return `${specifier}.js`;
  if (existsSync(path.join(target, 'index.js'))) return `${specifier}/index.js`;
  throw new Error(`${path.relative(root, fromFile)}: cannot resolve ${specifier}`);
}

const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*)\2/g;
function fix(file) {
  const text = readFileSync(file, 'utf8');
  const fixed = text.replace(SPECIFIER, (_m, lead, q, spec) => `${lead}${q}${withExtension(file, spec)}${q}`);
  if (fixed !== text) writeFileSync(file, fixed);
}

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.(js|d\.ts)$/.test(name)) fix(p);
  }
}
walk(dist);

// Read at run time next to the code: the templates (render.ts), and the plain JavaScript modules
// threads load without a TypeScript loader (the validation worker and its precompiled schemas,
// openapi-typescript's run), with the declarations the TypeScript beside them imports.
cpSync(path.join(root, 'templates'), path.join(dist, 'templates'), { recursive: true });
for (const f of filesUnder('generator').filter((n) => /\.[cm]js$|\.d\.mts$/.test(n) && !/\.test\./.test(n))) cpSync(path.join(root, f), path.join(dist, f));

// Only the newest build is kept; it lands under its key in one rename, so a build stopped halfway
// is never reused. Storing is best effort: a build running beside this one may store the same key
// first or remove this one's staging copy, and dist/ is complete either way.
mkdirSync(cacheRoot, { recursive: true });
for (const old of readdirSync(cacheRoot)) {
  if (!old.startsWith('.staging-')) rmSync(path.join(cacheRoot, old), { recursive: true, force: true });
}
const staging = path.join(cacheRoot, `.staging-${process.pid}`);
try {
  cpSync(dist, staging, { recursive: true });
  renameSync(staging, cached);
} catch {
  rmSync(staging, { recursive: true, force: true });
}
