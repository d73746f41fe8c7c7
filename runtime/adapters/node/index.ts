/**
 * errata for Node's `http` (and `https`, `http2` compat) servers.
 *
 *   import { createServer } from 'node:http';
 *   import { handle } from 'errata/adapters/node';
 *   import { errata } from './generated/server.js';
 *
 *   createServer(handle(errata, async (req, res, { errors, json }) => {
 *     if (!req.headers.authorization) return errors.getImage({ code: 'UNAUTHORIZED' });
 *     return json(200, await load(req.url));
 *   }));
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { send } from '../../server';
import { isResult, type ErrataLike, type Returned, type ScopeOf } from '../scope';

export type NodeHandler<E, Req extends IncomingMessage = IncomingMessage, Res extends ServerResponse = ServerResponse> = (
  req: Req,
  res: Res,
  scope: ScopeOf<E>,
) => Returned | Promise<Returned>;

/**
 * A request listener around `handler`: one request scope (one request id) per request, a returned
 * result is sent, and a thrown exception becomes the contract's internal error. If the handler had
 * already started its response, the connection is cut: a sent status line cannot become an error.
 */
export function handle<E extends ErrataLike, Req extends IncomingMessage = IncomingMessage, Res extends ServerResponse = ServerResponse>(
  errata: E,
  handler: NodeHandler<E, Req, Res>,
): (req: Req, res: Res) => Promise<void> {
  return (req, res) => {
    const scope = errata.forRequest(req);
    const fail = (error: unknown): void => {
      const result = scope.internal(error);
      if (res.headersSent) res.destroy();
      else send(res, result, byteLength);
    };
    let out: Returned | Promise<Returned>;
    try {
      out = handler(req, res, scope as ScopeOf<E>);
      // A result returned as it is is written now, in the request event: awaiting it would put the
      // write a microtask later, which costs about a fifth of a small response's time.
      if (!isThenable(out)) {
        if (isResult(out)) send(res, out, byteLength);
        return DONE;
      }
    } catch (error) {
      fail(error);
      return DONE;
    }
    return Promise.resolve(out).then((value) => {
      if (isResult(value)) send(res, value, byteLength);
    }).catch(fail);
  };
}

const DONE: Promise<void> = Promise.resolve();

/** UTF-8 bytes of a body, counted without encoding it. */
const byteLength = (text: string): number => Buffer.byteLength(text, 'utf8');

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}
