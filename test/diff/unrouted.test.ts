import { describe, expect, it } from 'vitest';
import type { Change } from '../../generator/diff';
import { diffPlanted } from './plant';

/** Issue 13, item 2: an unrouted error changing is reported like an operation's error (`any request`). */
const rid = { schema: { type: 'string' } };
const withUnrouted = (d: any) => {
  d['x-errata'].catalog.codes.ROUTE_NOT_FOUND = { status: 404, description: 'No such route.', fix: 'Check the path.' };
  d['x-errata'].unrouted = { '404': { description: 'unknown route', headers: { 'x-request-id': rid }, 'x-errata-codes': ['ROUTE_NOT_FOUND'] } };
};
const summary = (changes: Change[]) => changes.map((c) => `${c.level} ${c.rule} ${c.operation} ${c.status} ${c.code ?? ''}`.trim());

describe('diff: unrouted errors', () => {
  it('reports nothing when the unrouted errors are the same', async () => {
    const { result } = await diffPlanted(withUnrouted, {}, withUnrouted);
    expect(result.changes).toEqual([]);
  });

  it('an unrouted code removed is reported for any request, with its pointer under x-errata.unrouted', async () => {
    const { result } = await diffPlanted((d) => {
      withUnrouted(d);
      delete d['x-errata'].unrouted;
    }, {}, withUnrouted);
    const removed = result.changes.filter((c) => c.code === 'ROUTE_NOT_FOUND');
    expect(summary(removed)).toEqual(['safe code-removed any request (unrouted) 404 ROUTE_NOT_FOUND']);
    expect(removed[0]!.old).toMatchObject({ pointer: '/x-errata/unrouted/404/x-errata-codes/0' });
  });

  it('an unrouted code replaced by another under the same status is a rename candidate, as an operation’s', async () => {
    const { result } = await diffPlanted((d) => {
      withUnrouted(d);
      d['x-errata'].catalog.codes.GONE_ROUTE = { status: 404, description: 'Route retired.', fix: 'Use v2.' };
      d['x-errata'].unrouted['404']['x-errata-codes'] = ['GONE_ROUTE'];
    }, {}, withUnrouted);
    expect(summary(result.changes)).toEqual(['breaking code-renamed any request (unrouted) 404 GONE_ROUTE']);
  });

  it('an unrouted code moving to another status is breaking, as an operation’s', async () => {
    const { result } = await diffPlanted((d) => {
      withUnrouted(d);
      d['x-errata'].catalog.codes.ROUTE_NOT_FOUND.status = 410;
      d['x-errata'].unrouted = { '410': d['x-errata'].unrouted['404'] };
    }, {}, withUnrouted);
    expect(summary(result.changes.filter((c) => c.rule === 'code-status-changed'))).toEqual(['breaking code-status-changed any request (unrouted) 410 ROUTE_NOT_FOUND']);
  });
});
