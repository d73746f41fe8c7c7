import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runtimeCopy, typecheckProject } from '../helpers/cli';
import { generated } from '../helpers/generate';
import { typecheckEach } from '../helpers/typecheck-batch';

/**
 * The compile-time guarantees with the real compiler, as a user's build would see them: a handler
 * that sends an undeclared code, wrong meta, a disallowed status or forgets Retry-After does not
 * build. Each mistake sits on its own line, so each must be reported on that line.
 */
const GOOD = `import { errata, errors, send, toResponse } from './generated/server';
const a = errors.createOrder({ code: 'OUT_OF_STOCK', meta: { sku: 'TSHIRT-M', available: 0 } });
const b = errors.createOrder({ code: 'INVALID_ARGUMENT', status: 400, meta: { field: 'items' } });
const c = errors.listOrders({ code: 'RATE_LIMITED', retryAfter: 10 });
const d = errata.forRequest(new Request('http://x')).errors.cancelOrder({ code: 'ORDER_NOT_CANCELLABLE' });
const code: 'OUT_OF_STOCK' | 'INVALID_ARGUMENT' | 'PAYMENT_DECLINED' | 'UNAUTHENTICATED' | 'RATE_LIMITED' | 'INTERNAL' = a.code;
void [b, c, d, code, toResponse(a), send];
`;

const BAD = [
  `import { errors } from './generated/server';`,
  `errors.getOrder({ code: 'OUT_OF_STOCK', meta: { sku: 'A', available: 1 } });`, // undeclared for getOrder
  `errors.createOrder({ code: 'OUT_OF_STOCK', meta: { sku: 'A' } });`, // meta.available missing
  `errors.createOrder({ code: 'OUT_OF_STOCK' });`, // meta missing
  `errors.createOrder({ code: 'INVALID_ARGUMENT', meta: { field: 'x' } });`, // 400 or 422: status required
  `errors.createOrder({ code: 'INVALID_ARGUMENT', status: 409, meta: {} });`, // 409 not allowed
  `errors.listOrders({ code: 'RATE_LIMITED' });`, // Retry-After required
  `errors.getOrder({ code: 'NOT_FOUND', meta: { resource: 'invoice', id: 'x' } });`, // enum
];

describe('generated server helpers under tsc', () => {
  let good: { code: number; output: string };
  let bad: { code: number; output: string };
  let web: { code: number; output: string };
  beforeAll(async () => {
    const dir = path.dirname(await generated({ spec: 'test/fixtures/nested-error/openapi.yaml' }));
    writeFileSync(path.join(dir, 'good.ts'), GOOD);
    writeFileSync(path.join(dir, 'bad.ts'), BAD.join('\n') + '\n');
    // The two handler files are independent modules: one compiler program, diagnostics per file.
    // The generated runtime/ is checked whole once by test/contracts.test.ts (runtimeCopy).
    const [g, b] = typecheckEach(
      [
        { dir, files: [path.join(dir, 'good.ts')] },
        { dir, files: [path.join(dir, 'bad.ts')] },
      ],
      { except: [runtimeCopy(path.join(dir, 'generated'))] },
    );
    [good, bad] = [g!, b!];
    writeFileSync(
      path.join(dir, 'tsconfig.web.json'),
      JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2023', 'DOM'], types: [], noEmit: true }, files: ['generated/server.ts'] }),
    );
    web = typecheckProject(path.join(dir, 'tsconfig.web.json'));
  });

  it('compiles correct handlers', () => {
    expect(good.output).toBe('');
    expect(good.code).toBe(0);
  });

  it('rejects each kind of mistake on its line', () => {
    expect(bad.code).not.toBe(0);
    for (let line = 2; line <= BAD.length; line++) expect(bad.output, `line ${line}: ${BAD[line - 1]}\n${bad.output}`).toContain(`bad.ts(${line},`);
  });

  it('compiles without Node types (workers, Deno, browsers): the runtime needs only web standards', () => {
    expect(web.output).toBe('');
    expect(web.code).toBe(0);
  });
});
