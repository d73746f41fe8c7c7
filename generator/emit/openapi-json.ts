import type { Document } from '../load/load-contract';
import type { Emitter } from './types';

const texts = new WeakMap<Document, string>();

/** openapi.json's contents; serialised once per contract, since openapi-typescript reads the same text. */
export function openapiJsonText(bundled: Document): string {
  let text = texts.get(bundled);
  if (text === undefined) {
    text = `${JSON.stringify(bundled, null, 2)}\n`;
    texts.set(bundled, text);
  }
  return text;
}

/** The expanded contract: what openapi-typescript, Redoc and validators read. */
export const openapiJson: Emitter = ({ bundled }) => [{ path: 'openapi.json', contents: openapiJsonText(bundled) }];
