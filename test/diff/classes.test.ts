import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { diff, type Change } from '../../generator/diff';
import { diffPlanted, lineOf, plant } from './plant';

const OP = '/paths/~1things~1{id}/get';
const only = (changes: Change[], rule: string) => changes.filter((c) => c.rule === rule);

describe('diff classifies each planted change (programmatic API)', () => {
  it('reports nothing for identical contracts', async () => {
    const { result } = await diffPlanted(() => {});
    expect(result.changes).toEqual([]);
    expect(result.counts).toEqual({ breaking: 0, warning: 0, safe: 0 });
  });

  it('a code moving to another status is breaking, with both pointers and file:line', async () => {
    const { result, oldText, newText } = await diffPlanted((d) => {
      d['x-errata'].catalog.codes.NOT_FOUND.status = 410;
      const r = d.paths['/things/{id}'].get.responses;
      r['410'] = r['404'];
      delete r['404'];
    });
    const [c] = only(result.changes, 'code-status-changed');
    expect(c).toMatchObject({ level: 'breaking', code: 'NOT_FOUND', operation: 'getThing', status: '410' });
    expect(c!.message).toContain('moves from 404 to 410');
    expect(c!.old).toMatchObject({ pointer: `${OP}/responses/404/x-errata-codes/0`, location: { file: expect.stringMatching(/old\.yaml$/), line: lineOf(oldText, /- NOT_FOUND/, /^ {8}"404":/) } });
    expect(c!.new).toMatchObject({ pointer: `${OP}/responses/410/x-errata-codes/0`, location: { file: expect.stringMatching(/new\.yaml$/), line: lineOf(newText, /- NOT_FOUND/, /^ {8}"410":/) } });
    // The status keys themselves: 410 is a new error status, 404 is gone.
    expect(only(result.changes, 'error-status-added')[0]).toMatchObject({ level: 'warning', status: '410', new: { pointer: `${OP}/responses/410` } });
    expect(only(result.changes, 'error-status-removed')[0]).toMatchObject({ level: 'safe', status: '404' });
  });

  it('a code gaining a status is breaking (FILE_TOO_LARGE gaining 413)', async () => {
    const { result } = await diffPlanted(
      (d) => {
        d['x-errata'].catalog.codes.FILE_TOO_LARGE.status = [413, 422];
        d.paths['/things/{id}'].put.responses['413'] = { description: 'too large', 'x-errata-codes': ['FILE_TOO_LARGE'] };
      },
      {},
      (d) => {
        d['x-errata'].catalog.codes.FILE_TOO_LARGE.status = 422;
        delete d.paths['/things/{id}'].put.responses['413'];
      },
    );
    expect(only(result.changes, 'code-status-changed')).toEqual([
      expect.objectContaining({ level: 'breaking', code: 'FILE_TOO_LARGE', operation: 'putThing', status: '413', message: expect.stringContaining('from 422 to 413, 422') }),
    ]);
  });

  it('status-key precedence decides where a code is met: a code that now also answers 404 is breaking', async () => {
    const { result } = await diffPlanted((d) => {
      const r = d.paths['/things/{id}'].get.responses;
      r['4XX']['x-errata-codes'] = ['NOT_FOUND', 'GONE'];
      delete r['404'];
    });
    const moved = only(result.changes, 'code-status-changed');
    expect(moved).toHaveLength(1);
    expect(moved[0]).toMatchObject({ code: 'GONE', status: '404', level: 'breaking' });
    expect(moved[0]!.message).toContain('from 410 to 404, 410');
    // NOT_FOUND is still met under 404, through 4XX now: nothing changes for a client.
    expect(result.changes.filter((c) => c.code === 'NOT_FOUND')).toEqual([]);
  });

  it('one code removed and one added under the same status is a rename candidate (breaking)', async () => {
    const { result } = await diffPlanted((d) => {
      const codes = d['x-errata'].catalog.codes;
      codes.MISSING = { ...codes.NOT_FOUND };
      delete codes.NOT_FOUND;
      d.paths['/things/{id}'].get.responses['404']['x-errata-codes'] = ['MISSING'];
    });
    const [c] = only(result.changes, 'code-renamed');
    expect(c).toMatchObject({ level: 'breaking', code: 'MISSING', operation: 'getThing', status: '404' });
    expect(c!.message).toContain('NOT_FOUND → MISSING');
    expect(c!.message).toContain('rename candidate');
    expect(c!.old!.pointer).toBe(`${OP}/responses/404/x-errata-codes/0`);
    expect(only(result.changes, 'code-added')).toEqual([]);
    expect(only(result.changes, 'code-removed')).toEqual([]);
  });

  it('a code added to an operation is a warning; removed is safe', async () => {
    const added = await diffPlanted((d) => {
      d['x-errata'].catalog.codes.CONFLICT = { status: 409, description: 'x', fix: 'y' };
      d.paths['/things/{id}'].get.responses['409'] = { description: 'conflict', 'x-errata-codes': ['CONFLICT'] };
    });
    expect(only(added.result.changes, 'code-added')).toEqual([
      expect.objectContaining({ level: 'warning', code: 'CONFLICT', operation: 'getThing', status: '409', new: expect.objectContaining({ pointer: `${OP}/responses/409/x-errata-codes/0` }) }),
    ]);
    expect(only(added.result.changes, 'error-status-added')).toEqual([expect.objectContaining({ level: 'warning', status: '409' })]);
    expect(only(added.result.changes, 'catalog-code-added')).toEqual([]);

    // A response keeps at least one code, so the 502 answers a second code that stays.
    const removed = await diffPlanted(
      (d) => void (d.paths['/things/{id}'].get.responses['502']['x-errata-codes'] = ['UPSTREAM_TIMEOUT']),
      {},
      (d) => {
        d['x-errata'].catalog.codes.UPSTREAM_TIMEOUT = { status: 502, retry: 'backoff', description: 'Upstream timed out.', fix: 'Retry.' };
        d.paths['/things/{id}'].get.responses['502']['x-errata-codes'].push('UPSTREAM_TIMEOUT');
      },
    );
    expect(only(removed.result.changes, 'code-removed')).toEqual([expect.objectContaining({ level: 'safe', code: 'UPSTREAM', status: '502' })]);
    expect(removed.result.counts.breaking).toBe(0);
  });

  it('a code added under 502 with retry none is breaking: old clients retry unknown codes by status', async () => {
    const { result } = await diffPlanted((d) => {
      d['x-errata'].catalog.codes.UPSTREAM_REJECTED = { status: 502, retry: 'none', description: 'x', fix: 'y' };
      d.paths['/things/{id}'].get.responses['502']['x-errata-codes'].push('UPSTREAM_REJECTED');
    });
    expect(only(result.changes, 'code-added-retried')).toEqual([expect.objectContaining({ level: 'breaking', code: 'UPSTREAM_REJECTED' })]);
    expect(only(result.changes, 'code-added')).toEqual([]);
  });

  it('a status dropped from a code that keeps others is safe', async () => {
    const { result } = await diffPlanted((d) => {
      d['x-errata'].catalog.codes.FILE_TOO_LARGE.status = 422;
      delete d.paths['/things/{id}'].put.responses['413'];
    });
    expect(only(result.changes, 'code-status-removed')).toEqual([expect.objectContaining({ level: 'safe', code: 'FILE_TOO_LARGE', operation: 'putThing', status: '413' })]);
    expect(result.counts.breaking).toBe(0);
  });

  it('dropping the request-id or Retry-After header from an error response is breaking', async () => {
    const { result } = await diffPlanted((d) => {
      const r = d.paths['/things/{id}'].get.responses;
      delete r['404'].headers['x-request-id'];
      delete r['429'].headers['Retry-After'];
    });
    expect(only(result.changes, 'request-id-header-dropped')).toEqual([expect.objectContaining({ level: 'breaking', operation: 'getThing', status: '404' })]);
    expect(only(result.changes, 'retry-after-header-dropped')).toEqual([expect.objectContaining({ level: 'breaking', operation: 'getThing', status: '429' })]);
  });

  it('retry: to none and backoff → after are breaking; the other way safe', async () => {
    const codes = (d: any) => d['x-errata'].catalog.codes;
    const r1 = await diffPlanted((d) => void (codes(d).UPSTREAM.retry = 'none'));
    expect(only(r1.result.changes, 'retry-disallowed')).toEqual([expect.objectContaining({ level: 'breaking', code: 'UPSTREAM', old: expect.objectContaining({ pointer: '/x-errata/catalog/codes/UPSTREAM/retry' }) })]);
    const r2 = await diffPlanted((d) => void (codes(d).UPSTREAM.retry = 'after'));
    expect(only(r2.result.changes, 'retry-after-required')).toEqual([expect.objectContaining({ level: 'breaking', code: 'UPSTREAM' })]);
    const r3 = await diffPlanted((d) => void (codes(d).RATE_LIMITED.retry = 'backoff'));
    expect(r3.result.changes.map((c) => [c.rule, c.level])).toEqual([['retry-loosened', 'safe']]);
  });

  it('meta: removed, made optional and retyped members are breaking', async () => {
    const meta = (d: any) => d['x-errata'].catalog.codes.NOT_FOUND.meta;
    const removed = await diffPlanted((d) => {
      delete meta(d).properties.entity;
      meta(d).required = [];
    });
    expect(removed.result.changes.map((c) => [c.rule, c.level, c.code])).toEqual([['meta-member-removed', 'breaking', 'NOT_FOUND']]);
    expect(removed.result.changes[0]!.old!.pointer).toBe('/x-errata/catalog/codes/NOT_FOUND/meta/properties/entity');
    // The locator points at the member's schema, which starts on the line after its key.
    expect(removed.result.changes[0]!.old!.location!.line).toBe(lineOf(removed.oldText, /^ +entity:$/, /NOT_FOUND:/) + 1);

    const optional = await diffPlanted((d) => void (meta(d).required = []));
    expect(optional.result.changes.map((c) => [c.rule, c.level])).toEqual([['meta-member-optional', 'breaking']]);

    const retyped = await diffPlanted((d) => void (meta(d).properties.entity = { type: 'integer' }));
    expect(retyped.result.changes.map((c) => [c.rule, c.level])).toEqual([['meta-member-retyped', 'breaking']]);
    expect(retyped.result.changes[0]!.message).toContain('string → integer');
  });

  it('meta: an enum value added is a warning; removed, a member added, a type narrowed are safe', async () => {
    const meta = (d: any) => d['x-errata'].catalog.codes.NOT_FOUND.meta;
    const added = await diffPlanted((d) => void meta(d).properties.entity.enum.push('Audio'));
    expect(added.result.changes.map((c) => [c.rule, c.level])).toEqual([['meta-enum-value-added', 'warning']]);
    expect(added.result.changes[0]!.message).toContain('"Audio"');
    const removed = await diffPlanted((d) => void (meta(d).properties.entity.enum = ['Image']));
    expect(removed.result.changes.map((c) => [c.rule, c.level])).toEqual([['meta-enum-value-removed', 'safe']]);
    const member = await diffPlanted((d) => void (meta(d).properties.id = { type: 'string' }));
    expect(member.result.changes.map((c) => [c.rule, c.level])).toEqual([['meta-member-added', 'safe']]);
    const narrowed = await diffPlanted((d) => void (meta(d).properties.hint.type = 'string'));
    expect(narrowed.result.changes.map((c) => [c.rule, c.level])).toEqual([['meta-member-narrowed', 'safe']]);
  });

  it('text changes and catalog-only codes are safe', async () => {
    const { result } = await diffPlanted((d) => {
      const codes = d['x-errata'].catalog.codes;
      codes.NOT_FOUND.description = 'Nothing at all there.';
      codes.NOT_FOUND.fix = 'Check the id twice.';
      codes.LATER = { status: 409, description: 'x', fix: 'y' };
    });
    expect(result.changes.map((c) => [c.rule, c.level, c.code])).toEqual([
      ['catalog-code-added', 'safe', 'LATER'],
      ['code-text-changed', 'safe', 'NOT_FOUND'],
      ['code-text-changed', 'safe', 'NOT_FOUND'],
    ]);
  });

  it("a code's wire message changing is safe", async () => {
    const { result } = await diffPlanted(
      (d) => void (d['x-errata'].catalog.codes.NOT_FOUND.message = 'No such thing.'),
      {},
      (d) => void (d['x-errata'].catalog.codes.NOT_FOUND.message = 'Not found.'),
    );
    expect(result.changes).toEqual([
      expect.objectContaining({ rule: 'code-text-changed', level: 'safe', code: 'NOT_FOUND', new: expect.objectContaining({ pointer: '/x-errata/catalog/codes/NOT_FOUND/message' }) }),
    ]);
    expect(result.changes[0]!.message).toBe('NOT_FOUND: message text changed');
  });

  it('the internal code changing is breaking: unexpected exceptions arrive as another code', async () => {
    // Two 500 codes every operation answers; x-errata.internal names which one exceptions become.
    const twoFiveHundreds = (d: any) => {
      d['x-errata'].catalog.codes.INTERNAL = { status: 500, description: 'Unexpected failure.', fix: 'Retry later.' };
      d['x-errata'].catalog.codes.STORAGE = { status: 500, description: 'Storage failed.', fix: 'Retry later.' };
      d['x-errata'].internal = 'INTERNAL';
      for (const op of Object.values(d.paths['/things/{id}']) as any[]) {
        op.responses['500'] = { description: 'server error', headers: { 'x-request-id': { schema: { type: 'string' } } }, 'x-errata-codes': ['INTERNAL', 'STORAGE'] };
      }
    };
    const p = await diffPlanted((d) => void (d['x-errata'].internal = 'STORAGE'), {}, twoFiveHundreds);
    expect(p.result.changes).toEqual([
      expect.objectContaining({ rule: 'internal-code-changed', level: 'breaking', code: 'INTERNAL', old: expect.objectContaining({ pointer: '/x-errata/internal' }), new: expect.objectContaining({ pointer: '/x-errata/internal' }) }),
    ]);
    expect(p.result.changes[0]!.message).toBe('unexpected exceptions become STORAGE instead of INTERNAL');
    expect(p.result.changes[0]!.new!.location!.line).toBe(lineOf(p.newText, /^ {2}internal: STORAGE$/));
    // Unnamed, the catalog's only 500 code is the internal one: the change points at its entry.
    const implicit = await diffPlanted(
      (d) => void (d['x-errata'].internal = 'STORAGE'),
      {},
      (d) => {
        twoFiveHundreds(d);
        delete d['x-errata'].internal;
        delete d['x-errata'].catalog.codes.STORAGE;
        d['x-errata'].catalog.codes.STORAGE = { status: 503, description: 'Storage failed.', fix: 'Retry later.' };
        for (const op of Object.values(d.paths['/things/{id}']) as any[]) {
          op.responses['500']['x-errata-codes'] = ['INTERNAL'];
          op.responses['503'] = { ...op.responses['500'], 'x-errata-codes': ['STORAGE'] };
        }
      },
    );
    expect(only(implicit.result.changes, 'internal-code-changed')).toEqual([
      expect.objectContaining({ level: 'breaking', old: expect.objectContaining({ pointer: '/x-errata/catalog/codes/INTERNAL' }) }),
    ]);
  });

  it('envelope: media type, message, meta and request id moving are breaking', async () => {
    const env = (d: any) => d['x-errata'].envelope;
    const { result } = await diffPlanted((d) => {
      env(d).mediaType = 'application/problem+json';
      env(d).message = '/detail';
      // errata fills the members it names; a required one it no longer names would need a value.
      d.components.schemas.Error.required = ['code', 'detail'];
      env(d).meta = '/info';
      env(d).requestId = { header: 'x-correlation-id' };
    });
    const rules = result.changes.filter((c) => c.level === 'breaking').map((c) => c.rule);
    expect(rules).toEqual(['envelope-media-type-changed', 'envelope-message-moved', 'envelope-meta-moved', 'request-id-moved']);
    expect(result.changes.find((c) => c.rule === 'envelope-message-moved')!.message).toContain('/message → /detail');
  });

  it('operations: removed is breaking, added safe', async () => {
    const { result } = await diffPlanted((d) => {
      const notFound = { description: 'not found', headers: { 'x-request-id': { schema: { type: 'string' } } }, 'x-errata-codes': ['NOT_FOUND'] };
      d.paths['/other'] = { post: { operationId: 'postOther', responses: { '200': { description: 'ok' }, '404': notFound } } };
      delete d.paths['/things/{id}'].put;
    });
    expect(result.changes.map((c) => [c.rule, c.level, c.operation])).toEqual([
      ['operation-removed', 'breaking', 'putThing'],
      ['operation-added', 'safe', 'postOther'],
    ]);
  });

  it('the policy promotes, demotes and turns off rules by id', async () => {
    const plantIt = (d: any) => {
      d['x-errata'].catalog.codes.CONFLICT = { status: 409, description: 'x', fix: 'y' };
      d.paths['/things/{id}'].get.responses['409'] = { description: 'conflict', 'x-errata-codes': ['CONFLICT'] };
    };
    const { result } = await diffPlanted(plantIt, { rules: { 'code-added': 'breaking', 'error-status-added': 'off' } });
    expect(result.changes.map((c) => [c.rule, c.level])).toEqual([['code-added', 'breaking']]);
    await expect(diffPlanted(plantIt, { rules: { 'code-addd': 'safe' } as never })).rejects.toThrow(/unknown rule "code-addd"/);
  });

  it('locates changes in a one-file JSON contract by scanning its text (line and column)', async () => {
    const p = plant((d) => {
      d['x-errata'].catalog.codes.NOT_FOUND.status = 410;
      const r = d.paths['/things/{id}'].get.responses;
      r['410'] = r['404'];
      delete r['404'];
    });
    const json = (file: string) => {
      const doc = parseYaml(readFileSync(file, 'utf8'));
      const text = JSON.stringify(doc, null, 2);
      writeFileSync(file.replace(/\.yaml$/, '.json'), text);
      return text;
    };
    const [oldText, newText] = [json(p.oldFile), json(p.newFile)];
    const r = await diff(p.oldFile.replace(/\.yaml$/, '.json'), p.newFile.replace(/\.yaml$/, '.json'));
    const [c] = only(r.changes, 'code-status-changed');
    const at = (text: string, key: string) => {
      const line = lineOf(text, /"NOT_FOUND"$/, new RegExp(`^ {10}"${key}": \\{`));
      return { line, column: text.split('\n')[line - 1]!.indexOf('"NOT_FOUND"') + 1 };
    };
    expect(c!.old!.location).toMatchObject({ file: expect.stringMatching(/old\.json$/), pointer: `${OP}/responses/404/x-errata-codes/0`, ...at(oldText, '404') });
    expect(c!.new!.location).toMatchObject({ file: expect.stringMatching(/new\.json$/), pointer: `${OP}/responses/410/x-errata-codes/0`, ...at(newText, '410') });
    // A member under a key with `/` and `~`, escaped in the pointer, is found too.
    const meta = await diffPlanted((d) => void (d['x-errata'].catalog.codes.NOT_FOUND.meta.properties['a/b~c'] = { type: 'string' }));
    expect(meta.result.changes[0]!.new!.pointer).toBe('/x-errata/catalog/codes/NOT_FOUND/meta/properties/a~1b~0c');
    expect(meta.result.changes[0]!.new!.location?.line).toBe(lineOf(meta.newText, /^ +a\/b~c:$/) + 1);
  });

  it('reads multi-file contracts and locates each change in the file that declares it (the Picora showcase)', async () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const r = await diff('openapi/history/0.13/openapi.yaml', 'openapi/openapi.yaml', { cwd: root });
    const storage = r.changes.find((c) => c.rule === 'code-status-changed' && c.code === 'STORAGE_ERROR' && c.operation === 'deleteImage');
    expect(storage).toMatchObject({ level: 'breaking', status: '502' });
    expect(storage!.message).toContain('from 500 to 502');
    expect(storage!.old!.location).toMatchObject({ file: 'openapi/history/0.13/components/responses/InternalOrStorage.yaml', pointer: '/x-errata-codes/1', line: expect.any(Number) });
    expect(storage!.new!.location).toMatchObject({ file: 'openapi/components/responses/StorageDeleteFailed.yaml', pointer: '/x-errata-codes/0', line: expect.any(Number) });
  });
});
