/** OAuth 2.1 for AI clients (dynamic registration, token endpoint) and the MCP endpoint they call. */
import { failed, invalid, isObject, readJson, readUrlEncoded, stringField, type Failed, type ValidationFail } from '../edge';
import { pkceChallenge, token, type OAuthAccess, type OAuthClientRecord } from '../state';
import { removeDoc } from './docs';
import { publicCaller, type App, type Route } from './app';

const ACCESS_SECONDS = 3600;
/** Where a 401 sends AI clients (RFC 9728): the public API's metadata, never a value from the request. */
const CHALLENGE = 'Bearer resource_metadata="https://api.picora.me/.well-known/oauth-protected-resource"';
const GRANTS = ['authorization_code', 'refresh_token'] as const;

/** MCP tools and the scope each needs. */
const TOOLS = {
  list_docs: { scope: 'docs:read', description: "Lists the user's Markdown documents." },
  get_doc: { scope: 'docs:read', description: 'Reads one Markdown document by id.' },
  delete_doc: { scope: 'docs:write', description: 'Deletes one Markdown document by id.' },
  list_images: { scope: 'images:read', description: "Lists the user's images." },
} as const;
type Tool = keyof typeof TOOLS;

export function oauthRoutes(app: App): Route[] {
  const { state } = app;

  function issue(userId: string, clientId: string, scope: string[], chain: string) {
    const access = token('oat');
    const refresh = token('ort');
    state.oauthAccess.set(access, { userId, scope, chain, expiresAt: Date.now() + ACCESS_SECONDS * 1000 });
    state.oauthRefresh.set(refresh, { clientId, userId, scope, chain, rotated: false });
    return { access_token: access, token_type: 'Bearer', expires_in: ACCESS_SECONDS, refresh_token: refresh, scope: scope.join(' ') };
  }

  /** A replayed refresh token revokes everything issued from the same authorization. */
  function revokeChain(chain: string) {
    state.revokedChains.add(chain);
    for (const [t, a] of state.oauthAccess) if (a.chain === chain) state.oauthAccess.delete(t);
  }

  return [
    {
      method: 'POST',
      pattern: /^\/oauth\/register$/,
      operation: 'registerOAuthClient',
      async handle(ctx) {
        const e = ctx.e.registerOAuthClient;
        const limited = publicCaller(app, ctx, e);
        if (limited) return limited.error;
        const over = app.registrationLimiter.hit(`ip:${ctx.req.socket.remoteAddress}`);
        if (over) {
          ctx.req.resume();
          return e({ code: 'OAUTH_CLIENT_RATE_LIMITED', retryAfter: over.resetAt });
        }
        const body = await readJson(ctx.req, app.jsonLimit, e);
        if ('aborted' in body) return e({ code: 'MALFORMED_REQUEST', message: 'The body was cut off.' });
        if (failed(body)) return body.error;
        const v = body.value;
        if (!isObject(v)) return invalid(e, [], 'Expected object').error;
        const name = stringField(v, 'client_name', e, { required: true, min: 1, max: 100 });
        if (failed(name)) return name.error;
        const uris = v.redirect_uris;
        if (!Array.isArray(uris) || uris.length === 0) return invalid(e, ['redirect_uris'], 'Expected a non-empty array of URIs', uris === undefined ? 'invalid_type' : 'too_small').error;
        const badUri = uris.findIndex((u) => typeof u !== 'string' || !isUri(u));
        if (badUri >= 0) return invalid(e, ['redirect_uris', badUri], 'Invalid url', 'invalid_string').error;
        const grants = v.grant_types ?? ['authorization_code', 'refresh_token'];
        if (!Array.isArray(grants)) return invalid(e, ['grant_types'], 'Expected array').error;
        const badGrant = grants.findIndex((g) => !(GRANTS as readonly unknown[]).includes(g));
        if (badGrant >= 0) return invalid(e, ['grant_types', badGrant], `Expected ${GRANTS.join(' | ')}`, 'invalid_enum_value').error;
        if (v.token_endpoint_auth_method !== undefined && v.token_endpoint_auth_method !== 'none') {
          return invalid(e, ['token_endpoint_auth_method'], "Expected 'none': Picora registers public clients only", 'invalid_enum_value').error;
        }
        const scope = stringField(v, 'scope', e, { required: false, max: 1000 });
        if (failed(scope)) return scope.error;
        const client: OAuthClientRecord = {
          client_id: state.nextId('oc'), client_id_issued_at: Math.floor(Date.now() / 1000), client_name: name!, redirect_uris: uris as string[],
          grant_types: grants as OAuthClientRecord['grant_types'], token_endpoint_auth_method: 'none', ...(scope !== undefined ? { scope } : {}),
        };
        state.oauthClients.set(client.client_id, client);
        // RFC 7591: the client information response is the body itself, not enveloped.
        return ctx.scope.json(201, client);
      },
    },
    {
      method: 'POST',
      pattern: /^\/oauth\/token$/,
      operation: 'exchangeOAuthToken',
      async handle(ctx) {
        const e = ctx.e.exchangeOAuthToken;
        const limited = publicCaller(app, ctx, e);
        if (limited) return limited.error;
        const body = await readUrlEncoded(ctx.req, app.jsonLimit, e);
        if ('aborted' in body) return e({ code: 'MALFORMED_REQUEST', message: 'The body was cut off.' });
        if (failed(body)) return body.error;
        const form = body.value;
        const required = (name: string): string | Failed => {
          const value = form.get(name);
          return value ? value : invalid(e, [name], 'Required');
        };
        const grant = required('grant_type');
        if (failed(grant)) return grant.error;
        if (!(GRANTS as readonly string[]).includes(grant)) return invalid(e, ['grant_type'], `Expected ${GRANTS.join(' | ')}`, 'invalid_enum_value').error;
        const clientId = required('client_id');
        if (failed(clientId)) return clientId.error;
        if (grant === 'authorization_code') {
          const fields = ['code', 'redirect_uri', 'code_verifier'].map(required);
          const missing = fields.find(failed);
          if (missing) return missing.error;
          const [code, redirectUri, verifier] = fields as string[];
          const grantRecord = state.oauthCodes.get(code!);
          if (!state.oauthClients.has(clientId) || !grantRecord || grantRecord.used || grantRecord.expiresAt <= Date.now() || grantRecord.clientId !== clientId) {
            return e({ code: 'UNAUTHORIZED', message: 'Unknown, used or expired authorization code.' });
          }
          // The code is spent by any attempt, so a guessed verifier cannot be retried.
          grantRecord.used = true;
          if (grantRecord.redirectUri !== redirectUri || pkceChallenge(verifier!) !== grantRecord.challenge) {
            return e({ code: 'UNAUTHORIZED', message: 'The redirect URI or the PKCE verifier does not match the authorization.' });
          }
          return ctx.scope.json(200, issue(grantRecord.userId, clientId, grantRecord.scope, token('chain')));
        }
        const refresh = required('refresh_token');
        if (failed(refresh)) return refresh.error;
        const held = state.oauthRefresh.get(refresh);
        if (!held || held.clientId !== clientId || state.revokedChains.has(held.chain)) {
          return e({ code: 'UNAUTHORIZED', message: 'Unknown or revoked refresh token; authorize again.' });
        }
        if (held.rotated) {
          revokeChain(held.chain);
          return e({ code: 'OAUTH_REFRESH_REPLAYED', message: 'This refresh token was already used; every token of this authorization is now revoked.' });
        }
        held.rotated = true;
        return ctx.scope.json(200, issue(held.userId, clientId, held.scope, held.chain));
      },
    },
    {
      method: 'POST',
      pattern: /^\/mcp$/,
      operation: 'callMcp',
      async handle(ctx) {
        const e = ctx.e.callMcp;
        const bearer = /^Bearer\s+(\S+)\s*$/i.exec(ctx.req.headers.authorization ?? '')?.[1];
        if (!bearer) {
          ctx.req.resume();
          return e({ code: 'UNAUTHORIZED', message: 'Missing `Authorization: Bearer` header.', headers: { 'www-authenticate': CHALLENGE } });
        }
        const grant = state.oauthAccess.get(bearer);
        if (!grant || state.revokedChains.has(grant.chain)) {
          ctx.req.resume();
          return e({ code: 'OAUTH_BEARER_INVALID', headers: { 'www-authenticate': `${CHALLENGE}, error="invalid_token"` } });
        }
        if (grant.expiresAt <= Date.now()) {
          ctx.req.resume();
          return e({ code: 'TOKEN_EXPIRED', message: 'The access token expired; refresh it at `POST /oauth/token`.', headers: { 'www-authenticate': `${CHALLENGE}, error="invalid_token"` } });
        }
        const limited = app.limiter.check(grant.userId, e);
        if (limited) return limited.error;
        const body = await readJson(ctx.req, app.jsonLimit, e);
        if ('aborted' in body) return e({ code: 'MALFORMED_REQUEST', message: 'The body was cut off.' });
        if (failed(body)) return body.error;
        const call = jsonRpc(body.value, e);
        if (failed(call)) return call.error;
        if (call.method === 'tools/call') {
          const tool = call.params.name;
          if (typeof tool === 'string' && Object.hasOwn(TOOLS, tool)) {
            const needed = TOOLS[tool as Tool].scope;
            if (!grant.scope.includes(needed)) {
              return e({
                code: 'OAUTH_SCOPE_INSUFFICIENT',
                meta: { required: [needed], granted: grant.scope },
                headers: { 'www-authenticate': `Bearer error="insufficient_scope", scope="${needed}"` },
              });
            }
          }
        }
        return ctx.scope.json(200, { jsonrpc: '2.0', id: call.id, ...mcp(app, grant, call) });
      },
    },
  ];
}

interface JsonRpcCall {
  id: string | number;
  method: string;
  params: Record<string, unknown>;
}

/** A JSON-RPC 2.0 request, or the VALIDATION_ERROR for the first thing that makes it not one. */
function jsonRpc(value: unknown, fail: ValidationFail): JsonRpcCall | Failed {
  if (!isObject(value)) return invalid(fail, [], 'Expected a JSON-RPC 2.0 request object');
  if (value.jsonrpc !== '2.0') return invalid(fail, ['jsonrpc'], "Expected '2.0'", 'invalid_literal');
  if (typeof value.method !== 'string') return invalid(fail, ['method'], value.method === undefined ? 'Required' : 'Expected string');
  const id = value.id;
  // A notification (no id) has no response to carry in this contract's 200, so this server takes requests only.
  if (!(typeof id === 'string' || Number.isSafeInteger(id))) return invalid(fail, ['id'], id === undefined ? 'Required: this endpoint takes requests, not notifications' : 'Expected string or integer');
  if (value.params !== undefined && !isObject(value.params)) return invalid(fail, ['params'], 'Expected object');
  return { id: id as string | number, method: value.method, params: (value.params as Record<string, unknown> | undefined) ?? {} };
}

/** The JSON-RPC outcome of a call whose scopes were checked: tool failures are results with `isError`. */
function mcp(app: App, grant: OAuthAccess, call: JsonRpcCall): { result: Record<string, unknown> } | { error: { code: number; message: string } } {
  const { state } = app;
  const text = (t: string, isError = false) => ({ result: { content: [{ type: 'text', text: t }], isError } });
  switch (call.method) {
    case 'initialize':
      return { result: { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 'picora-example', version: '0.14.0' } } };
    case 'tools/list':
      return { result: { tools: Object.entries(TOOLS).map(([name, t]) => ({ name, description: t.description, inputSchema: { type: 'object' } })) } };
    case 'tools/call':
      break;
    default:
      return { error: { code: -32601, message: 'Method not found' } };
  }
  const tool = call.params.name;
  if (typeof tool !== 'string' || !Object.hasOwn(TOOLS, tool)) return { error: { code: -32602, message: 'Unknown tool' } };
  const args = isObject(call.params.arguments) ? call.params.arguments : {};
  const docId = typeof args.id === 'string' ? args.id : '';
  const doc = state.docs.get(docId);
  const mine = doc && doc.userId === grant.userId ? doc : undefined;
  switch (tool as Tool) {
    case 'list_docs':
      return text(state.docsOf(grant.userId).map((d) => `${d.id} ${d.title}`).join('\n'));
    case 'list_images':
      return text(state.imagesOf(grant.userId).map((i) => `${i.id} ${i.url}`).join('\n'));
    case 'get_doc':
      return mine ? text(mine.markdown) : text(`No document ${docId}`, true);
    case 'delete_doc':
      if (!mine) return text(`No document ${docId}`, true);
      return removeDoc(app, mine) === true ? text(`Deleted ${docId}`) : text('Object storage failed; the document was kept. Retry later.', true);
  }
}

function isUri(value: string): boolean {
  try {
    return /^[a-z][a-z0-9+.-]*:/i.test(value) && Boolean(new URL(value));
  } catch {
    return false;
  }
}
