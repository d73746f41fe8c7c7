import { cpSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, errataInProcess, tempTree } from '../helpers/cli';
import { cachedOutput } from '../helpers/generate';
import { tscProject } from './tsc-program';

/**
 * Generated code compiles in the projects teams really have: `tsc --init`'s NodeNext, a bundler
 * setup, CommonJS, and Node's type stripping, each with `strict` and the stricter flags below —
 * the settings openapi-typescript's output plus openapi-fetch pass.
 */
const STRICTER = {
  strict: true,
  exactOptionalPropertyTypes: true,
  erasableSyntaxOnly: true,
  noPropertyAccessFromIndexSignature: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noUncheckedIndexedAccess: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  skipLibCheck: true,
  noEmit: true,
  target: 'ES2022',
  lib: ['ES2023', 'DOM'],
  types: [],
};

/** A handler and a client call written as a user would, against the nested-error fixture. */
const USAGE = (ext: string) => `import { errata, errors, toResponse } from './generated/server${ext}';
import { createClient } from './generated/client${ext}';
export const a = errors.createOrder({ code: 'OUT_OF_STOCK', meta: { sku: 'TSHIRT-M', available: 0 } });
export const b = errata.forRequest(new Request('http://x')).errors.listOrders({ code: 'RATE_LIMITED', retryAfter: 10 });
export const response: Response = toResponse(a);
export async function orders(): Promise<string | undefined> {
  const { error } = await createClient({ baseUrl: 'http://127.0.0.1' }).GET('/orders');
  return error?.kind === 'contract' ? error.code : undefined;
}
`;

interface Setting {
  name: string;
  type: 'module' | 'commonjs';
  ext: '.js' | '.ts';
  options: Record<string, unknown>;
}

const SETTINGS: Setting[] = [
  { name: 'NodeNext, ESM', type: 'module', ext: '.js', options: { module: 'NodeNext', moduleResolution: 'NodeNext' } },
  { name: 'Bundler', type: 'module', ext: '.js', options: { module: 'ESNext', moduleResolution: 'Bundler' } },
  // TypeScript forbids `import` syntax in a CommonJS .ts file under verbatimModuleSyntax (TS1286):
  // true of any file that imports, openapi-fetch's users' included.
  { name: 'NodeNext, CommonJS', type: 'commonjs', ext: '.js', options: { module: 'NodeNext', moduleResolution: 'NodeNext', verbatimModuleSyntax: false } },
  // What Node's type stripping runs: `.ts` specifiers, erasable syntax only.
  { name: 'Node type stripping (.ts imports)', type: 'module', ext: '.ts', options: { module: 'NodeNext', moduleResolution: 'NodeNext', allowImportingTsExtensions: true } },
];

/** `tsc -p dir`, in this process (./tsc-program.ts): the four settings share parsed files. */
function compile(dir: string, setting: Setting, include: string[]): string {
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: setting.type }));
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...STRICTER, ...setting.options }, include }));
  return tscProject(path.join(dir, 'tsconfig.json'));
}

describe("generated code under common TypeScript settings, with tsc's own program and checker", () => {
  const dirs: Record<string, string> = {};
  beforeAll(async () => {
    for (const ext of ['.js', '.ts'] as const) {
      const dir = tempTree({}, 'errata-tsc-settings-');
      // The project's own node_modules, as after `npm install` (openapi-fetch for the client).
      symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
      // An envelope with meta, and one without (nothing to import from openapi.ts).
      for (const [fixture, out] of [['nested-error', 'generated'], ['detail-wrapper', 'detail']] as const) {
        const spec = `test/fixtures/${fixture}/openapi.yaml`;
        if (ext === '.js') {
          // The default output, generated once per run (helpers/generate.ts) and shared with the
          // other test files of these fixtures.
          cpSync(await cachedOutput({ spec }), path.join(dir, out), { recursive: true });
        } else {
          // Only this file needs `.ts` imports: the CLI's main() in this process, not a new Node.
          const r = await errataInProcess(['generate', '--spec', path.join(ROOT, spec), '--out', out, '--import-extension', ext], dir);
          expect(r.code, r.stderr).toBe(0);
        }
      }
      writeFileSync(path.join(dir, 'usage.ts'), USAGE(ext));
      // This repository's committed output (every feature of the Picora contract).
      if (ext === '.js') cpSync(path.join(ROOT, 'generated'), path.join(dir, 'picora'), { recursive: true });
      dirs[ext] = dir;
    }
  });

  for (const setting of SETTINGS) {
    it(`compiles under ${setting.name} with strict and the stricter flags`, () => {
      const include = setting.ext === '.js' ? ['generated', 'detail', 'picora', 'usage.ts'] : ['generated', 'detail', 'usage.ts'];
      expect(compile(dirs[setting.ext]!, setting, include)).toBe('');
    }, 300_000);
  }
});
