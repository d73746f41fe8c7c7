import { chooseEnvelope } from '../../model/envelope';
import { codeInTwoEnvelopes, foreignBody, foreignMediaType, inlineBody, notTheFixedCode } from '../../model/response-words';
import { isRecord, refOf } from '../../model/resolve';
import { contractOf, CONVENTIONS, format, placeOf, resolveChain, type LintContract, type LintEnvelope } from '../contract';
import type { ErrataRule, Location, UserContext } from '../redocly';
import { apiResponses, errorUses, firstTime, responseUses, type ResponseUse } from '../responses';

/**
 * Error bodies use the contract's envelopes: each error response uses the one it names
 * (`x-errata-envelope`), else the one whose schema its body `$ref`s, else the default; when it
 * authors `content`, its schema is a `$ref` (in this file or another) that ends at that envelope's
 * schema, and an envelope with a fixed code carries only that code. A code is sent in one
 * envelope everywhere: a client tells codes apart by the body's shape.
 */
export const errorResponseEnvelope: ErrataRule = {
  id: 'error-response-envelope',
  severity: 'error',
  create(options, env) {
    let contract: LintContract | undefined;
    const first = firstTime();
    // Each code's first envelope and the response that chose it, as generate reports it.
    const envelopeOf = new Map<string, { envelope: string; pointer: string }>();
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
        if (!contract?.envelope) return;
        for (const use of errorUses(responseUses(responses, ctx))) if (first(use.location)) check(use, contract.envelopes, ctx, envelopeOf, contract.codes);
      }),
    };
  },
};

function check(use: ResponseUse, envelopes: readonly LintEnvelope[], ctx: UserContext, envelopeOf: Map<string, { envelope: string; pointer: string }>, codes: ReadonlyMap<string, { statuses: number[] }> | undefined): void {
  const resolved = resolveChain(ctx, use.node.content, use.location.source.absoluteRef);
  const content = resolved.node;
  const contentAt = resolved.location ?? use.location.child('content');
  const reached = reachedEnvelopes(content, contentAt, envelopes, ctx);
  const chosen = chooseEnvelope(use.node['x-errata-envelope'], reached, envelopes);
  if ('message' in chosen) {
    ctx.report({ message: format(chosen.message, chosen.fix), location: use.location.child('x-errata-envelope') });
    return;
  }
  const envelope = chosen.envelope;
  if (!envelope) return;
  const listed = use.node['x-errata-codes'];
  if (Array.isArray(listed)) {
    const pointer = use.location.pointer.replace(/^#/, '');
    for (const code of listed) {
      // A listing reported for another reason (a foreign fixed code, a status the catalog does not
      // give the code) is left out of the model, and so out of this comparison, as generate does.
      if (typeof code !== 'string' || (envelope.fixedCode !== undefined && code !== envelope.fixedCode)) continue;
      const statuses = codes?.get(code)?.statuses;
      if (!statuses || (/^\d{3}$/.test(use.status) && !statuses.includes(Number(use.status)))) continue;
      const seen = envelopeOf.get(code);
      if (!seen) envelopeOf.set(code, { envelope: envelope.name, pointer });
      else if (seen.envelope !== envelope.name) {
        const words = codeInTwoEnvelopes(code, envelope.name, seen.envelope, seen.pointer);
        ctx.report({ message: format(words.message, words.fix), location: use.location.child('x-errata-codes') });
        break;
      }
    }
  }
  if (envelope.fixedCode !== undefined && Array.isArray(listed)) {
    listed.forEach((code, i) => {
      if (typeof code !== 'string' || code === envelope.fixedCode) return;
      const words = notTheFixedCode(use.status, use.operation, code, envelope);
      ctx.report({ message: format(words.message, words.fix), location: use.location.child('x-errata-codes').child(i) });
    });
  }
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

/** The envelopes whose schema an authored body `$ref`s, however many `$ref`s lead there. */
function reachedEnvelopes(content: unknown, contentAt: Location, envelopes: readonly LintEnvelope[], ctx: UserContext): LintEnvelope[] {
  if (!isRecord(content)) return [];
  const targets = Object.entries(content).flatMap(([mediaType, raw]) => {
    const schema = isRecord(raw) ? raw.schema : undefined;
    if (refOf(schema) === undefined) return [];
    const target = resolveChain(ctx, schema, contentAt.child(mediaType).source.absoluteRef).location;
    return target ? [target] : [];
  });
  return envelopes.filter((e) => targets.some((t) => (e.target !== undefined ? placeOf(t) === e.target : t.pointer === `#/components/schemas/${e.schemaName}`)));
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
