/**
 * The contract of the throttled landing test: an error reference as long as Picora's (30 codes in
 * three categories, each entry a few paragraphs and a meta table), so that every code lands far
 * down a page that is still laying out, and a single operation. The race the issue saw is between
 * the page's landing script, Redoc's router starting and Redoc scrolling to and holding its
 * target while the page lays out: the same bundle, script and route as Picora's reference page.
 * What it leaves out are Picora's 23 operations, which Redoc does not show on the reference's route
 * but whose store costs each load about a CPU-second more (measured: 1.6 s against 2.8 s of
 * renderer time per load).
 */
export const LANDING_CODES = Array.from({ length: 30 }, (_, i) => `LANDING_${['INPUT', 'STATE', 'LIMIT'][i % 3]}_${String(i).padStart(2, '0')}`);

const STATUS = { INPUT: 400, STATE: 409, LIMIT: 429 } as const;

export function landingContract(): string {
  const kind = (code: string) => code.split('_')[1] as keyof typeof STATUS;
  const codes = Object.fromEntries(
    LANDING_CODES.map((code) => [
      code,
      {
        status: STATUS[kind(code)],
        category: kind(code).toLowerCase(),
        message: `The request failed with ${code}.`,
        ...(kind(code) === 'LIMIT' ? { retry: 'backoff' } : {}),
        description: [`${code} is returned when the thing cannot be read in this way.`, 'It explains the cause in one paragraph, as a catalog entry does, and then says more.', 'A second paragraph gives an example of a request that fails like this, and what the body says.'].join('\n\n'),
        fix: 'Change the request as the message says, then send it again. If it keeps failing, quote the request id.',
        meta: { type: 'object', required: ['reason'], properties: { reason: { type: 'string', description: 'Why it failed.' }, limit: { type: 'integer', description: 'The limit, when there is one.' } } },
        example: { reason: 'an example reason' },
      },
    ]),
  );
  const byStatus = (status: number) => LANDING_CODES.filter((c) => STATUS[kind(c)] === status);
  return JSON.stringify({
    openapi: '3.1.0',
    info: { title: 'Landing', version: '1.0.0', description: 'A long error reference and one operation.' },
    tags: [{ name: 'things', description: 'Things.' }],
    'x-errata': {
      envelope: { schema: { $ref: '#/components/schemas/Error' }, code: '/code', message: '/message', meta: '/meta', requestId: { header: 'x-request-id' } },
      catalog: {
        statuses: { '400': 'The request is wrong.', '409': 'The state does not allow it.', '429': 'Too many requests.' },
        categories: [
          { id: 'input', title: 'Input errors' },
          { id: 'state', title: 'State errors' },
          { id: 'limit', title: 'Limit errors' },
        ],
        codes,
      },
    },
    paths: {
      '/things/{id}': {
        get: {
          operationId: 'getThing',
          tags: ['things'],
          summary: 'Read a thing',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': { description: 'The thing.', content: { 'application/json': { schema: { type: 'object' } } } },
            ...Object.fromEntries([400, 409, 429].map((s) => [String(s), { description: 'Failed.', 'x-errata-codes': byStatus(s) }])),
          },
        },
      },
    },
    components: {
      schemas: {
        Error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, meta: { type: 'object', additionalProperties: true } } },
      },
    },
  });
}
