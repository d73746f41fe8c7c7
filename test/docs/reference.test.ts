import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { renderPage } from '../../generator/docs/build-docs';
import { docsContract } from '../../generator/docs/docs-contract';
import { redoclyBuildDocs } from '../../generator/docs/redocly-build-docs';
import { TEMPLATES_DIR } from '../../generator/emit/render';
import { prepare } from '../../generator/generate';
import type { Document } from '../../generator/load/load-contract';
import { internalResolver, isRecord } from '../../generator/model/resolve';
import type { ErrorContract } from '../../generator/model/types';
import { ROOT, errata, errataInProcess, tempTree } from '../helpers/cli';
import { hostileContract } from '../helpers/hostile';

/**
 * The Markdown errata hands to Redoc, checked without a browser: what the reference says, for the
 * Picora contract and the other envelope shapes. test/docs/docs.test.ts checks how it renders.
 */

const PICORA = path.join(ROOT, 'openapi/openapi.yaml');
const FIXTURES = ['nested-error', 'detail-wrapper', 'problem-json'].map((f) => path.join(ROOT, 'test/fixtures', f, 'openapi.yaml'));

/** The reference: the description of the tag errata adds first (its own page in Redoc). */
function referenceOf(doc: Document): string {
  const [tag] = doc.tags as { name: string; description: string }[];
  expect(tag!.name).toBe('error-reference');
  return tag!.description;
}

/** A code's heading: Markdown, so that Redoc gives it a route and a search entry. */
const headingOf = (code: string) => `### ${code} {% #error-${code.toLowerCase()} %}\n\n<span id="error-${code}"></span>`;

async function docsFor(spec: string): Promise<{ model: ErrorContract; doc: Document; reference: string; metaNames: (code: string) => string[] }> {
  const { model, bundled } = await prepare(spec);
  const doc = docsContract(model, bundled);
  const resolve = internalResolver(bundled);
  const metaNames = (code: string) => {
    const schema = resolve(model.codes.find((c) => c.code === code)!.meta);
    return isRecord(schema) && isRecord(schema.properties) ? Object.keys(schema.properties) : [];
  };
  return { model, doc, reference: referenceOf(doc), metaNames };
}

/** Splits the Markdown table rows under `heading` (up to the next blank line after the table). */
function tableAfter(markdown: string, heading: string): string[][] {
  const start = markdown.indexOf(heading);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const lines = markdown.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim()));
  }
  return rows;
}

function setAt(target: Record<string, unknown>, tokens: readonly string[], value: unknown): void {
  let node = target;
  for (const t of tokens.slice(0, -1)) node = (node[t] ??= {}) as Record<string, unknown>;
  node[tokens.at(-1)!] = value;
}

describe('the error reference for the Picora contract', () => {
  let model: ErrorContract;
  let doc: Document;
  let reference: string;
  beforeAll(async () => {
    ({ model, doc, reference } = await docsFor(PICORA));
  });

  it('lists every code in its category table (Code | Status | Message | Description | How to fix) with its own anchor', () => {
    for (const category of model.categories) {
      const codes = model.codes.filter((c) => c.category === category.id);
      if (!codes.length) continue;
      const section = reference.slice(reference.indexOf(`## ${category.title}\n`));
      // Picora's catalog gives each code the message it sends (model v2): the table shows it.
      const rows = tableAfter(section, '| Code | Status | Message | Description | How to fix |');
      expect(rows.map((r) => r[0]), category.id).toEqual(codes.map((c) => `[\`${c.code}\`](#error-${c.code})`));
      expect(rows.map((r) => r[1])).toEqual(codes.map((c) => c.statuses.join(' / ')));
      expect(rows.map((r) => r[2])).toEqual(codes.map((c) => c.message ?? ''));
      for (const row of rows) expect(row).toHaveLength(5);
    }
    for (const c of model.codes) expect(reference.split(headingOf(c.code)), c.code).toHaveLength(2);
  });

  it('explains the envelope with an example body, the request-id header and every status', () => {
    const example = /```json\n([\s\S]*?)\n```/.exec(reference);
    const body = JSON.parse(example![1]!) as Record<string, unknown>;
    expect(model.codes.map((c) => c.code)).toContain(body[model.envelope.code[0]!]);
    expect(reference).toContain(`carries the \`${model.envelope.requestId.header}\` header`);
    const statuses = tableAfter(reference, '## Status overview');
    expect(statuses.map((r) => Number(r[0]))).toEqual(model.statuses.map((s) => s.status));
    const quota = statuses.find((r) => r[0] === '403')!;
    expect(quota[2]).toContain('[`QUOTA_EXCEEDED`](#error-QUOTA_EXCEEDED)');
  });

  it('documents each code\'s meta fields under its heading', () => {
    const section = reference.slice(reference.indexOf(headingOf('QUOTA_EXCEEDED')), reference.indexOf(headingOf('PLAN_REQUIRED')));
    const fields = tableAfter(section, '| `meta` field |');
    expect(fields.map((f) => f[0])).toEqual(['`type`', '`used`', '`limit`']);
    expect(fields[0]![1]).toBe('one of "img_storage", "media_storage", "doc_count"');
    expect(fields.map((f) => f[2])).toEqual(['yes', 'yes', 'yes']);
  });

  it('gives retry advice from the catalog: Retry-After codes, backoff codes, the rest not retried', () => {
    const retrying = reference.slice(reference.indexOf('## Retrying'), reference.indexOf('## Handling errors in code'));
    const line = (label: string) => retrying.split('\n- ').find((l) => l.includes(label)) ?? '';
    const linked = (text: string) => [...text.matchAll(/\(#error-([A-Z0-9_]+)\)/g)].map((m) => m[1]);
    expect(linked(line('Wait for `Retry-After`'))).toEqual(model.codes.filter((c) => c.retry === 'after').map((c) => c.code));
    expect(linked(line('exponential backoff'))).toEqual(model.codes.filter((c) => c.retry === 'backoff').map((c) => c.code));
    expect(line('Wait for `Retry-After`')).toContain('`Retry-After` header: the number of seconds');
    expect(line('Do not retry')).toContain('every other code');
  });

  it('ends every operation\'s description with its possible errors, each linking to the catalog entry', () => {
    const paths = doc.paths as Record<string, Record<string, { description: string }>>;
    for (const op of model.operations) {
      const description = paths[op.path]![op.method]!.description;
      const rows = tableAfter(description, '**Possible errors**');
      const expected = op.errors.flatMap((e) => e.codes.map((code) => [e.status, `[\`${code}\`](#error-${code})`]));
      expect(rows.map((r) => [r[0], r[1]]), op.id).toEqual(expected);
      expect(description, op.id).toMatch(/\n\n\*\*Possible errors\*\*\n\n\| Status \| Code \| When \|/);
    }
  });
});

describe('the "Handling errors in code" example', () => {
  /**
   * Runs the page's example against a real `Response` for every code of a contract, with the
   * body built from the envelope's pointers: the example must read the code, message, meta and
   * request id where that contract puts them.
   */
  async function runExample(spec: string) {
    const { model, reference, metaNames } = await docsFor(spec);
    const snippet = /^(`{3,})js\n([\s\S]*?)\n\1$/m.exec(reference)![2]!;
    const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => (...args: unknown[]) => Promise<void>;
    const run = new AsyncFunction('fetch', 'request', 'console', 'setTimeout', snippet);
    const env = model.envelope;
    const outcomes = new Map<string, { logged: unknown[][]; waited: number[] }>();
    for (const c of model.codes) {
      const body: Record<string, unknown> = {};
      setAt(body, env.code, c.code);
      setAt(body, env.message, `message of ${c.code}`);
      if (env.meta) setAt(body, env.meta, Object.fromEntries(metaNames(c.code).map((n) => [n, `${n} of ${c.code}`])));
      if (env.requestId.body) setAt(body, env.requestId.body, 'req-body-1');
      const headers = new Headers({ 'content-type': env.mediaType, 'retry-after': '0' });
      if (env.requestId.header) headers.set(env.requestId.header, 'req-header-1');
      const logged: unknown[][] = [];
      const waited: number[] = [];
      await run(
        async () => new Response(JSON.stringify(body), { status: c.statuses[0], headers }),
        new Request('http://127.0.0.1/'),
        { error: (...args: unknown[]) => logged.push(args) },
        (resolve: () => void, ms: number) => (waited.push(ms), resolve()),
      );
      outcomes.set(c.code, { logged, waited });
    }
    return { model, outcomes, metaNames };
  }

  for (const spec of [PICORA, ...FIXTURES]) {
    it(`reads the envelope of ${path.relative(ROOT, spec)} right`, async () => {
      const { model, outcomes, metaNames } = await runExample(spec);
      let waits = 0;
      let metas = 0;
      for (const c of model.codes) {
        const { logged, waited } = outcomes.get(c.code)!;
        if (waited.length) {
          // The Retry-After branch: waits the header's 0 seconds and logs nothing.
          expect(c.retry, c.code).toBe('after');
          expect(waited).toEqual([0]);
          expect(logged).toEqual([]);
          waits++;
        } else if (logged[0]?.[0] === `${c.code}:`) {
          expect(metaNames(c.code)).toContain(String(logged[0][1]).replace(` of ${c.code}`, ''));
          metas++;
        } else {
          const requestId = model.envelope.requestId.header ? 'req-header-1' : model.envelope.requestId.body ? 'req-body-1' : undefined;
          expect(logged, c.code).toEqual([[`${c.statuses[0]} ${c.code}: message of ${c.code}`, ...(requestId ? [requestId] : [])]]);
        }
      }
      expect(waits).toBe(model.codes.some((c) => c.retry === 'after') ? 1 : 0);
      expect(metas).toBeLessThanOrEqual(1);
    });
  }

  it('stays valid JavaScript when field names are hostile', async () => {
    const dir = tempTree({ 'openapi.json': hostileContract() });
    const { outcomes, metaNames } = await runExample(path.join(dir, 'openapi.json'));
    const [name] = metaNames('HOSTILE_CODE');
    expect(outcomes.get('HOSTILE_CODE')!.logged).toEqual([['HOSTILE_CODE:', `${name} of HOSTILE_CODE`]]);
  });
});

describe('catalog Markdown in the error reference', () => {
  /** A small contract with one code, `ENTRY_CODE`, whose catalog entry the test writes. */
  function contractWith(entry: Record<string, unknown>, schemas: Record<string, unknown> = {}, categoryTitle = 'Entries', errata: Record<string, unknown> = {}): string {
    return JSON.stringify({
      openapi: '3.1.0',
      info: { title: 'Entries', version: '1.0.0' },
      'x-errata': {
        envelope: { schema: { $ref: '#/components/schemas/Error' }, code: '/code', message: '/message', meta: '/meta', requestId: { header: 'x-request-id' } },
        catalog: {
          statuses: { '400': 'The request is wrong.' },
          categories: [{ id: 'entries', title: categoryTitle }],
          codes: { ENTRY_CODE: { status: 400, category: 'entries', description: 'An entry.', fix: 'Fix it.', ...entry } },
        },
        ...errata,
      },
      paths: {
        '/things': {
          get: {
            operationId: 'listThings',
            responses: { '200': { description: 'The things.' }, '400': { description: 'Wrong.', 'x-errata-codes': ['ENTRY_CODE'] } },
          },
        },
      },
      components: {
        schemas: {
          Error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, meta: { type: 'object', additionalProperties: true } } },
          ...schemas,
        },
      },
    });
  }

  async function referenceFor(entry: Record<string, unknown>, schemas?: Record<string, unknown>, categoryTitle?: string, edit?: (model: ErrorContract) => void, errata?: Record<string, unknown>) {
    const dir = tempTree({ 'openapi.json': contractWith(entry, schemas, categoryTitle, errata) });
    const { model, bundled } = await prepare(path.join(dir, 'openapi.json'));
    edit?.(model);
    const doc = docsContract(model, bundled);
    const reference = referenceOf(doc);
    const detail = reference.slice(reference.indexOf(headingOf('ENTRY_CODE')));
    return { reference, detail, doc, model };
  }

  it('adds a Message column when the catalog has messages, and a Field column where a code pins `field`', async () => {
    const { reference, detail } = await referenceFor(
      { meta: { type: 'object', required: ['field'], properties: { field: { const: 'prompt' }, limit: { type: 'integer' } } }, example: { field: 'prompt', limit: 1 } },
      {},
      'Entries',
      // The model v2 work reads `message` from the catalog; until then the model is edited by hand.
      (model) => (model.codes[0]!.message = 'The prompt | is too long.'),
    );
    const rows = tableAfter(reference.slice(reference.indexOf('## Entries')), '| Code | Status | Message | Description | How to fix | Field |');
    expect(rows).toEqual([['[`ENTRY_CODE`](#error-ENTRY_CODE)', '400', 'The prompt \\| is too long.', 'An entry.', 'Fix it.', '`prompt`']]);
    expect(detail).toContain('**Field:** `prompt`');
    expect(detail).toContain('**Message:** The prompt | is too long.');
  });

  it('links each operation that returns a code to its Redoc address (operationId, or path and method)', async () => {
    const { detail } = await referenceFor({}, {}, 'Entries', (model) => {
      const op = model.operations[0]!;
      model.operations.push({ ...op, id: 'get /other/{id}', operationId: undefined, path: '/other/{id}', pointer: '/paths/~1other~1{id}/get' });
    });
    expect(detail).toContain('**Returned by:** [`GET /things`](#operation/listThings), [`GET /other/{id}`](#paths/~1other~1%7Bid%7D/get)');
  });

  it('tells each code its RFC 9457 type, the code\'s address in the reference, when the contract publishes it (x-errata.docsUrl)', async () => {
    const { reference, detail, model } = await referenceFor({}, {}, 'Entries', undefined, { docsUrl: 'https://docs.example.com/errors' });
    expect(model.codes[0]!.type).toBe('https://docs.example.com/errors#error-ENTRY_CODE');
    expect(detail).toContain('**Type:** `https://docs.example.com/errors#error-ENTRY_CODE`');
    expect(reference).toContain('`https://docs.example.com/errors#error-CODE`: it is the code\'s RFC 9457');
    const { detail: plain } = await referenceFor({});
    expect(plain).not.toContain('**Type:**');
  });

  it('shows the envelope example as the server sends it: no details member for a code without details', async () => {
    const { reference } = await referenceFor({});
    const body = JSON.parse(/```json[^\n]*\n([\s\S]*?)\n```/.exec(reference)![1]!) as Record<string, unknown>;
    expect(body).toEqual({ code: 'ENTRY_CODE', message: expect.any(String) });
  });

  it('keeps Markdoc tags as written: escaped in prose, fences opt out of Markdoc', async () => {
    const { detail } = await referenceFor({ description: 'Before {% if false %}hidden{% /if %} after.\n\n```\n{% if false %}in fence{% /if %}\n```', fix: 'Send `{% x %}`.' });
    expect(detail).toContain('Before \\{% if false %}hidden\\{% /if %} after.');
    expect(detail).toContain('``` {% process=false %}\n{% if false %}in fence{% /if %}\n```');
    expect(detail).toContain('Send `{% x %}`.');
  });

  it('escapes code spans once: their text is shown as written, the prose around them as entities', async () => {
    const { detail } = await referenceFor({ fix: 'Use `Authorization: Bearer <key>` & `a && b`, not <key>.' });
    expect(detail).toContain('Use `Authorization: Bearer <key>` &amp; `a && b`, not &lt;key&gt;.');
  });

  it('escapes a meta field description reached through $ref once', async () => {
    const { detail } = await referenceFor(
      { meta: { $ref: '#/components/schemas/EntryMeta' }, example: { used: 1 } },
      { EntryMeta: { type: 'object', required: ['used'], properties: { used: { type: 'integer', description: 'Bytes <x> & counted | here' } } } },
    );
    const fields = tableAfter(detail, '| `meta` field |');
    expect(fields).toEqual([['`used`', 'integer', 'yes', 'Bytes &lt;x&gt; &amp; counted \\| here']]);
    expect(detail).not.toContain('&amp;lt;');
  });

  it('keeps lists and code spans in a code\'s own entry; only table cells flatten them', async () => {
    const description = 'Two causes:\n\n- the `a|b` header is missing\n- the body is empty';
    const fix = 'Either:\n\n1. send `a|b`\n2. or send a body';
    const { reference, detail } = await referenceFor({ description, fix, since: 'v2 | beta', notes: 'one\ntwo | three' }, {}, 'Entries | more');
    // The code's entry: Markdown blocks as written, no backslash before the pipes.
    expect(detail).toContain('\n\nTwo causes:\n\n- the `a|b` header is missing\n- the body is empty\n\n');
    expect(detail).toContain('\n\nEither:\n\n1. send `a|b`\n2. or send a body\n\n');
    expect(detail).toContain('**Since:** v2 | beta · **Note:** one two | three\n');
    expect(reference).toContain('\n## Entries | more\n');
    // The category table: one line per row, the pipe escaped so the row keeps its four cells.
    const rows = tableAfter(reference.slice(reference.indexOf('## Entries')), '| Code | Status | Description | How to fix |');
    expect(rows).toEqual([['[`ENTRY_CODE`](#error-ENTRY_CODE)', '400', 'Two causes: - the `a\\|b` header is missing - the body is empty', 'Either: 1. send `a\\|b` 2. or send a body']]);
  });

  it('shows enum values in the meta table as written, not as Markdown', async () => {
    const { detail } = await referenceFor({
      meta: { type: 'object', properties: { kind: { type: 'string', enum: ['img_storage', '*bold*', '[x](y)', 'a|b'] } } },
      example: { kind: 'img_storage' },
    });
    const [kind] = tableAfter(detail, '| `meta` field |');
    expect(kind![1]).toBe('one of "img_storage", "\\*bold\\*", "\\[x\\]\\(y\\)", "a\\|b"');
  });

  it('closes a code fence the catalog leaves open, so the rest of the reference is not code', async () => {
    const { detail } = await referenceFor({ description: 'Sent as:\n\n```json\n{ "a": 1 }' });
    const before = detail.slice(0, detail.indexOf('**How to fix:**'));
    expect(before.match(/^```/gm)).toHaveLength(2);
  });
});

describe('spec strings in the docs contract', () => {
  const payload = 'x <img src=x onerror="window.__xss=1"> <script>window.__xss=2</script> [click](javascript:window.__xss=3) a | b `tick`';

  it('every description is neutralised; examples, summaries and titles keep their text', async () => {
    const dir = tempTree({ 'openapi.json': hostileContract('HOSTILE_CODE', payload) });
    const { doc } = await docsFor(path.join(dir, 'openapi.json'));
    const descriptions: string[] = [];
    const summaries: string[] = [];
    const walk = (node: unknown, key = '') => {
      if (typeof node === 'string') (key === 'description' ? descriptions : key === 'summary' ? summaries : []).push(node);
      else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) if (!k.startsWith('x-')) walk(v, Array.isArray(node) ? key : k);
    };
    // Extensions (x-errata) are errata's input, which Redoc does not render.
    walk(doc);
    expect(descriptions.length).toBeGreaterThan(5);
    for (const d of descriptions) {
      // Code blocks and code spans show their text as is; everything else must not hold markup.
      const prose = d.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '').replace(/(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');
      expect(prose, d).not.toMatch(/<(script|img)\b/i);
      expect(prose).not.toMatch(/\]\(javascript:/i);
    }
    expect(summaries).toContain(payload);
    const op = Object.values(doc.paths as Record<string, { get: { description: string } }>)[0]!.get;
    expect(op.description.startsWith('x &lt;img src=x onerror="window.__xss=1"&gt; &lt;script&gt;')).toBe(true);
    const examples = Object.values((op as unknown as { responses: Record<string, { content: Record<string, { examples: Record<string, { value: unknown }> }> }> }).responses['400']!.content['application/json']!.examples);
    expect(examples.map((e) => e.value)).toContainEqual({ code: 'HOSTILE_CODE', message: payload, meta: { [payload]: payload } });
  });
});

describe('errors on any request (x-errata.unrouted)', () => {
  const UNROUTED = path.join(ROOT, 'test/fixtures/unrouted-edge/openapi.yaml');

  it('lists each unrouted code with its status, message, description and fix, and says "any request" under the code', async () => {
    const { model, reference } = await docsFor(UNROUTED);
    expect(model.unrouted.length).toBeGreaterThan(0);
    const withMessage = model.codes.some((c) => c.message !== undefined);
    const header = `| Status | Code |${withMessage ? ' Message |' : ''} Description | How to fix |`;
    expect(reference.slice(reference.indexOf('## Errors on any request'))).toContain(header);
    const cell = (text: string) => text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').trim();
    const expected = model.unrouted.flatMap((e) =>
      e.codes.map((code) => {
        const c = model.codes.find((x) => x.code === code)!;
        return [e.status, `[\`${code}\`](#error-${code})`, ...(withMessage ? [c.message ?? ''] : []), c.description, c.fix].map((v, i) => (i < 2 ? v : cell(v)));
      }),
    );
    expect(tableAfter(reference, '## Errors on any request')).toEqual(expected);
    for (const e of model.unrouted) {
      for (const code of e.codes) {
        const entry = reference.slice(reference.indexOf(headingOf(code)));
        const returnedBy = entry.split('\n').find((l) => l.startsWith('**Returned by:**'))!;
        expect(returnedBy, code).toContain(`[any request](#/error-reference/errors-on-any-request) (${e.status}`);
      }
    }
  });

  it('has no such section when every error belongs to an operation', async () => {
    const { model, reference } = await docsFor(FIXTURES[0]!);
    expect(model.unrouted).toEqual([]);
    expect(reference).not.toContain('## Errors on any request');
    expect(reference).not.toContain('[any request]');
  });
});

describe('the envelope as the contract names it', () => {
  it('labels members and the details table with the wire names (`details`, not "meta")', async () => {
    const { reference } = await docsFor(FIXTURES[0]!);
    const fields = tableAfter(reference, '| Member | Where in the body | Meaning |');
    expect(fields.map((f) => [f[0], f[1]])).toEqual([['`code`', '`/error/code`'], ['`message`', '`/error/message`'], ['`details`', '`/error/details`'], ['`request_id`', '`/request_id`']]);
    expect(reference).not.toMatch(/\| Meta \||`meta` field/);
    expect(reference).toContain('| `details` field | Type | Required | Description |');
  });
});

describe('fields Redoc renders as Markdown', () => {
  const payload = '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>';
  it('escapes info.summary, a response x-summary and x-enumDescriptions once, and keeps x-logo offline', async () => {
    const { kitchenSink } = await import('./kitchen-sink');
    const dir = tempTree({ 'openapi.json': kitchenSink((f) => `${f} ${payload}`) });
    const { doc } = await docsFor(path.join(dir, 'openapi.json'));
    const info = doc.info as Record<string, unknown>;
    const escaped = (f: string) => `${f} &lt;iframe srcdoc="&lt;script&gt;parent.__pwned=1&lt;/script&gt;"&gt;&lt;/iframe&gt;`;
    expect(info.summary).toBe(escaped('info.summary'));
    const op = (doc.paths as Record<string, Record<string, { responses: Record<string, Record<string, unknown>>; parameters: { schema: Record<string, unknown> }[] }>>)['/things/{id}']!.post!;
    expect(op.responses['200']!['x-summary']).toBe(escaped('paths.things.post.responses.200.x-summary'));
    expect(op.parameters[0]!.schema['x-enumDescriptions']).toEqual({ x: escaped('paths.things.post.parameters.q.x-enumDescriptions.x') });
    const thing = ((doc.components as Record<string, Record<string, Record<string, Record<string, Record<string, unknown>>>>>).schemas!.Thing!.properties!.kind!)['x-enumDescriptions'];
    expect(thing).toEqual({ a: escaped('components.schemas.Thing.kind.x-enumDescriptions.a'), b: escaped('components.schemas.Thing.kind.x-enumDescriptions.b') });
    // A logo would be fetched: only an inline image stays, with a plain colour and an http(s) link.
    expect(info['x-logo']).toBeUndefined();
  });
});

/** A small valid contract for the CLI tests. */
function contractFile(): string {
  return hostileContract('PLAIN_CODE', 'plain');
}

describe('errata docs', () => {
  // The real bin: the exit code and the stream the error goes to are the process's own.
  it('fails on a missing contract and leaves the previous page in place', () => {
    const dir = tempTree({ 'site/index.html': 'previous page' });
    const r = errata(['docs', '--spec', 'missing.yaml', '--out', 'site/index.html'], dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('missing.yaml');
    expect(readFileSync(path.join(dir, 'site/index.html'), 'utf8')).toBe('previous page');
    expect(existsSync(path.join(dir, 'site/index.html.errata-tmp'))).toBe(false);
  });

  /**
   * One page built for the tests below, by the CLI's own `main` in this process, which renders
   * with Redocly as the bin does. The contract's title looks like options (a long one first, a
   * short one after it, a NUL in the middle), and a symlink is planted where a naive writer would
   * stage the page.
   */
  let built: { dir: string; code: number; stdout: string; stderr: string };
  beforeAll(async () => {
    const contract = JSON.parse(contractFile()) as { info: { title: string } };
    contract.info.title = '--help -o A\u0000B';
    const dir = tempTree({ 'victim.txt': 'do not touch', 'openapi.json': JSON.stringify(contract) });
    mkdirSync(path.join(dir, 'site'));
    symlinkSync(path.join(dir, 'victim.txt'), path.join(dir, 'site/index.html.errata-tmp'));
    const r = await errataInProcess(['docs', '--spec', 'openapi.json', '--out', 'site/index.html'], dir);
    built = { dir, ...r };
  });

  it('keeps a title that looks like options (and holds a NUL) as the page\'s title', () => {
    expect(built.code, built.stderr).toBe(0);
    const page = readFileSync(path.join(built.dir, 'site/index.html'), 'utf8');
    expect(/<title>([^<]*)<\/title>/.exec(page)![1]).toBe('--help -o A B — API reference');
  });

  it('does not write through a symlink planted where it stages the page', () => {
    expect(built.code, built.stderr).toBe(0);
    expect(readFileSync(path.join(built.dir, 'victim.txt'), 'utf8')).toBe('do not touch');
    expect(readFileSync(path.join(built.dir, 'site/index.html'), 'utf8')).toContain('<html');
    expect(readdirSync(path.join(built.dir, 'site')).sort()).toEqual(['index.html', 'index.html.errata-tmp']);
  });

  it('prints none of Redocly\'s progress lines (its banner, "Prerendering docs", the page size)', () => {
    expect(built.code, built.stderr).toBe(0);
    const lines = `${built.stdout}${built.stderr}`.trim().split('\n');
    expect(lines).toEqual([expect.stringMatching(/^errata: wrote site\/index\.html \(/)]);
  });

  it('is listed in the help with its defaults', async () => {
    expect((await errataInProcess(['--help'])).stdout).toMatch(/^ {2}docs +render the API reference/m);
    const r = await errataInProcess(['docs', '--help']);
    expect(r.stdout).toContain('Usage: errata docs [api...] [--config redocly.yaml] [--spec openapi.yaml --out site/index.html]');
    expect(r.stdout).toContain("the HTML file to write (default: the config's x-errata.docs, else site/index.html)");
  });
});

describe("Redocly's build-docs, run in this process", () => {
  const contract = (code: string, words: string) => path.join(tempTree({ 'openapi.json': hostileContract(code, words) }), 'openapi.json');

  it('renders contract after contract with nothing of one in the next, the same page every time', async () => {
    const first = contract('FIRST_ONLY_CODE', 'first contract words');
    const second = contract('SECOND_ONLY_CODE', 'second contract words');
    const page = (await renderPage(first)).html;
    // Started together: they run one after the other on the Redocly this process has loaded.
    const [other, again] = await Promise.all([renderPage(second), renderPage(first)]);
    expect(other.html).toContain('SECOND_ONLY_CODE');
    expect(other.html).not.toMatch(/FIRST_ONLY_CODE|first contract words/);
    expect(again.html === page, 'the first contract\'s page, built again after the second, differs').toBe(true);
  });

  it('fails with Redocly\'s reason and warnings, prints nothing, writes nothing, and the next build works', async () => {
    const dir = tempTree({ 'arazzo.yaml': 'arazzo: 1.0.1\ninfo: { title: Flows, version: 1.0.0 }\nsourceDescriptions: [{ name: api, url: ./openapi.yaml, type: openapi }]\nworkflows: []\n' });
    const args = { output: path.join(dir, 'site/index.html'), title: 'Flows', template: path.join(TEMPLATES_DIR, 'docs/page.hbs'), openapi: {} };
    const printed: string[] = [];
    const print = (chunk: string | Uint8Array) => (printed.push(String(chunk)), true);
    // Vitest gives the worker a console of its own, which does not write through these streams.
    const consoled = (...a: unknown[]) => void printed.push(a.map(String).join(' '));
    const spies = [
      vi.spyOn(process.stdout, 'write').mockImplementation(print),
      vi.spyOn(process.stderr, 'write').mockImplementation(print),
      ...(['log', 'info', 'warn', 'error'] as const).map((m) => vi.spyOn(console, m).mockImplementation(consoled)),
    ];
    try {
      await expect(redoclyBuildDocs({ ...args, api: path.join(dir, 'arazzo.yaml') })).rejects.toThrow('redocly build-docs failed: build-docs renders OpenAPI, AsyncAPI, and GraphQL. This file is Arazzo.');
      await expect(redoclyBuildDocs({ ...args, api: path.join(dir, 'missing.yaml') })).rejects.toThrow(/^redocly build-docs failed: Please provide a valid path\.\n\S*missing\.yaml does not exist or is invalid\.$/);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(printed).toEqual([]);
    expect(existsSync(path.join(dir, 'site'))).toBe(false);
    expect((await renderPage(contract('AFTER_FAILURE_CODE', 'after the failures'))).html).toContain('AFTER_FAILURE_CODE');
  });
});
