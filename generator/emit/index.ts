import { catalogJson } from './catalog-json';
import { catalogTs } from './catalog-ts';
import { clientTs } from './client-ts';
import { openapiJson } from './openapi-json';
import { openapiTypes } from './openapi-types';
import { serverTs } from './server-ts';
import type { Emitter } from './types';

/**
 * Everything `errata generate` writes into `generated/`, one emitter per output. openapi-typescript
 * runs on its own thread and takes longest, so it is handed its input first and the others run
 * meanwhile.
 */
export const emitters: Emitter[] = [
  openapiTypes,
  openapiJson,
  catalogJson,
  catalogTs,
  clientTs,
  serverTs,
];
