/**
 * A contract with a string in every field Redoc 3 can show, each built by `text(field)` from the
 * field's name, so a test can tell which field a rendered string came from. Fields that must stay
 * valid to render at all (URLs Redoc resolves, names used as keys) carry the payload where the
 * format allows it.
 */
export function kitchenSink(text: (field: string) => string, opts: { code?: string } = {}): string {
  const code = opts.code ?? 'KITCHEN_SINK';
  const t = text;
  const schema = (at: string) => ({
    type: 'object',
    title: t(`${at}.title`),
    description: t(`${at}.description`),
    'x-additionalPropertiesName': t(`${at}.x-additionalPropertiesName`),
    properties: {
      kind: {
        type: 'string',
        description: t(`${at}.kind.description`),
        enum: ['a', 'b'],
        'x-enumDescriptions': { a: t(`${at}.kind.x-enumDescriptions.a`), b: t(`${at}.kind.x-enumDescriptions.b`) },
        default: t(`${at}.kind.default`),
        example: t(`${at}.kind.example`),
        pattern: t(`${at}.kind.pattern`),
        format: t(`${at}.kind.format`),
      },
      fixed: { const: t(`${at}.fixed.const`), description: t(`${at}.fixed.description`) },
      nested: { type: 'object', summary: t(`${at}.nested.summary`), description: t(`${at}.nested.description`), properties: { leaf: { type: 'string', description: t(`${at}.nested.leaf.description`), examples: [t(`${at}.nested.leaf.examples`)] } } },
      one: { oneOf: [{ type: 'string', title: t(`${at}.one.0.title`), description: t(`${at}.one.0.description`) }, { type: 'integer', title: t(`${at}.one.1.title`) }] },
    },
    additionalProperties: { type: 'string', description: t(`${at}.additionalProperties.description`) },
  });
  const example = (at: string) => ({ summary: t(`${at}.summary`), description: t(`${at}.description`), value: { kind: t(`${at}.value`) } });
  const doc = {
    openapi: '3.1.0',
    info: {
      title: t('info.title'),
      summary: t('info.summary'),
      version: t('info.version'),
      description: t('info.description'),
      termsOfService: 'https://example.invalid/terms',
      contact: { name: t('info.contact.name'), url: 'https://example.invalid/contact', email: 'probe@example.invalid' },
      license: { name: t('info.license.name'), url: 'https://example.invalid/license' },
      'x-logo': { url: ' https://logo.example.invalid/x.png', altText: t('info.x-logo.altText'), backgroundColor: 'red; background-image: url(https://bg.example.invalid/x.png)', href: 'javascript:window.__pwned=1' },
      'x-metadata': { note: t('info.x-metadata.note') },
    },
    externalDocs: { description: t('externalDocs.description'), url: 'https://example.invalid/docs' },
    servers: [{ url: 'https://api.example.invalid/{v}', description: t('servers.0.description'), variables: { v: { default: 'v1', enum: ['v1'] } } }],
    tags: [
      { name: 'things', 'x-displayName': t('tags.things.x-displayName'), description: t('tags.things.description'), externalDocs: { description: t('tags.things.externalDocs.description'), url: 'https://example.invalid/tag' } },
      { name: 'trait', 'x-traitTag': true, description: t('tags.trait.description') },
    ],
    'x-tagGroups': [{ name: t('x-tagGroups.0.name'), tags: ['things', 'trait'] }],
    'x-errata': {
      envelope: { schema: { $ref: '#/components/schemas/Error' }, code: '/code', message: '/message', meta: '/meta', requestId: { header: 'x-request-id' } },
      catalog: {
        statuses: { '400': t('x-errata.statuses.400') },
        categories: [{ id: 'kitchen', title: t('x-errata.category.title'), description: t('x-errata.category.description') }],
        codes: {
          [code]: {
            status: 400,
            category: 'kitchen',
            description: t('x-errata.code.description'),
            fix: t('x-errata.code.fix'),
            notes: t('x-errata.code.notes'),
            since: t('x-errata.code.since'),
            meta: { type: 'object', properties: { detail: { type: 'string', description: t('x-errata.code.meta.detail.description') } } },
          },
        },
      },
    },
    paths: {
      '/things/{id}': {
        summary: t('paths.things.summary'),
        description: t('paths.things.description'),
        parameters: [{ name: 'id', in: 'path', required: true, description: t('paths.things.parameters.id.description'), schema: { type: 'string' }, example: t('paths.things.parameters.id.example') }],
        post: {
          operationId: 'postThing',
          tags: ['things', 'trait'],
          summary: t('paths.things.post.summary'),
          description: t('paths.things.post.description'),
          externalDocs: { description: t('paths.things.post.externalDocs.description'), url: 'https://example.invalid/op' },
          'x-badges': [{ name: t('paths.things.post.x-badges.0.name') }],
          'x-codeSamples': [{ lang: 'JavaScript', label: t('paths.things.post.x-codeSamples.0.label'), source: t('paths.things.post.x-codeSamples.0.source') }],
          security: [{ key: [] }, { oauth: ['read'] }],
          parameters: [
            { name: 'q', in: 'query', description: t('paths.things.post.parameters.q.description'), schema: { type: 'string', enum: ['x', 'y'], 'x-enumDescriptions': { x: t('paths.things.post.parameters.q.x-enumDescriptions.x') } }, examples: { one: example('paths.things.post.parameters.q.examples.one') } },
            { name: 'X-Trace', in: 'header', description: t('paths.things.post.parameters.X-Trace.description'), schema: { type: 'string' } },
          ],
          requestBody: {
            description: t('paths.things.post.requestBody.description'),
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' }, examples: { sample: example('paths.things.post.requestBody.examples.sample') } } },
          },
          responses: {
            '200': {
              description: t('paths.things.post.responses.200.description'),
              'x-summary': t('paths.things.post.responses.200.x-summary'),
              headers: { 'X-Rate': { description: t('paths.things.post.responses.200.headers.X-Rate.description'), schema: { type: 'integer' } } },
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' }, examples: { ok: example('paths.things.post.responses.200.examples.ok') } } },
              links: { self: { operationId: 'postThing', description: t('paths.things.post.responses.200.links.self.description') } },
            },
            '400': { description: t('paths.things.post.responses.400.description'), 'x-summary': t('paths.things.post.responses.400.x-summary'), 'x-errata-codes': [code] },
          },
          callbacks: {
            done: {
              '{$request.body#/url}': {
                post: {
                  summary: t('callbacks.done.post.summary'),
                  description: t('callbacks.done.post.description'),
                  requestBody: { description: t('callbacks.done.post.requestBody.description'), content: { 'application/json': { schema: { type: 'object', description: t('callbacks.done.post.schema.description') } } } },
                  responses: { '200': { description: t('callbacks.done.post.responses.200.description') } },
                },
              },
            },
          },
        },
      },
    },
    webhooks: {
      thingChanged: {
        post: {
          summary: t('webhooks.thingChanged.post.summary'),
          description: t('webhooks.thingChanged.post.description'),
          requestBody: { description: t('webhooks.thingChanged.post.requestBody.description'), content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
          responses: { '200': { description: t('webhooks.thingChanged.post.responses.200.description') } },
        },
      },
    },
    components: {
      securitySchemes: {
        key: { type: 'apiKey', in: 'header', name: 'X-Key', description: t('components.securitySchemes.key.description') },
        oauth: {
          type: 'oauth2',
          description: t('components.securitySchemes.oauth.description'),
          flows: { clientCredentials: { tokenUrl: 'https://auth.example.invalid/token', scopes: { read: t('components.securitySchemes.oauth.scopes.read') } } },
        },
      },
      schemas: {
        Thing: schema('components.schemas.Thing'),
        Error: { type: 'object', description: t('components.schemas.Error.description'), required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, meta: { type: 'object', additionalProperties: true } } },
      },
    },
  };
  return JSON.stringify(doc, null, 2);
}
