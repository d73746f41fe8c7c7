import { catalogJson } from './catalog-json';
import { catalogTs } from './catalog-ts';
import { clientTs } from './client-ts';
import { openapiJson } from './openapi-json';
import { openapiTypes } from './openapi-types';
import { serverTs } from './server-ts';
import type { Emitter } from './types';

/** Everything `errata generate` writes into `generated/`, one emitter per output. */
export const emitters: Emitter[] = [
  openapiJson,
  openapiTypes,
  catalogJson,
  catalogTs,
  clientTs,
  serverTs,
];
