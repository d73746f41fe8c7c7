import type { Rule } from '../types';
import { catalogCodeAdded, catalogCodeRemoved } from './catalog-code';
import { codeAdded } from './code-added';
import { codeAddedRetried } from './code-added-retried';
import { codeRemoved } from './code-removed';
import { codeRenamed } from './code-renamed';
import { codeStatusChanged } from './code-status-changed';
import { codeStatusRemoved } from './code-status-removed';
import { codeTextChanged } from './code-text-changed';
import { envelopeMediaTypeChanged, envelopeMessageMoved, envelopeMetaMoved, requestIdMoved } from './envelope';
import { errorStatusAdded } from './error-status-added';
import { errorStatusRemoved } from './error-status-removed';
import { internalCodeChanged } from './internal-code-changed';
import { operationAdded, operationRemoved } from './operation';
import { metaEnumValueAdded, metaEnumValueRemoved, metaMemberAdded, metaMemberNarrowed, metaMemberOptional, metaMemberRemoved, metaMemberRetyped } from './meta';
import { requestIdHeaderDropped } from './request-id-header-dropped';
import { retryAfterHeaderDropped } from './retry-after-header-dropped';
import { retryAfterRequired, retryDisallowed, retryLoosened } from './retry';

/** Every rule, breaking first: the order changes are listed in within one level. */
export const RULES: readonly Rule[] = [
  envelopeMediaTypeChanged,
  envelopeMessageMoved,
  envelopeMetaMoved,
  requestIdMoved,
  internalCodeChanged,
  operationRemoved,
  codeStatusChanged,
  codeRenamed,
  codeAddedRetried,
  requestIdHeaderDropped,
  retryAfterHeaderDropped,
  retryDisallowed,
  retryAfterRequired,
  metaMemberRemoved,
  metaMemberOptional,
  metaMemberRetyped,
  codeAdded,
  errorStatusAdded,
  metaEnumValueAdded,
  codeRemoved,
  codeStatusRemoved,
  errorStatusRemoved,
  operationAdded,
  catalogCodeAdded,
  catalogCodeRemoved,
  retryLoosened,
  codeTextChanged,
  metaMemberAdded,
  metaMemberNarrowed,
  metaEnumValueRemoved,
] as Rule[];
