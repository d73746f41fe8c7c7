import { foreignBody, foreignMediaType, inlineBody } from '../../model/response-words';
import { isRecord, refOf } from '../../model/resolve';
import { contractOf, CONVENTIONS, format, placeOf, resolveChain, type LintContract } from '../contract';
import type { ErrataRule, UserContext } from '../redocly';
import { apiResponses, errorUses, firstTime, responseUses, type ResponseUse } from '../responses';

/**
 * Error bodies use the contract's envelope: when an error response authors `content`, its schema
 * is a `$ref` (in this file or another) that ends at the envelope schema.
 */
export const errorResponseEnvelope: ErrataRule = {
  id: 'error-response-envelope',
  severity: 'error',
  create(options, env) {
    let contract: LintContract | undefined;
    const first = firstTime();
    return {
      Root: {
        enter(root: unknown, ctx: UserContext) {
          contract = contractOf(root, ctx, options, env.contentDir);
          for (const p of contract.envelopeProblems) ctx.report({ message: format(p.message, p.fix), location: p.location });
          if (!contract.envelope && contract.envelopeProblems.length === 0) {
            ctx.report({
              message: format(
                'the contract declares no error envelope (`x-errata.envelope`), so error bodies cannot be checked',
                `describe the shared error body: \`x-errata: { envelope: { schema: { $ref: '#/components/schemas/Error' }, code: /code, message: /message } }\` (${CONVENTIONS})`,
              ),
              location: ctx.location,
            });
          }
        },
      },
      ...apiResponses((responses, ctx) => {
        const envelope = contract?.envelope;
        if (!envelope) return;
        for (const use of errorUses(responseUses(responses, ctx))) if (first(use.location)) check(use, envelope, ctx);
      }),
    };
  },
};

function check(use: ResponseUse, envelope: NonNullable<LintContract['envelope']>, ctx: UserContext): void {
  const resolved = resolveChain(ctx, use.node.content, use.location.source.absoluteRef);
  const content = resolved.node;
  const contentAt = resolved.location ?? use.location.child('content');
  if (!isRecord(content)) return;
  const wanted = `#/components/schemas/${envelope.schemaName}`;
  for (const [mediaType, raw] of Object.entries(content)) {
    const at = contentAt.child(mediaType);
    if (mediaType !== envelope.mediaType) {
      const words = foreignMediaType(use.status, use.operation, mediaType, envelope);
      ctx.report({ message: format(words.message, words.fix), location: at.key() });
      continue;
    }
    const media = isRecord(raw) ? raw : {};
    const schema = media.schema;
    const schemaAt = at.child('schema');
    if (isExpandedBody(schema, ctx, schemaAt.source.absoluteRef)) continue;
    if (refOf(schema) === undefined) {
      const words = inlineBody(use.status, use.operation, envelope);
      ctx.report({ message: format(words.message, words.fix), location: schema === undefined ? at.key() : schemaAt });
      continue;
    }
    const target = resolveChain(ctx, schema, schemaAt.source.absoluteRef).location;
    const ok = target !== undefined && (envelope.target !== undefined ? placeOf(target) === envelope.target : target.pointer === wanted);
    if (!ok) {
      const words = foreignBody(use.status, use.operation, refOf(schema)!, envelope);
      ctx.report({ message: format(words.message, words.fix), location: schemaAt.child('$ref') });
    }
  }
}

/**
 * The body `errata generate` writes into its bundled openapi.json: a `oneOf` of the per-code
 * schemas it expanded from the envelope (each marked `x-errata-code`). Linting that bundle with
 * the same config as the source must pass.
 */
function isExpandedBody(schema: unknown, ctx: UserContext, from: string): boolean {
  if (!isRecord(schema) || !Array.isArray(schema.oneOf) || schema.oneOf.length === 0) return false;
  return schema.oneOf.every((member) => {
    if (refOf(member) === undefined) return false;
    const target = ctx.resolve(member, from).node;
    return isRecord(target) && typeof target['x-errata-code'] === 'string';
  });
}
