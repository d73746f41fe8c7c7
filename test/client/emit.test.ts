import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, errata, tempTree, typecheck } from '../helpers/cli';
import { H, hostileContract } from '../helpers/hostile';

function generate(files: Record<string, string>, spec: string): string {
  const dir = tempTree(files);
  const r = errata(['generate', '--spec', spec, '--out', 'generated'], dir);
  expect(r.code, r.stderr).toBe(0);
  // A consumer's project has openapi-fetch installed; the generated runtime imports it.
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return path.join(dir, 'generated');
}

describe('generated client.ts', () => {
  let out: string;
  beforeAll(() => {
    out = generate({ 'openapi.json': hostileContract() }, 'openapi.json');
  });

  it('is written with its runtime, deterministically and 2-space indented', () => {
    const client = readFileSync(path.join(out, 'client.ts'), 'utf8');
    expect(readFileSync(path.join(out, 'runtime/client.ts'), 'utf8')).toBe(`// Copied by errata from runtime/client.ts. Do not edit.\n${readFileSync(path.join(ROOT, 'runtime/client.ts'), 'utf8')}`);
    for (const line of client.split('\n')) expect(line, line).toMatch(/^(?: {2})*(?:\S.*| \*(?:\/| .*)?)?$/);
    const again = generate({ 'openapi.json': hostileContract() }, 'openapi.json');
    expect(readFileSync(path.join(again, 'client.ts'), 'utf8')).toBe(client);
  });

  it('maps a hostile path to its operation: the call type-checks and narrows to the operation\'s code', async () => {
    const hostilePath = `/things/{id}/${H.replace(/[{}\n\u2028\u2029]/g, '')}`;
    const usage = path.join(out, 'usage.ts');
    writeFileSync(
      usage,
      `import { createClient } from './client';
export async function use() {
  const { error } = await createClient().GET(${JSON.stringify(hostilePath)}, { params: { path: { id: 'x' } } });
  if (error?.code === 'HOSTILE_CODE') { const status: 400 = error.status; void status; }
  // @ts-expect-error the operation declares only HOSTILE_CODE
  if (error?.code === 'OTHER') return;
}
`,
    );
    const r = typecheck([usage]);
    expect(r.output).toBe('');
    const mod = await import(path.join(out, 'client.ts'));
    expect(Object.values(mod.clientContract.operations).map((o: any) => o.path)).toEqual([hostilePath]);
  });
});
