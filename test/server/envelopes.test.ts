import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { BundledContract } from '../helpers/bundled';
import { ROOT, errataInProcess, tempTree } from '../helpers/cli';
import { generated } from '../helpers/generate';
import { miniContract } from '../helpers/mini-contract';
import { patch } from '../helpers/patch';
import { checkClientParity, writeRuleParity } from '../helpers/rule-parity';
import { typecheckEach } from '../helpers/typecheck-batch';

/**
 * The generated helpers of every envelope shape, exercised through their public interface: each
 * contract is generated into a temp dir, its `server.ts` imported, and every (operation, code,
 * status) it declares built and validated against the bundled response schema.
 */
const CONTRACTS = {
  picora: path.join(ROOT, 'openapi/openapi.yaml'),
  'nested-error': path.join(ROOT, 'test/fixtures/nested-error/openapi.yaml'),
  'detail-wrapper': path.join(ROOT, 'test/fixtures/detail-wrapper/openapi.yaml'),
  'problem-json': path.join(ROOT, 'test/fixtures/problem-json/openapi.yaml'),
};

type Json = Record<string, any>;

function at(body: Json, tokens: readonly string[]): any {
  return tokens.reduce((n: any, t) => n?.[t], body);
}

function esc(t: string): string {
  return t.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Status ranges and `default` beside exact keys; two listings no response can carry (MISPLACED under 4XX, GONE_ISH under default). */
const RANGES = miniContract({
  'schemas/Error.yaml': `allOf:
  - type: object
    required: [kind, version, code, error]
    properties:
      kind: { type: string, enum: [error] }
      version: { type: integer, default: 2 }
      code: { type: string }
      error: { type: string }
  - type: object
    properties:
      meta: { type: object, additionalProperties: true }
      hint: { type: string }
`,
  'paths/thing.yaml': `get:
  operationId: getThing
  parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
  responses:
    '200': { description: ok, content: { application/json: { schema: { type: object } } } }
    '4XX':
      description: Client errors
      x-errata-codes: [NOT_FOUND, FILE_TOO_LARGE, SLOW_DOWN]
    default:
      description: Anything else
      headers: { Retry-After: { schema: { type: integer } } }
      x-errata-codes: [BROKEN]
post:
  operationId: updateThing
  parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
  responses:
    '200': { description: ok, content: { application/json: { schema: { type: object } } } }
    '404':
      description: Not found
      x-errata-codes: [NOT_FOUND]
    '4XX':
      description: Client errors
      x-errata-codes: [GONE_ISH, MISPLACED, FILE_TOO_LARGE]
    '503':
      description: Unavailable
      headers: { Retry-After: { schema: { type: integer } } }
      x-errata-codes: [BROKEN]
    default:
      description: Anything else
      x-errata-codes: [BROKEN, GONE_ISH]
`,
  'catalog.yaml': `categories:
  - { id: resource, title: Resource errors }
codes:
  NOT_FOUND:
    status: 404
    category: resource
    description: Resource does not exist.
    fix: Verify the id.
    meta: { type: object, required: [entity], properties: { entity: { type: string } } }
  FILE_TOO_LARGE:
    status: [413, 422]
    category: resource
    description: File exceeds the limit.
    fix: Compress it.
  SLOW_DOWN:
    status: 429
    category: resource
    description: Too many requests.
    fix: Wait.
  BROKEN:
    status: [500, 503]
    category: resource
    description: It broke.
    fix: Retry.
  GONE_ISH:
    status: [404, 410]
    category: resource
    description: Gone, or as good as.
    fix: Stop asking.
  MISPLACED:
    status: 404
    category: resource
    description: Not here.
    fix: Look elsewhere.
`,
});

/** RANGES without the two listings generate refuses. */
const RANGES_FIXED = { ...RANGES, 'paths/thing.yaml': patch(patch(RANGES['paths/thing.yaml']!, '[GONE_ISH, MISPLACED, FILE_TOO_LARGE]', '[GONE_ISH, FILE_TOO_LARGE]'), '[BROKEN, GONE_ISH]', '[BROKEN]') };

/** A lower-case range key: OpenAPI's schema allows only an upper-case X; the model reads `4xx` all the same. */
const LOWER_RANGE = {
  files: miniContract({
    'paths/thing.yaml': `get:
  operationId: getThing
  parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
  responses:
    '200': { description: ok, content: { application/json: { schema: { type: object } } } }
    '413':
      description: Too large
      x-errata-codes: [FILE_TOO_LARGE]
    '4xx':
      description: Client errors
      x-errata-codes: [NOT_FOUND, FILE_TOO_LARGE]
`,
  }),
};

/**
 * Only exact status keys: `getThing`'s rules follow from them (GONE_ISH under 404 and 410, no meta
 * or Retry-After), so operation-types.ts writes them as `ExactRules`; `updateThing`'s NOT_FOUND
 * requires meta, so its rules are spelled out.
 */
const EXACT = {
  files: {
    ...RANGES,
    'paths/thing.yaml': `get:
  operationId: getThing
  parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
  responses:
    '200': { description: ok, content: { application/json: { schema: { type: object } } } }
    '404':
      description: Not found
      x-errata-codes: [GONE_ISH, MISPLACED]
    '410':
      description: Gone
      x-errata-codes: [GONE_ISH]
    '413': { $ref: ../responses/TooLarge.yaml }
    '422': { $ref: ../responses/TooLarge.yaml }
    '500':
      description: Broken
      x-errata-codes: [BROKEN]
post:
  operationId: updateThing
  parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
  responses:
    '200': { description: ok, content: { application/json: { schema: { type: object } } } }
    '404':
      description: Not found
      x-errata-codes: [NOT_FOUND]
    '500':
      description: Broken
      x-errata-codes: [BROKEN]
`,
  },
};

/**
 * Each contract's output, and its rule-parity files (helpers/rule-parity.ts) type-checked with
 * every other contract's in one compiler program: the same diagnostics per file, one compiler
 * start-up.
 */
type Parity = { code: number; output: string; calls: number };
const outputs = new Map<string, { out: string; server: Json; catalog: Json; parity: Parity }>();
/** The mini contracts' outputs, each with its rule-parity files (without and with the catalog) by name. */
const minis = new Map<string, { out: string; server: Json; catalog: Json; parity: Record<string, Parity> }>();
beforeAll(async () => {
  const load = async (out: string) => ({ out, server: await import(path.join(out, 'server.ts')), catalog: await import(path.join(out, 'catalog.ts')) });
  const written: { name: string; file: string; calls: number }[] = [];
  for (const [name, spec] of Object.entries(CONTRACTS)) {
    const o = await load(await generated({ spec }));
    written.push({ name, ...writeRuleParity(path.dirname(o.out), o.server.serverOperations, o.catalog.catalog) });
    outputs.set(name, { ...o, parity: { code: -1, output: '', calls: 0 } });
  }
  const minisWritten: { name: string; key: string; file: string; calls: number }[] = [];
  for (const [name, contract, args] of [['ranges', { files: RANGES_FIXED }, []], ['lower-range', LOWER_RANGE, ['--no-validate']], ['exact', EXACT, []]] as const) {
    const o = await load(await generated(contract, [...args]));
    const dir = path.dirname(o.out);
    if (name === 'ranges') minisWritten.push({ name, key: 'rule-parity.ts', ...writeRuleParity(dir, o.server.serverOperations) });
    minisWritten.push({ name, key: 'rule-parity-catalog.ts', ...writeRuleParity(dir, o.server.serverOperations, o.catalog.catalog, 'rule-parity-catalog.ts') });
    minis.set(name, { ...o, parity: {} });
  }
  // Every rule-parity file in one compiler program: the same diagnostics per file, one start-up.
  // Only the parity files are checked whole: test/contracts.test.ts type-checks each contract's
  // generated code itself (three times the parity files' cost here); a generated type that broke
  // the builders would still show here, as a used @ts-expect-error or a refused call.
  const checked = typecheckEach(
    [...written, ...minisWritten].map((w) => ({ dir: path.dirname(w.file), files: [w.file] })),
    { only: 'files' },
  );
  written.forEach((w, i) => (outputs.get(w.name)!.parity = { ...checked[i]!, calls: w.calls }));
  minisWritten.forEach((w, i) => (minis.get(w.name)!.parity[w.key] = { ...checked[written.length + i]!, calls: w.calls }));
});

describe.each(Object.entries(CONTRACTS))('%s', (name) => {
  let server: Json;
  let catalog: Json;
  let bundled: BundledContract;

  beforeAll(() => {
    const o = outputs.get(name)!;
    ({ server, catalog } = o);
    bundled = new BundledContract(JSON.parse(readFileSync(path.join(o.out, 'openapi.json'), 'utf8')));
  });

  /** The response schema pointer of `op` under `status` (exact key, then range, then default). */
  function schemaOf(op: Json, status: number): { pointer: string; mediaType: string } {
    const responses = bundled.errorResponses().filter((r) => r.path === op.path && r.method === op.method);
    const hit = responses.find((r) => r.status === String(status)) ?? responses.find((r) => r.status === `${String(status)[0]}XX`) ?? responses.find((r) => r.status === 'default');
    expect(hit, `${op.id} declares ${status}`).toBeDefined();
    return { pointer: `${hit!.pointer}/content/${esc(hit!.mediaType)}/schema`, mediaType: hit!.mediaType };
  }

  /** Meta the contract itself offers for the code: the bundled example of that response. */
  function metaFor(op: Json, code: string, status: number): unknown {
    const env = catalog.envelope;
    if (!env.meta) return undefined;
    const { pointer, mediaType } = schemaOf(op, status);
    const media = bundled.at(`#${pointer.replace(/\/schema$/, '')}`);
    const example = media.examples?.[code]?.value;
    void mediaType;
    return example ? at(example, env.meta) : undefined;
  }

  it('the builder input types and the guard apply the same rules to every operation and code', () => {
    const r = outputs.get(name)!.parity;
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
    expect(r.calls).toBeGreaterThan(10);
  });

  it("the client reads every (operation, code, status) the guard allows as that contract code, and every other catalog status as unknown", async () => {
    const r = await checkClientParity(server as any, { envelope: catalog.envelope, codecs: catalog.codecs, metaSchemas: catalog.metaSchemas, catalog: catalog.catalog, operations: catalog.operations });
    expect(r.mismatches).toEqual([]);
    expect(r.allowed).toBeGreaterThan(10);
    expect(r.refused).toBeGreaterThan(0);
  });

  it('builds every declared (operation, code, status) as a body the bundled schema accepts, with the contract headers', () => {
    const env = catalog.envelope;
    const errata = server.createServerErrors({ guard: true, generateRequestId: () => 'req_generated_1' });
    let built = 0;
    for (const [opName, codes] of Object.entries<Json>(server.serverOperations)) {
      const op = catalog.operations[opName];
      for (const [code, rule] of Object.entries<Json>(codes)) {
        for (const status of rule.statuses as number[]) {
          const meta = metaFor(op, code, status);
          const input: Json = { code, status, request: { headers: { [(env.requestIdHeader ?? 'x-request-id').toLowerCase()]: 'req_from_client' } } };
          if (meta !== undefined) input.meta = meta;
          if (rule.retryAfter) input.retryAfter = 30;
          const r = errata.errors[opName](input);
          const { pointer, mediaType } = schemaOf(op, status);
          const v = bundled.validate(pointer, r.body);
          expect(v.valid, `${opName} ${code} ${status}: ${v.errors}\n${JSON.stringify(r.body)}`).toBe(true);
          expect(r.status).toBe(status);
          expect(r.headers['content-type']).toBe(mediaType);
          expect(at(r.body, env.code)).toBe(code);
          // The wire message (issue 13, item 3), never the documentation.
          expect(at(r.body, env.message)).toBe(server.wireMessage(catalog.catalog[code].message, status));
          expect(at(r.body, env.message) === catalog.catalog[code].description && catalog.catalog[code].message !== catalog.catalog[code].description).toBe(false);
          if (env.requestIdHeader) expect(r.headers[env.requestIdHeader.toLowerCase()]).toBe('req_from_client');
          if (env.requestIdBody) expect(at(r.body, env.requestIdBody)).toBe('req_from_client');
          if (rule.retryAfter) expect(r.headers['retry-after']).toBe('30');
          built++;
        }
      }
    }
    expect(built).toBeGreaterThan(10);
  });

  it('sends the same result as a Web Response and on a Node-style response', async () => {
    const [opName, codes] = Object.entries<Json>(server.serverOperations).find(([, c]) => Object.keys(c).length > 0)!;
    const [code, rule] = Object.entries<Json>(codes).find(([, r]) => !r.meta) ?? Object.entries<Json>(codes)[0]!;
    const op = catalog.operations[opName];
    const input: Json = { code, status: rule.statuses[0], message: 'Custom message', retryAfter: rule.retryAfter ? 5 : undefined };
    const meta = metaFor(op, code, rule.statuses[0]);
    if (meta !== undefined) input.meta = meta;
    const r = server.errors[opName](input);
    expect(at(r.body, catalog.envelope.message)).toBe('Custom message');

    const res: Response = server.toResponse(r);
    expect(res.status).toBe(r.status);
    expect(res.headers.get('content-type')).toBe(r.headers['content-type']);
    expect(await res.json()).toEqual(r.body);

    const written: Json = {};
    server.send(
      {
        headersSent: false,
        writeHead: (status: number, headers: Json) => Object.assign(written, { status, headers }),
        end: (text: string) => Object.assign(written, { text }),
        destroy: () => undefined,
      },
      r,
    );
    expect(written.status).toBe(r.status);
    expect(JSON.parse(written.text)).toEqual(r.body);
    expect(written.headers['content-length']).toBe(String(Buffer.byteLength(written.text)));
  });

  it('turns an unexpected exception into the contract 500 code with a request id, without its message or stack', async () => {
    const seen: Json[] = [];
    const errata = server.createServerErrors({ onUnexpected: (error: unknown, info: Json) => seen.push({ error, info }) });
    const internalCode = server.serverContract.internalCode;
    expect(catalog.catalog[internalCode].status).toContain(500);
    const handler = errata.fetch(async () => {
      throw new Error('password=hunter2 in /srv/app/secret.ts');
    });
    const res: Response = await handler(new Request('http://x.test/anything'));
    const text = await res.text();
    expect(res.status).toBe(500);
    expect(text).not.toMatch(/hunter2|secret\.ts|at .*:\d+/);
    const body = JSON.parse(text);
    expect(at(body, catalog.envelope.code)).toBe(internalCode);
    const env = catalog.envelope;
    const id = env.requestIdHeader ? res.headers.get(env.requestIdHeader) : env.requestIdBody ? at(body, env.requestIdBody) : undefined;
    if (env.requestIdHeader || env.requestIdBody) {
      expect(id).toMatch(/^req_[0-9a-f]{16}$/);
      expect(seen[0]!.info.requestId).toBe(id);
    }
    expect((seen[0]!.error as Error).message).toContain('hunter2');
    // Validates against a 500 response of an operation that declares the code.
    const [opName] = Object.entries<Json>(server.serverOperations).find(([, c]) => internalCode in c)!;
    const v = bundled.validate(schemaOf(catalog.operations[opName], 500).pointer, body);
    expect(v.valid, v.errors).toBe(true);
  });

  it('the guard names operation, code and status of an error the operation does not declare', () => {
    const errata = server.createServerErrors({ guard: true });
    const ops = Object.entries<Json>(server.serverOperations);
    const allCodes = Object.keys(catalog.catalog);
    const [opName, codes] = ops.find(([, c]) => allCodes.some((k) => !(k in c)))!;
    const foreign = allCodes.find((k) => !(k in codes))!;
    expect(() => errata.errors[opName]({ code: foreign, status: catalog.catalog[foreign].status[0] })).toThrow(
      new RegExp(`${opName} cannot return ${foreign} with status ${catalog.catalog[foreign].status[0]}`),
    );
    const [code, rule] = Object.entries<Json>(codes)[0]!;
    expect(() => errata.errors[opName]({ code, status: 418, meta: {}, retryAfter: 1 })).toThrow(new RegExp(`${opName} cannot return ${code} with status 418: the operation declares it under ${rule.statuses.join(', ')} only`));
    try {
      errata.errors[opName]({ code: foreign });
      expect.unreachable();
    } catch (e: any) {
      expect(e).toBeInstanceOf(server.ContractViolation);
      expect([e.operation, e.code]).toEqual([opName, foreign]);
    }
    // Without the guard (production), the builder trusts its caller.
    const lax = server.createServerErrors({ guard: false });
    expect(lax.errors[opName]({ code: foreign }).status).toBe(catalog.catalog[foreign].status[0]);
  });

  it('takes a well-formed request id from the request, and replaces one that could inject into headers or logs', () => {
    const env = catalog.envelope;
    const header = (env.requestIdHeader ?? 'x-request-id').toLowerCase();
    const errata = server.createServerErrors();
    expect(errata.requestId(new Request('http://x.test', { headers: { [header]: 'abc-123_X.y:z' } }))).toBe('abc-123_X.y:z');
    expect(errata.requestId({ headers: { [header]: 'evil\u0000 value' } })).toMatch(/^req_[0-9a-f]{16}$/);
    expect(errata.requestId({ headers: { [header]: 'x'.repeat(500) } })).toMatch(/^req_[0-9a-f]{16}$/);
    const scope = errata.forRequest({ headers: { [header]: 'scoped-1' } });
    expect(scope.requestId).toBe('scoped-1');
    const ok = scope.json(200, { fine: true });
    if (env.requestIdHeader) expect(ok.headers[env.requestIdHeader.toLowerCase()]).toBe('scoped-1');
    expect(scope.internal().requestId).toBe('scoped-1');
  });
});

// The outputs the file's beforeAll loaded: a fresh copy would be transformed and imported again.
describe('envelope-specific members', () => {
  it('problem+json: fills status, title and type as RFC 9457 asks', async () => {
    const { server } = outputs.get('problem-json')!;
    const r = server.errors.createShipment({ code: 'INVALID_ADDRESS', status: 422, meta: { field: 'postalCode' } });
    expect(r.headers['content-type']).toBe('application/problem+json');
    expect(r.body).toEqual({ type: 'about:blank', title: 'Unprocessable Content', status: 422, detail: expect.any(String), code: 'INVALID_ADDRESS', context: { field: 'postalCode' } });
    // A Date Retry-After counts from now: the clock is frozen so the seconds are exact.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.UTC(2026, 0, 1, 12, 0, 0));
      const limited = server.errors.getShipment({ code: 'RATE_LIMITED', retryAfter: new Date(Date.UTC(2026, 0, 1, 12, 1, 1, 500)) });
      expect(limited.headers['retry-after']).toBe('62');
    } finally {
      vi.useRealTimers();
    }
    const limited = server.errors.getShipment({ code: 'RATE_LIMITED', retryAfter: 61 });
    expect(limited.body.status).toBe(429);
  });

  it('nested: the request id travels in the body, not a header', async () => {
    const { server } = outputs.get('nested-error')!;
    const r = server.errors.createOrder({ code: 'OUT_OF_STOCK', meta: { sku: 'TSHIRT-M', available: 0 }, requestId: 'req_abc' });
    expect(r.body).toEqual({ error: { code: 'OUT_OF_STOCK', message: expect.any(String), details: { sku: 'TSHIRT-M', available: 0 } }, request_id: 'req_abc' });
    expect(Object.keys(r.headers)).toEqual(['content-type', 'x-content-type-options']);
  });

  it('detail wrapper: no meta in the envelope, so the guard refuses one', async () => {
    const { server } = outputs.get('detail-wrapper')!;
    const r = server.errors.updateNote({ code: 'NOTE_LOCKED', status: 423 });
    expect(r.body).toEqual({ detail: { code: 'NOTE_LOCKED', message: expect.any(String) } });
    expect(r.headers['x-request-id']).toMatch(/^req_/);
    expect(() => server.errors.updateNote({ code: 'NOTE_LOCKED', status: 423, meta: { who: 'bob' } })).toThrow(/updateNote cannot return NOTE_LOCKED with status 423: the envelope has no place for `meta`/);
    expect(() => server.errors.updateNote({ code: 'NOTE_LOCKED' })).toThrow(/declared under 409 and 423; pass `status`/);
    expect(() => server.errors.listNotes({ code: 'TOO_MANY_REQUESTS' })).toThrow(/requires a Retry-After header/);
  });
});

describe('contract shapes beyond the fixtures', () => {
  it('status ranges and default admit the catalog statuses that fit; required envelope members without a pointer are filled', async () => {
    // Listings no response can carry are errors (issue 13, item 8): MISPLACED (404 only) under 4XX
    // beside an exact 404, GONE_ISH under default while 404 and 4XX answer both its statuses.
    const broken = tempTree(RANGES);
    const refused = await errataInProcess(['generate', '--spec', path.join(broken, 'openapi.yaml'), '--out', path.join(broken, 'generated')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('MISPLACED is listed under 4XX in updateThing, but no response there can carry it: its status is answered 404 by the 404 response');
    expect(refused.stderr).toContain('fix:   list it under 404 instead of 4XX');
    expect(refused.stderr).toContain('GONE_ISH is listed under default in updateThing, but no response there can carry it: its statuses are answered 404 by the 404 response, 410 by the 4XX response');
    expect(refused.stderr).toContain('fix:   list it under 404 instead of default (4XX already lists it)');
    const { out, server, catalog, parity: checked } = minis.get('ranges')!;
    expect(server.serverOperations.getThing).toEqual({
      NOT_FOUND: { statuses: [404], meta: true, retryAfter: false },
      FILE_TOO_LARGE: { statuses: [413, 422], meta: false, retryAfter: false },
      // A 429 alone does not force Retry-After (backoff-only APIs); the 4XX response declares no header.
      SLOW_DOWN: { statuses: [429], meta: false, retryAfter: false },
      BROKEN: { statuses: [500, 503], meta: false, retryAfter: true },
    });
    expect(server.serverContract.internalCode).toBe('BROKEN');
    const parity = checked['rule-parity.ts']!;
    expect(parity.output).toBe('');
    expect(parity.code).toBe(0);
    const e = server.errors.getThing({ code: 'FILE_TOO_LARGE', status: 422 });
    // No catalog `message`: the status's reason phrase goes out, never the description (issue 13).
    expect(e.body).toEqual({ kind: 'error', version: 2, code: 'FILE_TOO_LARGE', error: 'Unprocessable Content' });
    const bundled = new BundledContract(JSON.parse(readFileSync(path.join(out, 'openapi.json'), 'utf8')));
    const v = bundled.validate('/paths/~1things~1{id}/get/responses/4XX/content/application~1json/schema', e.body);
    expect(v.valid, v.errors).toBe(true);
    expect(server.errata.internal().status).toBe(500);

    // An exact key wins over a range, a range over default (OpenAPI's precedence, and the client's):
    // 404 is NOT_FOUND's alone, so 4XX admits GONE_ISH only with 410 and MISPLACED (404 only) never;
    // 503 has its own key, so default admits BROKEN only with 500.
    expect(server.serverOperations.updateThing).toEqual({
      NOT_FOUND: { statuses: [404], meta: true, retryAfter: false },
      GONE_ISH: { statuses: [410], meta: false, retryAfter: false },
      FILE_TOO_LARGE: { statuses: [413, 422], meta: false, retryAfter: false },
      BROKEN: { statuses: [500, 503], meta: false, retryAfter: true },
    });
    expect(() => server.errors.updateThing({ code: 'GONE_ISH', status: 404 })).toThrow(/updateThing cannot return GONE_ISH with status 404: the operation declares it under 410 only/);
    expect(() => server.errors.updateThing({ code: 'MISPLACED' })).toThrow(/updateThing cannot return MISPLACED: the operation declares NOT_FOUND, BROKEN, GONE_ISH, FILE_TOO_LARGE$/);
    expect(server.errors.updateThing({ code: 'GONE_ISH' }).status).toBe(410);
    const strict = checked['rule-parity-catalog.ts']!;
    expect(strict.output).toBe('');
    expect(strict.code).toBe(0);
    const client = await checkClientParity(server as any, { envelope: catalog.envelope, codecs: catalog.codecs, metaSchemas: catalog.metaSchemas, catalog: catalog.catalog, operations: catalog.operations });
    expect(client.mismatches).toEqual([]);
    expect(client.allowed).toBe(12);
  });

  it('rules that follow from exact status keys are written as ExactRules, and their builders allow exactly what the guard does', () => {
    const { server, out, parity: checked } = minis.get('exact')!;
    const types = readFileSync(path.join(out, 'operation-types.ts'), 'utf8');
    expect(types).toContain('  getThing: ExactRules<OperationErrors["getThing"]>;');
    expect(types).toContain('  updateThing: {');
    expect(server.serverOperations.getThing.GONE_ISH).toEqual({ statuses: [404, 410], meta: false, retryAfter: false });
    const parity = checked['rule-parity-catalog.ts']!;
    expect(parity.output).toBe('');
    expect(parity.code).toBe(0);
    expect(parity.calls).toBeGreaterThan(10);
  });

  it('a lower-case range key (which the model reads as a range) is a range to the guard and the client alike', async () => {
    const { server, catalog, parity: checked } = minis.get('lower-range')!;
    expect(Object.keys(catalog.operations.getThing.errors)).toEqual(['413', '4xx']);
    expect(server.serverOperations.getThing).toEqual({
      FILE_TOO_LARGE: { statuses: [413, 422], meta: false, retryAfter: false },
      NOT_FOUND: { statuses: [404], meta: true, retryAfter: false },
    });
    const parity = checked['rule-parity-catalog.ts']!;
    expect(parity.output).toBe('');
    expect(parity.code).toBe(0);
    const client = await checkClientParity(server as any, { envelope: catalog.envelope, codecs: catalog.codecs, metaSchemas: catalog.metaSchemas, catalog: catalog.catalog, operations: catalog.operations });
    expect(client.mismatches).toEqual([]);
    expect(client.allowed).toBe(3);
  });

  it('without a 5xx code in the catalog, an unexpected exception is a bare 500 with the request id header', async () => {
    const out = await generated({ files: miniContract() });
    const server = await import(path.join(out, 'server.ts'));
    expect(server.serverContract.internalCode).toBeUndefined();
    const seen: string[] = [];
    const errata_ = server.createServerErrors({ onUnexpected: (_e: unknown, info: Json) => seen.push(info.requestId) });
    expect(errata_.internal(new Error('x'), { requestId: 'req_bare' })).toEqual({ status: 500, headers: { 'x-content-type-options': 'nosniff', 'x-request-id': 'req_bare' }, body: undefined, code: undefined, requestId: 'req_bare' });
    const res: Response = await errata_.fetch(() => {
      throw new Error('boom');
    })(new Request('http://x.test/', { headers: { 'x-request-id': 'req_thrown' } }));
    expect(res.status).toBe(500);
    expect([...res.headers.keys()]).toEqual(['x-content-type-options', 'x-request-id']);
    expect(res.headers.get('x-request-id')).toBe('req_thrown');
    expect(await res.text()).toBe('');
    expect(seen).toEqual(['req_bare', 'req_thrown']);
    const written: Json = {};
    await errata_.node(() => {
      throw new Error('boom');
    })({ headers: {} }, { headersSent: false, writeHead: (status: number, headers: Json) => Object.assign(written, { status, headers }), end: (text?: string) => Object.assign(written, { text }), destroy: () => undefined });
    expect(written).toEqual({ status: 500, headers: { 'x-content-type-options': 'nosniff', 'x-request-id': expect.stringMatching(/^req_/), 'content-length': '0' }, text: undefined });
  });

  it('refuses an internal code the catalog does not have, or that is not a 5xx code', async () => {
    const server = await import('../../generated/server');
    expect(() => server.createServerErrors({ internalCode: 'OOPS' as never })).toThrow(/internalCode "OOPS" is not a catalog code/);
    expect(() => server.createServerErrors({ internalCode: 'NOT_FOUND' })).toThrow(/internalCode "NOT_FOUND" has no 5xx status in the catalog \(only 404\)/);
    const storage = server.createServerErrors({ internalCode: 'STORAGE_ERROR', onUnexpected: () => undefined }).internal(new Error('x'));
    // STORAGE_ERROR is a 502 in the catalog: sent as a 500 the client would read it as an unknown code.
    expect([storage.code, storage.status]).toEqual(['STORAGE_ERROR', 502]);
  });
});

describe('handler wrappers', () => {
  it('a guard violation inside a handler reaches the client as the internal error and the log as the violation', async () => {
    const server = await import('../../generated/server');
    const seen: unknown[] = [];
    const errata = server.createServerErrors({ guard: true, onUnexpected: (e) => seen.push(e) });
    const handler = errata.fetch((_req, scope) => (scope.errors.getImage as (i: unknown) => ReturnType<typeof scope.internal>)({ code: 'QUOTA_EXCEEDED', meta: { type: 'img_storage', used: 1, limit: 1 } }));
    const res = await handler(new Request('http://x.test/v1/images/1'));
    expect(res.status).toBe(500);
    expect((await res.json()).code).toBe('INTERNAL');
    expect(seen[0]).toBeInstanceOf(server.ContractViolation);
    expect(String((seen[0] as Error).message)).toContain('getImage cannot return QUOTA_EXCEEDED');
  });

  it('node(): sends the returned result; after headers went out, an exception destroys the connection instead of lying', async () => {
    const server = await import('../../generated/server');
    const errata = server.createServerErrors({ onUnexpected: () => undefined });
    const fake = () => {
      const res = { headersSent: false, status: 0, text: '', destroyed: false, writeHead(s: number) { res.status = s; res.headersSent = true; }, end(t?: string) { res.text = t ?? ''; }, destroy() { res.destroyed = true; } };
      return res;
    };
    const ok = fake();
    await errata.node((_req, _res, scope) => scope.errors.getDoc({ code: 'NOT_FOUND', meta: { entity: 'Document' } }))({ headers: {} }, ok);
    expect([ok.status, JSON.parse(ok.text).code, ok.destroyed]).toEqual([404, 'NOT_FOUND', false]);
    const late = fake();
    await errata.node((_req, res) => {
      res.writeHead(200, {});
      throw new Error('after the status line');
    })({ headers: {} }, late);
    expect([late.status, late.text, late.destroyed]).toEqual([200, '', true]);
  });
});

describe('fetch wrapper', () => {
  it('adds the request id to a Response the handler built itself', async () => {
    const server = await import('../../generated/server');
    const handler = server.errata.fetch(() => new Response('ok', { status: 200 }));
    const res = await handler(new Request('http://x.test/', { headers: { 'x-request-id': 'from-client' } }));
    expect(res.headers.get('x-request-id')).toBe('from-client');
    expect(await res.text()).toBe('ok');
  });

  it('adds it to a Response with immutable headers (Response.redirect) by copying it, instead of failing', async () => {
    const server = await import('../../generated/server');
    const seen: unknown[] = [];
    const handler = server.createServerErrors({ onUnexpected: (e) => seen.push(e) }).fetch(() => Response.redirect('https://cdn.picora.me/img_1.png', 302));
    const res = await handler(new Request('http://x.test/', { headers: { 'x-request-id': 'redirected-1' } }));
    expect(seen).toEqual([]);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://cdn.picora.me/img_1.png');
    expect(res.headers.get('x-request-id')).toBe('redirected-1');
  });
});

describe('addMissingHeaders', () => {
  it('sets only the headers a Response lacks, in place when it can', async () => {
    const { addMissingHeaders } = await import('../../generated/server');
    const own = new Response('ok', { headers: { 'x-request-id': 'own' } });
    expect(addMissingHeaders(own, { 'x-request-id': 'other', 'x-extra': '1' })).toBe(own);
    expect([own.headers.get('x-request-id'), own.headers.get('x-extra')]).toEqual(['own', '1']);
    const redirect = Response.redirect('https://x.test/there', 307);
    expect(addMissingHeaders(redirect, { location: 'https://elsewhere.test/' })).toBe(redirect);
    const copy = addMissingHeaders(redirect, { 'x-request-id': 'r' });
    expect(copy).not.toBe(redirect);
    expect([copy.status, copy.headers.get('location'), copy.headers.get('x-request-id')]).toEqual([307, 'https://x.test/there', 'r']);
    // A body that was already read cannot move to a copy: the Response is returned as it was.
    const read = Response.json({ a: 1 });
    Object.defineProperty(read, 'headers', { value: Response.redirect('https://x.test/', 302).headers });
    await read.text();
    expect(addMissingHeaders(read, { 'x-request-id': 'r' })).toBe(read);
  });
});

describe('request scopes', () => {
  it("bind each builder to the scope's id when first read, and the same builder every time", async () => {
    const server = await import('../../generated/server');
    const errata = server.createServerErrors({ guard: true });
    const a = errata.forRequest({ headers: { 'x-request-id': 'scope-a' } });
    const b = errata.forRequest({ headers: { 'x-request-id': 'scope-b' } });
    expect(a.errors.getImage).toBe(a.errors.getImage);
    expect(a.errors.getImage).not.toBe(b.errors.getImage);
    // Destructured or passed on (as examples/picora-server/edge.ts does), a builder keeps its scope.
    const { getDoc } = b.errors;
    const fail = a.errors.uploadImage;
    expect(getDoc({ code: 'NOT_FOUND', meta: { entity: 'Document' } }).requestId).toBe('scope-b');
    expect(fail({ code: 'UNAUTHORIZED' }).requestId).toBe('scope-a');
    expect(a.errors.getImage({ code: 'FORBIDDEN', requestId: 'explicit' }).requestId).toBe('explicit');
    expect('getImage' in a.errors).toBe(true);
    expect((a.errors as Record<string, unknown>).notAnOperation).toBeUndefined();
    // Unscoped builders stay a plain table of every operation.
    expect(Object.keys(errata.errors)).toEqual(Object.keys(server.serverOperations));
  });
});
