import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, typecheck } from '../helpers/cli';
import { generated } from '../helpers/generate';

/**
 * The compile-time guarantees with the real compiler, as a user's build would see them: a handler
 * that sends an undeclared code, wrong meta, a disallowed status or forgets Retry-After does not
 * build. Each mistake sits on its own line, so each must be reported on that line.
 */
describe('generated server helpers under tsc', () => {
  let dir: string;
  beforeAll(async () => {
    dir = path.dirname(await generated({ spec: 'test/fixtures/nested-error/openapi.yaml' }));
  });

  it('compiles correct handlers', () => {
    const file = path.join(dir, 'good.ts');
    writeFileSync(
      file,
      `import { errata, errors, send, toResponse } from './generated/server';
const a = errors.createOrder({ code: 'OUT_OF_STOCK', meta: { sku: 'TSHIRT-M', available: 0 } });
const b = errors.createOrder({ code: 'INVALID_ARGUMENT', status: 400, meta: { field: 'items' } });
const c = errors.listOrders({ code: 'RATE_LIMITED', retryAfter: 10 });
const d = errata.forRequest(new Request('http://x')).errors.cancelOrder({ code: 'ORDER_NOT_CANCELLABLE' });
const code: 'OUT_OF_STOCK' | 'INVALID_ARGUMENT' | 'PAYMENT_DECLINED' | 'UNAUTHENTICATED' | 'RATE_LIMITED' | 'INTERNAL' = a.code;
void [b, c, d, code, toResponse(a), send];
`,
    );
    const r = typecheck([file], dir);
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  });

  it('rejects each kind of mistake on its line', () => {
    const lines = [
      `import { errors } from './generated/server';`,
      `errors.getOrder({ code: 'OUT_OF_STOCK', meta: { sku: 'A', available: 1 } });`, // undeclared for getOrder
      `errors.createOrder({ code: 'OUT_OF_STOCK', meta: { sku: 'A' } });`, // meta.available missing
      `errors.createOrder({ code: 'OUT_OF_STOCK' });`, // meta missing
      `errors.createOrder({ code: 'INVALID_ARGUMENT', meta: { field: 'x' } });`, // 400 or 422: status required
      `errors.createOrder({ code: 'INVALID_ARGUMENT', status: 409, meta: {} });`, // 409 not allowed
      `errors.listOrders({ code: 'RATE_LIMITED' });`, // Retry-After required
      `errors.getOrder({ code: 'NOT_FOUND', meta: { resource: 'invoice', id: 'x' } });`, // enum
    ];
    const file = path.join(dir, 'bad.ts');
    writeFileSync(file, lines.join('\n') + '\n');
    const r = typecheck([file], dir);
    expect(r.code).not.toBe(0);
    for (let line = 2; line <= lines.length; line++) expect(r.output, `line ${line}: ${lines[line - 1]}\n${r.output}`).toContain(`bad.ts(${line},`);
  });

  it('compiles without Node types (workers, Deno, browsers): the runtime needs only web standards', () => {
    writeFileSync(
      path.join(dir, 'tsconfig.web.json'),
      JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2023', 'DOM'], types: [], noEmit: true }, files: ['generated/server.ts'] }),
    );
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.web.json'], { cwd: dir, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
