import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { diff, type DiffOptions } from '../../generator/diff';
import { tempTree } from '../helpers/cli';

type Json = any;

/**
 * A small single-file contract as data, so a test plants one change in a copy of it and diffs
 * the two. Every error response declares x-request-id; the 429 also Retry-After.
 */
export function base(): Json {
  const rid = { schema: { type: 'string' } };
  return {
    openapi: '3.1.0',
    info: { title: 'Plant', version: '1.0.0' },
    'x-errata': {
      envelope: { schema: { $ref: '#/components/schemas/Error' }, code: '/code', message: '/message', meta: '/meta', requestId: { header: 'x-request-id' } },
      catalog: {
        codes: {
          NOT_FOUND: {
            status: 404,
            description: 'Nothing there.',
            fix: 'Check the id.',
            meta: { type: 'object', required: ['entity'], properties: { entity: { type: 'string', enum: ['Image', 'Video'] }, hint: { type: ['string', 'null'] } } },
          },
          GONE: { status: [404, 410], description: 'Deleted.', fix: 'Stop asking.' },
          FILE_TOO_LARGE: { status: [413, 422], description: 'Too big.', fix: 'Compress it.' },
          RATE_LIMITED: { status: 429, retry: 'after', description: 'Slow down.', fix: 'Wait.' },
          UPSTREAM: { status: 502, retry: 'backoff', description: 'Upstream failed.', fix: 'Retry.' },
        },
      },
    },
    paths: {
      '/things/{id}': {
        get: {
          operationId: 'getThing',
          responses: {
            '200': { description: 'ok' },
            '404': { description: 'not found', headers: { 'x-request-id': rid }, 'x-errata-codes': ['NOT_FOUND'] },
            '4XX': { description: 'other client errors', headers: { 'x-request-id': rid }, 'x-errata-codes': ['GONE'] },
            '429': { description: 'slow down', headers: { 'x-request-id': rid, 'Retry-After': { schema: { type: 'integer' } } }, 'x-errata-codes': ['RATE_LIMITED'] },
            '502': { description: 'upstream', headers: { 'x-request-id': rid }, 'x-errata-codes': ['UPSTREAM'] },
          },
        },
        put: {
          operationId: 'putThing',
          responses: {
            '200': { description: 'ok' },
            '413': { description: 'too large', headers: { 'x-request-id': rid }, 'x-errata-codes': ['FILE_TOO_LARGE'] },
            '422': { description: 'too large for the plan', headers: { 'x-request-id': rid }, 'x-errata-codes': ['FILE_TOO_LARGE'] },
          },
        },
      },
    },
    components: {
      schemas: {
        Error: {
          type: 'object',
          required: ['code', 'message'],
          properties: { code: { type: 'string' }, message: { type: 'string' }, detail: { type: 'string' }, meta: { type: 'object' }, info: { type: 'object' } },
        },
      },
    },
  };
}

export interface Planted {
  dir: string;
  oldFile: string;
  newFile: string;
  oldText: string;
  newText: string;
}

/** Writes `base()` as old.yaml and `plant(base())` as new.yaml into a fresh directory. */
export function plant(change: (doc: Json) => void, from: (doc: Json) => void = () => {}): Planted {
  const before = base();
  from(before);
  const after = structuredClone(before);
  change(after);
  const dir = tempTree({}, 'errata-diff-');
  const [oldText, newText] = [stringify(before), stringify(after)];
  writeFileSync(path.join(dir, 'old.yaml'), oldText);
  writeFileSync(path.join(dir, 'new.yaml'), newText);
  return { dir, oldFile: path.join(dir, 'old.yaml'), newFile: path.join(dir, 'new.yaml'), oldText, newText };
}

export async function diffPlanted(change: (doc: Json) => void, options: DiffOptions = {}, from?: (doc: Json) => void) {
  const p = plant(change, from);
  return { ...p, result: await diff(p.oldFile, p.newFile, options) };
}

/** The 1-based line of the first line of `text` that matches `pattern` after line `after` matched. */
export function lineOf(text: string, pattern: RegExp, after?: RegExp): number {
  const lines = text.split('\n');
  const start = after ? lines.findIndex((l) => after.test(l)) : 0;
  if (start < 0) throw new Error(`no line matches ${after}`);
  const i = lines.findIndex((l, n) => n >= start && pattern.test(l));
  if (i < 0) throw new Error(`no line matches ${pattern}`);
  return i + 1;
}
