/**
 * An OpenAPI 3.1 response validator independent of errata: it reads the bundled contract as any
 * OpenAPI consumer would (paths, response objects, header objects, media types) and evaluates
 * every schema with @hyperjump/json-schema's OpenAPI 3.1 dialect, a complete JSON Schema 2020-12
 * implementation (formats asserted) that shares no code with errata or with the ajv errata uses.
 *
 * For a request (method, URL) and its response it finds the operation by matching the path
 * templates, picks the response object the status selects (exact key, then `NXX`, then `default`),
 * and checks every declared header (required ones present, each value against its schema), the
 * media type against the declared content, and the body against that content's schema.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import '@hyperjump/json-schema/formats';
import { setShouldValidateFormat, validate } from '@hyperjump/json-schema/openapi-3-1';

type Json = Record<string, any>;
type Validator = Awaited<ReturnType<typeof validate>> extends infer V ? (V extends (value: never, ...rest: never[]) => unknown ? V : never) : never;

export interface ObservedResponse {
  status: number;
  headers: Headers;
  text: string;
}

export interface Verdict {
  /** The operation the request matched (undefined when no path template matches). */
  operationId: string | undefined;
  /** The response key that applied (`404`, `4XX`, `default`). */
  responseKey: string | undefined;
  /** The parsed body (JSON media types), else the text. */
  body: unknown;
  errors: string[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** The verdict's operation for a request no operation matches, answered by an `x-errata.unrouted` response. */
export const UNROUTED = '(unrouted)';

export class OpenApiResponseValidator {
  readonly doc: Json;
  private readonly uri: string;
  private readonly compiled = new Map<string, Promise<Validator>>();
  private readonly templates: { regex: RegExp; path: string }[];

  constructor(file: string) {
    setShouldValidateFormat(true);
    this.doc = JSON.parse(readFileSync(file, 'utf8'));
    this.uri = pathToFileURL(file).href;
    this.templates = Object.keys(this.doc.paths ?? {}).map((p) => ({
      path: p,
      regex: new RegExp(`^${p.split(/\{[^}]+\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+')}$`),
    }));
  }

  /** Every (operationId, method, path) of the contract. */
  operations(): { operationId: string; method: string; path: string; op: Json; item: Json }[] {
    const out = [];
    for (const [path, item] of Object.entries<Json>(this.doc.paths ?? {})) {
      for (const method of METHODS) if (item[method]) out.push({ operationId: String(item[method].operationId), method, path, op: item[method], item });
    }
    return out;
  }

  async check(method: string, url: string, res: ObservedResponse): Promise<Verdict> {
    const { pathname } = new URL(url);
    const errors: string[] = [];
    // Exact (template-free) paths win over templated ones, as OpenAPI requires.
    const matches = this.templates.filter((t) => t.regex.test(pathname)).sort((a, b) => Number(a.path.includes('{')) - Number(b.path.includes('{')));
    const item = matches.map((t) => ({ path: t.path, item: this.doc.paths[t.path] as Json })).find((m) => m.item[method.toLowerCase()]);
    if (!item) return this.checkUnrouted(method, pathname, res);
    const op = item.item[method.toLowerCase()];
    const opPointer = `/paths/${esc(item.path)}/${method.toLowerCase()}`;
    const keys = Object.keys(op.responses ?? {});
    const key =
      keys.find((k) => k === String(res.status)) ?? keys.find((k) => k.toUpperCase() === `${String(res.status)[0]}XX`) ?? keys.find((k) => k === 'default');
    if (!key) return { operationId: op.operationId, responseKey: undefined, body: res.text, errors: [`status ${res.status} is not declared (declared: ${keys.join(', ')})`] };
    const [response, pointer] = this.deref(op.responses[key], `${opPointer}/responses/${esc(key)}`);
    const verdict = await this.checkResponse(response, pointer, res, errors);
    return { operationId: op.operationId, responseKey: key, body: verdict, errors };
  }

  /**
   * A request no operation matches: its response must be one the contract declares for any request
   * (errata's `x-errata.unrouted`, a responses map keyed by exact status), validated like an
   * operation's. The verdict's operation is `UNROUTED`.
   */
  private async checkUnrouted(method: string, pathname: string, res: ObservedResponse): Promise<Verdict> {
    const unrouted: Json = this.doc['x-errata']?.unrouted ?? {};
    const key = Object.keys(unrouted).find((k) => k === String(res.status));
    if (!key) return { operationId: undefined, responseKey: undefined, body: res.text, errors: [`no operation for ${method} ${pathname}, and no unrouted response for status ${res.status}`] };
    const errors: string[] = [];
    const [response, pointer] = this.deref(unrouted[key], `/x-errata/unrouted/${esc(key)}`);
    const body = await this.checkResponse(response, pointer, res, errors);
    return { operationId: UNROUTED, responseKey: key, body, errors };
  }

  /** Validates a value against the schema at a JSON pointer of the document. */
  async validateAt(pointer: string, value: unknown): Promise<string[]> {
    const uri = `${this.uri}#${pointer.split('/').map(encodeURIComponent).join('/')}`;
    let v = this.compiled.get(uri);
    if (!v) {
      v = validate(uri) as Promise<Validator>;
      this.compiled.set(uri, v);
    }
    const output = (await v)(value as never, 'BASIC' as never) as { valid: boolean; errors?: { instanceLocation: string; absoluteKeywordLocation: string }[] };
    if (output.valid) return [];
    const failures = (output.errors ?? []).map((e) => `${e.instanceLocation} fails ${e.absoluteKeywordLocation.split('#')[1]}`);
    return failures.length > 0 ? failures : [`invalid against ${pointer}`];
  }

  private async checkResponse(response: Json, pointer: string, res: ObservedResponse, errors: string[]): Promise<unknown> {
    for (const [name, raw] of Object.entries<Json>(response.headers ?? {})) {
      // RFC 9110: Content-Type is described by `content`, not by a header object.
      if (name.toLowerCase() === 'content-type') continue;
      const [header, hp] = this.deref(raw, `${pointer}/headers/${esc(name)}`);
      const value = res.headers.get(name);
      if (value === null) {
        if (header.required) errors.push(`required header ${name} is missing`);
        continue;
      }
      if (header.schema) {
        const type = header.schema.type;
        const numeric = (type === 'integer' || type === 'number') && /^-?[0-9]+(\.[0-9]+)?$/.test(value);
        for (const f of await this.validateAt(`${hp}/schema`, numeric ? Number(value) : value)) errors.push(`header ${name}: ${f}`);
      }
    }
    const content: Json | undefined = response.content;
    if (!content) {
      if (res.text !== '') errors.push('the response declares no content but has a body');
      return res.text;
    }
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const mediaKey =
      Object.keys(content).find((k) => k.toLowerCase() === type) ??
      Object.keys(content).find((k) => k.endsWith('/*') && type.startsWith(k.slice(0, -1).toLowerCase())) ??
      Object.keys(content).find((k) => k === '*/*');
    if (!mediaKey) {
      errors.push(`content type ${type || '(none)'} is not declared (declared: ${Object.keys(content).join(', ')})`);
      return res.text;
    }
    let body: unknown = res.text;
    if (/[/+]json$/.test(mediaKey)) {
      try {
        body = JSON.parse(res.text);
      } catch {
        errors.push(`the ${mediaKey} body is not JSON`);
        return res.text;
      }
    }
    if (content[mediaKey].schema) for (const f of await this.validateAt(`${pointer}/content/${esc(mediaKey)}/schema`, body)) errors.push(`body: ${f}`);
    return body;
  }

  /** Follows a local `$ref` of a response or header object; returns it and its pointer. */
  private deref(node: Json, pointer: string): [Json, string] {
    let at = node;
    let where = pointer;
    for (let hops = 0; typeof at?.$ref === 'string' && hops < 10; hops++) {
      if (!at.$ref.startsWith('#/')) throw new Error(`non-local $ref ${at.$ref} at ${where}`);
      where = at.$ref.slice(1);
      at = where
        .split('/')
        .slice(1)
        .reduce((n: Json, t) => n?.[t.replace(/~1/g, '/').replace(/~0/g, '~')], this.doc);
    }
    return [at, where];
  }
}

export function esc(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}
