/**
 * Synthetic errata contracts of any size, so growth per operation is visible: `operations`
 * operations over five methods per path, a catalog of `codes` codes across ten statuses, shared
 * 401/429/500 responses and two operation-specific error statuses per operation.
 */
type Json = Record<string, unknown>;

const STATUSES = [400, 401, 403, 404, 409, 422, 429, 500, 502, 503];
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function syntheticContract(operations: number, codes = 50): Json {
  const catalog: Record<string, Json> = {};
  const byStatus = new Map<number, string[]>();
  for (let i = 0; i < codes; i++) {
    const status = STATUSES[i % STATUSES.length]!;
    const code = `CODE_${String(i).padStart(3, '0')}`;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
    catalog[code] = {
      status,
      description: `Synthetic error ${i}.`,
      fix: `Fix for ${i}.`,
      retry: status === 429 ? 'after' : status >= 500 ? 'backoff' : 'none',
      ...(i % 3 === 0 ? { meta: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, count: { type: 'integer' } } } } : {}),
    };
  }
  const header = { 'x-request-id': { $ref: '#/components/headers/RequestId' } };
  const shared = (status: number) => ({ description: `Status ${status}`, headers: header, 'x-errata-codes': byStatus.get(status) });
  const paths: Record<string, Json> = {};
  for (let i = 0; i < operations; i++) {
    const path = `/resources${Math.floor(i / METHODS.length)}/{id}`;
    const method = METHODS[i % METHODS.length]!;
    const own = [STATUSES[i % 3 === 0 ? 0 : 3]!, STATUSES[4 + (i % 2)]!];
    const item = (paths[path] ??= { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }] }) as Json;
    item[method] = {
      operationId: `op${i}`,
      summary: `Operation ${i}`,
      security: [{ key: [] }],
      responses: {
        '200': { description: 'OK', headers: header, content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
        '401': { $ref: '#/components/responses/Unauthorized' },
        '429': { $ref: '#/components/responses/RateLimited' },
        '500': { $ref: '#/components/responses/Internal' },
        ...Object.fromEntries(own.map((s) => [String(s), { description: `Status ${s}`, headers: header, 'x-errata-codes': byStatus.get(s)!.slice(0, 2) }])),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: `Synthetic ${operations}`, version: '1.0.0' },
    'x-errata': {
      envelope: { schema: { $ref: '#/components/schemas/Error' }, code: '/code', message: '/message', meta: '/meta', requestId: { header: 'x-request-id' } },
      catalog: { codes: catalog },
      // Several codes share 500: the contract names the one unexpected exceptions become.
      internal: byStatus.get(500)![0],
    },
    paths,
    components: {
      securitySchemes: { key: { type: 'http', scheme: 'bearer' } },
      headers: { RequestId: { required: true, schema: { type: 'string' } } },
      responses: { Unauthorized: shared(401), RateLimited: { ...shared(429), headers: { ...header, 'Retry-After': { schema: { type: 'integer' } } } }, Internal: shared(500) },
      schemas: {
        Error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, meta: { type: 'object', additionalProperties: true } } },
        Thing: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } } },
      },
    },
  };
}
