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


/**
 * Characters that change what a reader sees without showing themselves (Trojan Source,
 * CVE-2021-42574) and terminal control sequences: bidi overrides and isolates, zero-width
 * characters, a BOM, a tag character, ESC sequences (clear screen, window title), CR, a C1 control.
 */
export const INVISIBLE = 'a\u202eb\u202cc \u2066d\u2069 e\u200bf\u200dg \ufeffh \u{e0041} \u001b[2J\u001b]0;t\u0007 x\ry \u0085z';
/** Raw forms of the above, as they must never appear in generated TypeScript. */
export const RAW_INVISIBLE = /[\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff\u0085\u2028\u2029]|\u{e0041}/u;
