/**
 * The error contract, read out of an OpenAPI document. Every later stage (lint, emit, docs) works
 * from this model; strings in it are raw spec text, escaped only when a view model is built.
 */
import type { Codec } from '../../runtime/codec';
export type JsonSchema = Record<string, unknown> | boolean;

export type RetryPolicy = 'none' | 'backoff' | 'after';

export interface Envelope {
  /** `default` for `x-errata.envelope`; its key for one under `x-errata.envelopes`. */
  name: string;
  mediaType: string;
  /** `#/components/schemas/Error` */
  schemaRef: string;
  /** `Error` */
  schemaName: string;
  /**
   * Pointer tokens into the error body, as written (an array element is `0` or `[member=value]`,
   * pointer.ts matchToken). `code` is empty when the envelope has a fixed code.
   */
  code: string[];
  /** The one code every body of this envelope means, when its bodies carry none (`code: { const }`). */
  fixedCode?: string;
  message: string[];
  meta?: string[];
  /** A member that repeats the HTTP status (Google's `/error/code`; RFC 9457's `status` is found by itself). */
  status?: string[];
  /** A member that carries the code's documentation address, its `type` (Stripe's `doc_url`). */
  docUrl?: string[];
  requestId: { header?: string; body?: string[] };
  /** Members the server supplies per response through a hook (`live`: a timestamp, a trace id). */
  live?: string[][];
}

export interface Category {
  id: string;
  title: string;
  description?: string;
}

export interface CatalogCode {
  code: string;
  statuses: number[];
  category: string;
  description: string;
  /** What the server sends as the human message by default (the seed pages' Message column); absent: the description is not sent. */
  message?: string;
  /** RFC 9457 problem `type` URI for this code, when the contract gives one or a docs base URL. */
  type?: string;
  fix: string;
  retry: RetryPolicy;
  since?: string;
  notes?: string;
  deprecated: boolean;
  /** The code's meta/details schema, `$ref`s still pointing into the bundled document. */
  meta?: JsonSchema;
  /** True when the envelope requires meta or the code's meta schema has required properties. */
  metaRequired: boolean;
  example?: unknown;
  /** The envelope its bodies use, when not the default one (`x-errata.envelopes`). */
  envelope?: string;
  /** Name of the per-code schema the bundle adds under `#/components/schemas`. */
  schemaName: string;
  /** Where the code is defined in the bundled document. */
  pointer: string;
}

/** A status key as written in `responses`: `404`, `4XX`, `default`. */
export type StatusKey = string;

export interface ErrorResponse {
  status: StatusKey;
  codes: string[];
  /** Header names the response declares, lower-cased. */
  headers: string[];
  /** Pointer of the response object itself (the shared component when it is a `$ref`). */
  pointer: string;
  /** `Unauthorized` when the response is `#/components/responses/Unauthorized`. */
  sharedName?: string;
  /** The envelope its body uses, when not the default one. */
  envelope?: string;
  /** The response's `description` (Markdown): when it is sent, for an unrouted error. */
  description?: string;
}

/**
 * What one operation allows for one code it declares, after status-key precedence (exact > range >
 * default): the statuses it may be sent with, whether `meta` is required, whether Retry-After is.
 */
export interface CodeRule {
  statuses: number[];
  meta: boolean;
  retryAfter: boolean;
}

/**
 * An unrouted code's rule: an operation's, plus the headers its builder must be given (`allow` on
 * a 405): those its responses declare that the server does not set itself (Retry-After has its
 * own input, the request id and `WWW-Authenticate` their options).
 */
export interface UnroutedRule extends CodeRule {
  headers: string[];
}

export interface Operation {
  /** operationId, or `get /v1/images` when there is none. */
  id: string;
  operationId?: string;
  method: string;
  path: string;
  summary?: string;
  description?: string;
  tags: string[];
  deprecated: boolean;
  authenticated: boolean;
  /** Pointer of the operation object in the bundled document. */
  pointer: string;
  errors: ErrorResponse[];
  /** Per declared code (in listing order), its rule: computed once here, emitted as data. */
  rules: Record<string, CodeRule>;
  successStatuses: StatusKey[];
}

export interface StatusMeaning {
  status: number;
  meaning: string;
}

export interface ErrorContract {
  title: string;
  version: string;
  /** The default envelope (`x-errata.envelope`). */
  envelope: Envelope;
  /** Every envelope, the default first, then `x-errata.envelopes` in the order written. */
  envelopes: Envelope[];
  /** Each envelope as the runtimes use it (runtime/codec.ts), in `envelopes` order. */
  codecs: Codec[];
  statuses: StatusMeaning[];
  categories: Category[];
  /** In category order, then catalog order. */
  codes: CatalogCode[];
  operations: Operation[];
  /** Errors no operation owns (unknown route, 405, a gateway's 413): answered on any request. */
  unrouted: ErrorResponse[];
  /** Per code listed in `unrouted`, its rule (statuses, meta, Retry-After), as an operation's. */
  unroutedRules: Record<string, UnroutedRule>;
  /** The code unexpected exceptions become (`x-errata.internal`, else the catalog's only 500 code). */
  internal?: string;
  /** Base URL of the published error reference; each code's address is `${docsUrl}#error-CODE`. */
  docsUrl?: string;
}
