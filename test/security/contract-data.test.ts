import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errataInProcess, tempTree } from '../helpers/cli';
import { miniContract } from '../helpers/mini-contract';

/** Hostile contract data through `errata generate` (issue 12, items 3, 5, 8, 19, 21 and the request-id header note). */
const SLOW = { timeout: 240_000 };

/** `errata generate` in this process (the CLI's own `main`): what is under test is generate's checks, not the bin. */
async function generate(files: Record<string, string>, ...args: string[]) {
  const dir = tempTree(files);
  return { dir, ...(await errataInProcess(['generate', '--spec', 'openapi.yaml', '--out', 'generated', ...args], dir)) };
}

function withRoot(edit: (root: string) => string, extra: Record<string, string> = {}) {
  const files = miniContract(extra);
  files['openapi.yaml'] = edit(files['openapi.yaml']!);
  return files;
}

describe('prototype keys (issue 12, items 3 and 19)', () => {
  it('envelope pointers through __proto__, constructor or prototype are refused, each located', SLOW, async () => {
    const r = await generate(
      withRoot((root) => root.replace('code: /code', 'code: /__proto__/code').replace('message: /error', 'message: /constructor').replace('meta: /meta', 'meta: /meta\n    requestId: { header: x-request-id, body: /prototype/id }').replace('    requestId: { header: x-request-id }\n  catalog', '  catalog')),
    );
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/openapi\.yaml:\d+:\d+ #\/x-errata\/envelope\/code\n {2}error: the pointer \/__proto__\/code goes through "__proto__"/);
    expect(r.stderr).toMatch(/#\/x-errata\/envelope\/message\n {2}error: the pointer \/constructor goes through "constructor"/);
    expect(r.stderr).toMatch(/#\/x-errata\/envelope\/requestId\/body\n {2}error: the pointer \/prototype\/id goes through "prototype"/);
    expect(existsSync(path.join(r.dir, 'generated'))).toBe(false);
  });

  it('a "__proto__" member of contract data stays data in every generated file and in built bodies', SLOW, async () => {
    const files = miniContract({
      'schemas/Error.yaml': `type: object
required: [success, error, code, __proto__]
properties:
  success: { const: false }
  error: { type: string }
  code: { type: string }
  meta: { type: object, additionalProperties: true }
  __proto__: { type: object, default: { polluted: yes } }
`,
    });
    files['catalog.yaml'] = files['catalog.yaml']!.replace('    fix: Compress it.\n', '    fix: Compress it.\n    meta: { type: object }\n    example: { __proto__: { limit: 10 } }\n');
    const r = await generate(files);
    expect(r.code, r.stderr).toBe(0);
    const out = path.join(r.dir, 'generated');
    expect(readFileSync(path.join(out, 'catalog.ts'), 'utf8')).toContain('["__proto__"]: {');
    const server = await import(path.join(out, 'server.ts'));
    const errors = server.createServerErrors ? server.createServerErrors() : server.errata;
    const result = (errors.errors ?? errors).getThing({ code: 'NOT_FOUND', meta: { entity: 'Thing' } });
    expect(Object.getPrototypeOf(result.body)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(result.body))).toMatchObject({ ['__proto__']: { polluted: 'yes' } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const catalog = JSON.parse(readFileSync(path.join(out, 'catalog.json'), 'utf8'));
    expect(Object.hasOwn(catalog.codes.FILE_TOO_LARGE.example, '__proto__')).toBe(true);
    const openapi = JSON.parse(readFileSync(path.join(out, 'openapi.json'), 'utf8'));
    // The FILE_TOO_LARGE example of the shared 413/422 response keeps its meta's `__proto__` member.
    const metas: unknown[] = [];
    JSON.stringify(openapi, (key, value) => {
      if (key === 'meta' && value && Object.hasOwn(value, '__proto__')) metas.push(value['__proto__']);
      return value;
    });
    expect(metas).toContainEqual({ limit: 10 });
  });
});

describe('$ref targets openapi-typescript would print as code (issue 12, item 5)', () => {
  for (const validate of [[], ['--no-validate']]) {
    it(`a $ref into an x- root key is refused ${validate.length ? 'with' : 'without'} --no-validate`, SLOW, async () => {
      const evil = 'x-a");process.exit(9);("';
      const r = await generate(withRoot((root) => `${root.replace('    Error: { $ref: ./schemas/Error.yaml }', `    Error: { $ref: ./schemas/Error.yaml }\n    Evil: { $ref: '#/${evil}/s' }`)}${JSON.stringify(evil)}: { s: { type: object } }\n`), ...validate);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/#\/components\/schemas\/Evil\n {2}error: \$ref "#\/x-a\\"\);process\.exit\(9\);\(\\"\/s" points outside components, paths and webhooks/);
      expect(existsSync(path.join(r.dir, 'generated'))).toBe(false);
    });
  }
});

describe('the envelope media type and request id header (issue 12, item 8 and hardening)', () => {
  it('text/html is refused as the error media type; problem+json with parameters is fine', SLOW, async () => {
    const html = await generate(withRoot((root) => root.replace('message: /error', 'message: /error\n    mediaType: text/html')));
    expect(html.code, html.stderr).toBe(1);
    expect(html.stderr).toContain('error bodies are JSON; "text/html" is not a JSON media type');
    const json = await generate(withRoot((root) => root.replace('message: /error', "message: /error\n    mediaType: 'application/vnd.acme+json; charset=utf-8'")));
    expect(json.code, json.stderr).toBe(0);
  });

  for (const header of ['content-type', 'Set-Cookie', 'retry-after', 'content-length']) {
    it(`requestId.header ${header} is refused: the runtime sets it itself`, SLOW, async () => {
      const r = await generate(withRoot((root) => root.replace('requestId: { header: x-request-id }', `requestId: { header: ${header} }`)));
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`the request id cannot travel in ${JSON.stringify(header)}`);
    });
  }
});

describe('invisible characters in generated TypeScript (issue 12, item 21)', () => {
  it('bidi controls and other format characters from the contract are \\u escapes in every .ts file', SLOW, async () => {
    const trojan = 'Access \u202eno\u202c granted \u2066x\u2069 zero\u200bwidth \ufeffbom';
    const files = miniContract();
    files['catalog.yaml'] = files['catalog.yaml']!.replace('description: Resource does not exist.', `description: ${JSON.stringify(trojan)}`).replace('fix: Verify the id.', `fix: ${JSON.stringify(trojan)}`);
    files['paths/thing.yaml'] = files['paths/thing.yaml']!.replace('operationId: getThing', `operationId: getThing\n  description: ${JSON.stringify(trojan)}`);
    const r = await generate(files);
    expect(r.code, r.stderr).toBe(0);
    const out = path.join(r.dir, 'generated');
    const ts = readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    for (const f of ts) expect(readFileSync(path.join(out, f), 'utf8'), f).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff]/);
    const catalog = readFileSync(path.join(out, 'catalog.ts'), 'utf8');
    expect(catalog).toContain('Access \\u202eno\\u202c granted \\u2066x\\u2069');
    expect(readFileSync(path.join(out, 'openapi.ts'), 'utf8')).toContain('\\u202e');
  });
});
