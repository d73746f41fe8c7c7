import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContract } from '../../generator/load/load-contract';
import { errataInProcess, tempTree } from '../helpers/cli';
import { miniContract } from '../helpers/mini-contract';

/**
 * Issue 12, items 2 and 7: a contract from a pull request may reference only files of its own
 * folder (regular files, of bounded size), and YAML aliases cannot blow a small file up.
 */
const SECRET = 'CI_TOKEN_5e3ret_do_not_publish';

/** The mini contract with its Error schema taken from `ref` instead of schemas/Error.yaml. */
function contractReferencing(ref: string, extra: Record<string, string> = {}): string {
  const files = miniContract({
    'openapi.yaml': miniContract()['openapi.yaml']!.replace('Error: { $ref: ./schemas/Error.yaml }', `Error: { $ref: '${ref}' }`),
    ...extra,
  });
  const root = tempTree({ 'secrets/outside.yaml': `type: object\ndescription: ${SECRET}\nproperties: { code: { type: string }, error: { type: string }, meta: { type: object } }\n` });
  const dir = path.join(root, 'contract');
  for (const [rel, contents] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), contents);
  }
  return dir;
}

/** `errata generate` in this process (the CLI's own `main`): the refusal is generate's, not the bin's. */
async function expectRefused(dir: string, args: string[] = []) {
  const r = await errataInProcess(['generate', '--spec', 'openapi.yaml', '--out', 'generated', ...args], dir);
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr).toContain('openapi.yaml:');
  expect(r.stderr).toContain('#/components/schemas/Error');
  expect(r.stdout + r.stderr).not.toContain(SECRET);
  expect(existsSync(path.join(dir, 'generated'))).toBe(false);
  return r.stderr;
}

describe('references stay inside the contract folder (issue 12, item 2)', () => {
  it('a $ref to ../ is refused, located, and nothing of the file is written', async () => {
    const stderr = await expectRefused(contractReferencing('../secrets/outside.yaml'));
    expect(stderr).toMatch(/outside the contract's folder/);
    expect(stderr).toContain('--allow-ref-root');
  });

  it('an absolute path (/proc/self/environ) is refused', async () => {
    expect(await expectRefused(contractReferencing('/proc/self/environ'))).toMatch(/\/proc\/self\/environ .*is outside the contract's folder/);
  });

  it('a symbolic link inside the folder that leads outside is refused', async () => {
    const dir = contractReferencing('./schemas/Linked.yaml');
    symlinkSync(path.join(dir, '../secrets/outside.yaml'), path.join(dir, 'schemas/Linked.yaml'));
    expect(await expectRefused(dir)).toMatch(/through a symbolic link/);
  });

  it('a FIFO inside the folder is refused without blocking (special files are never opened)', async () => {
    const dir = contractReferencing('./schemas/pipe.yaml');
    expect(spawnSync('mkfifo', [path.join(dir, 'schemas/pipe.yaml')]).status).toBe(0);
    expect(await expectRefused(dir)).toMatch(/pipe\.yaml is not a regular file/);
  });

  it('a remote $ref is refused (no network)', async () => {
    expect(await expectRefused(contractReferencing('https://example.invalid/Error.yaml'))).toMatch(/remote reference/);
  });

  it('--allow-ref-root widens the folder', async () => {
    const dir = contractReferencing('../secrets/outside.yaml');
    const r = await errataInProcess(['generate', '--spec', 'openapi.yaml', '--out', 'generated', '--allow-ref-root', '../secrets'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'generated/openapi.json'), 'utf8')).toContain(SECRET);
  });

  it('a file over the size limit is refused', async () => {
    const dir = contractReferencing('./schemas/Big.yaml', { 'schemas/Big.yaml': `type: object\ndescription: ${'x'.repeat(4096)}\n` });
    await expect(loadContract(path.join(dir, 'openapi.yaml'), { maxFileBytes: 2048 })).rejects.toThrow(/Big\.yaml is larger than 2048 bytes/);
    await expect(loadContract(path.join(dir, 'openapi.yaml'), { maxFileBytes: 8192 })).resolves.toBeDefined();
  });
});

describe('YAML aliases are bounded (issue 12, item 7)', () => {
  it('an alias bomb fails fast with the file and the line of the first alias', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) levels.push(`${'abcdefghi'[i]}: &${'abcdefghi'[i]} [${Array(9).fill(`*${'abcdefghi'[i - 1]}`).join(',')}]`);
    const bomb = `type: object\nx-bomb:\n${levels.map((l) => `  ${l}`).join('\n')}\n`;
    expect(bomb.length).toBeLessThan(1500);
    const dir = contractReferencing('./schemas/Bomb.yaml', { 'schemas/Bomb.yaml': bomb });
    const r = await errataInProcess(['generate', '--spec', 'openapi.yaml', '--out', 'generated'], dir);
    expect(r.code, r.stderr).not.toBe(0);
    expect(r.stderr).toMatch(/schemas\/Bomb\.yaml:4/);
    expect(r.stderr).toMatch(/alias/);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(existsSync(path.join(dir, 'generated'))).toBe(false);
  });

  it('a few ordinary aliases still load', async () => {
    const dir = contractReferencing('./schemas/Aliased.yaml', {
      'schemas/Aliased.yaml': 'type: object\nproperties:\n  code: &s { type: string }\n  error: *s\n  meta: { type: object }\n',
    });
    const contract = await loadContract(path.join(dir, 'openapi.yaml'));
    expect(JSON.stringify(contract.document)).toContain('"error":{"type":"string"}');
  });
});
