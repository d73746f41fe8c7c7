import type { Emitter } from './types';

/** The expanded contract: what openapi-typescript, Redoc and validators read. */
export const openapiJson: Emitter = ({ bundled }) => [{ path: 'openapi.json', contents: `${JSON.stringify(bundled, null, 2)}\n` }];
