import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, errataInProcess, runtimeCopy, tempTree, typecheck } from '../helpers/cli';

/**
 * Issue 13, item 4: a required envelope member with no const/default (a timestamp) comes from a
 * server hook per response, or generation fails; examples show the body the server sends.
 * The fixture test/fixtures/flat-live is the "flat with a live timestamp" envelope.
 */
const SPEC = path.join(ROOT, 'test/fixtures/flat-live/openapi.yaml');

describe('live envelope members', () => {
  let out: string;
  let server: any;
  let url: string;
  let close: () => void;

  beforeAll(async () => {
    out = path.join(tempTree({}, 'errata-live-'), 'generated');
    const r = await errataInProcess(['generate', '--spec', SPEC, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    server = await import(path.join(out, 'server.ts'));
    const errataServer = server.createServerErrors({ live: { '/meta/timestamp': () => '2030-05-06T07:08:09Z' }, generateRequestId: () => 'req_8f14e45fceea167a', onUnexpected: () => {} });
    const http = createServer(errataServer.node(async (req: { url?: string }, _res: unknown, scope: any) => {
      if (req.url === '/bookings/bad') return scope.errors.getBooking({ code: 'INVALID_FIELD', meta: { field: 'id', issue: 'must start with bk_' } });
      throw new Error('boom');
    }));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    close = () => http.close();
  });
  afterAll(() => close?.());

  it('refuses to generate when a required member has no const, default or hook', async () => {
    const dir = tempTree({
      'openapi.yaml': readFileSync(SPEC, 'utf8').replace('    live: [/meta/timestamp]\n', ''),
      'errors.yaml': readFileSync(path.join(path.dirname(SPEC), 'errors.yaml'), 'utf8'),
    });
    const r = await errataInProcess(['generate', '--spec', path.join(dir, 'openapi.yaml'), '--out', path.join(dir, 'out')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: the envelope member /meta/timestamp is required but has no `const` or `default`, so errata would have to invent its value at generation time');
    expect(r.stderr).toContain("declare it `live: [/meta/timestamp]` and pass `createServerErrors({ live: { '/meta/timestamp': (error) => … } })`");
  });

  it('needs the hook: without it the helpers refuse to start, and the types require it', () => {
    expect(() => server.createServerErrors({})).toThrow(/the envelope member \/meta\/timestamp is live/);
    const file = path.join(path.dirname(out), 'uses.ts');
    writeFileSync(file, `import { createServerErrors } from './generated/server';\n// @ts-expect-error the live member needs its hook\ncreateServerErrors();\ncreateServerErrors({ live: { '/meta/timestamp': () => new Date().toISOString() } });\n`);
    const t = typecheck([file], path.dirname(out), { except: [runtimeCopy(out)] });
    expect(t.output).toBe('');
  });

  it('sends the hook’s value on the wire, and the bundled example is that body byte for byte', async () => {
    const res = await fetch(`${url}/bookings/bad`);
    expect(res.status).toBe(422);
    const text = await res.text();
    const bundled = JSON.parse(readFileSync(path.join(out, 'openapi.json'), 'utf8'));
    const example = bundled.paths['/bookings/{id}'].get.responses['422'].content['application/json'].examples.INVALID_FIELD.value;
    example.meta.timestamp = '2030-05-06T07:08:09Z';
    expect(text).toBe(JSON.stringify(example));
    const internal = await (await fetch(`${url}/bookings/x`)).json();
    expect(internal).toEqual({ success: false, error: { code: 'INTERNAL_ERROR', message: 'Something went wrong.' }, meta: { request_id: 'req_8f14e45fceea167a', timestamp: '2030-05-06T07:08:09Z' } });
  });
});
