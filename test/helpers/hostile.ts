/** A contract whose every free-text field carries the strings that broke generators before. */
/** Everything that has broken generators before: quotes, template holes, comment ends, HTML, line separators, Handlebars. */
export const H = `it's "q" \`tick\` \${process.exit(7)} */ </script><script>alert(1)</script>\n<!-- x --> \u2028 \u2029 {{#each this}}{{/each}} {{{raw}}} *\u0001/ process.exit(8); /* \\ end`;
export const FRAGMENTS = ['process.exit', '</script>', 'alert(1)', '{{', '<!--'];

export function hostileContract(code = 'HOSTILE_CODE', text = H): string {
  const doc = {
    openapi: '3.1.0',
    info: { title: text, version: text, description: text },
    tags: [{ name: text, description: text }],
    'x-errata': {
      envelope: { schema: { $ref: '#/components/schemas/Error' }, code: '/code', message: '/message', meta: '/meta', requestId: { header: 'x-request-id' } },
      catalog: {
        statuses: { '400': text },
        categories: [{ id: text, title: text, description: text }],
        codes: {
          [code]: {
            status: 400,
            category: text,
            description: text,
            message: text,
            fix: text,
            notes: text,
            since: text,
            meta: { type: 'object', required: [text], properties: { [text]: { type: 'string', enum: [text], description: text } } },
            example: { [text]: text },
          },
        },
      },
    },
    paths: {
      [`/things/{id}/${text.replace(/[{}\n\u2028\u2029]/g, '')}`]: {
        get: {
          operationId: text,
          summary: text,
          description: text,
          tags: [text],
          parameters: [{ name: 'id', in: 'path', required: true, description: text, schema: { type: 'string', default: text } }],
          responses: {
            '200': { description: text, content: { 'application/json': { schema: { type: 'object', title: text, properties: { [text]: { type: 'string' } } } } } },
            '400': { description: text, 'x-errata-codes': [code] },
          },
        },
      },
    },
    components: {
      schemas: {
        Error: { type: 'object', description: text, required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, meta: { type: 'object', additionalProperties: true } } },
      },
    },
  };
  return JSON.stringify(doc, null, 2);
}

