import { UsageError, type SourceLocation } from '../errors';
import { suggestNames } from '../model/names';

/**
 * openapi-typescript options a project may set for the `openapi.ts` errata generates
 * (https://openapi-ts.dev/cli#flags), `x-errata.openapiTypescript` in redocly.yaml. Only switches
 * whose output the rest of `generated/` still reads: `pathParamsAsTypes` rewrites the path keys the
 * client indexes its routes by, `immutable` makes bodies the server builds readonly, and the
 * function-valued options cannot be written in YAML.
 */
export const OPENAPI_TS_OPTIONS = [
  'additionalProperties',
  'alphabetize',
  'arrayLength',
  'conditionalEnums',
  'dedupeEnums',
  'defaultNonNullable',
  'emptyObjectsUnknown',
  'enum',
  'enumValues',
  'excludeDeprecated',
  'exportType',
  'generatePathParams',
  'makePathsEnum',
  'propertiesRequiredByDefault',
  'readWriteMarkers',
  'rootTypes',
  'rootTypesKeepCasing',
  'rootTypesNoSchemaPrefix',
] as const;

export type OpenapiTsOptions = Partial<Record<(typeof OPENAPI_TS_OPTIONS)[number], boolean>>;

/** Checks `openapiTypescript: { defaultNonNullable: false }`; `at(key)` locates a key for the message. */
export function readOpenapiTsOptions(raw: unknown, at: (key?: string) => SourceLocation | undefined): OpenapiTsOptions {
  const known: readonly string[] = OPENAPI_TS_OPTIONS;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new UsageError('`x-errata.openapiTypescript` must be a mapping of openapi-typescript options', 'write e.g. `openapiTypescript: { defaultNonNullable: false }`', at());
  }
  const options: OpenapiTsOptions = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!known.includes(key)) {
      const near = suggestNames(key, known);
      throw new UsageError(`unknown openapi-typescript option \`${key}\` in \`x-errata.openapiTypescript\``, `${near.length ? `did you mean \`${near[0]}\`? ` : ''}errata passes on: ${known.join(', ')}`, at(key));
    }
    if (typeof value !== 'boolean') throw new UsageError(`\`x-errata.openapiTypescript.${key}\` must be true or false`, `write \`${key}: true\` or \`${key}: false\``, at(key));
    options[key as keyof OpenapiTsOptions] = value;
  }
  return options;
}
