import Ajv2020 from 'ajv/dist/2020';

type Json = Record<string, any>;

/**
 * Validates bodies against response schemas of a bundled contract with a real JSON Schema 2020-12
 * validator, the way any OpenAPI 3.1 consumer would: the whole document is registered once and
 * schemas are addressed by JSON Pointer into it.
 */
export class BundledContract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  private readonly compiled = new Map<string, ReturnType<Ajv2020['compile']>>();

  constructor(readonly doc: Json) {
    this.ajv.addSchema(doc, 'openapi.json');
  }

  /** Every error response that lists codes: where it is used, the codes and its media type object. */
  errorResponses(): { path: string; method: string; status: string; codes: string[]; pointer: string; media: Json; mediaType: string }[] {
    const out = [];
    for (const [path, item] of Object.entries<Json>(this.doc.paths ?? {})) {
      for (const [method, op] of Object.entries<Json>(item)) {
        if (!op || typeof op !== 'object' || !op.responses) continue;
        for (const [status, raw] of Object.entries<Json>(op.responses)) {
          const pointer = raw.$ref ? String(raw.$ref).slice(1) : `/paths/${esc(path)}/${method}/responses/${esc(status)}`;
          const response = raw.$ref ? this.at(String(raw.$ref)) : raw;
          if (!Array.isArray(response['x-errata-codes'])) continue;
          const [mediaType, media] = Object.entries<Json>(response.content ?? {})[0] ?? [];
          out.push({ path, method, status, codes: response['x-errata-codes'], pointer, media: media ?? {}, mediaType: mediaType ?? '' });
        }
      }
    }
    return out;
  }

  at(ref: string): Json {
    return ref
      .replace(/^#/, '')
      .split('/')
      .slice(1)
      .reduce((n: Json, t) => n?.[t.replace(/~1/g, '/').replace(/~0/g, '~')], this.doc);
  }

  /** Validates `body` against the schema at `pointer` (a pointer into the document). */
  validate(pointer: string, body: unknown): { valid: boolean; errors: string } {
    let v = this.compiled.get(pointer);
    if (!v) {
      v = this.ajv.compile({ $ref: `openapi.json#${pointer}` });
      this.compiled.set(pointer, v);
    }
    const valid = v(body) as boolean;
    return { valid, errors: valid ? '' : this.ajv.errorsText(v.errors) };
  }
}

function esc(t: string): string {
  return t.replace(/~/g, '~0').replace(/\//g, '~1');
}
