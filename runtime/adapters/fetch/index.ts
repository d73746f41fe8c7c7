/**
 * errata for any runtime with Web `Request`/`Response` handlers: Deno, Bun, Cloudflare Workers,
 * Node's `@hono/node-server`, service workers.
 *
 *   import { handle } from 'errata/adapters/fetch';
 *   export default { fetch: handle(errata, (request, { errors }) => errors.getImage({ code: 'NOT_FOUND', meta: { entity: 'Image' } })) };
 */
import { addMissingHeaders, toResponse, type HttpResult } from '../../server';
import type { ErrataLike, ScopeOf } from '../scope';

export type FetchHandler<E> = (request: Request, scope: ScopeOf<E>) => Response | HttpResult | Promise<Response | HttpResult>;

/**
 * A fetch handler around `handler`: a returned result becomes a `Response`, a returned `Response`
 * gets the request id header unless it has one, and a thrown exception becomes the contract's
 * internal error.
 */
export function handle<E extends ErrataLike>(errata: E, handler: FetchHandler<E>): (request: Request) => Promise<Response> {
  return async (request) => {
    const scope = errata.forRequest(request);
    try {
      const out = await handler(request, scope as ScopeOf<E>);
      return out instanceof Response ? addMissingHeaders(out, scope.headers()) : toResponse(out);
    } catch (error) {
      return toResponse(scope.internal(error));
    }
  };
}
