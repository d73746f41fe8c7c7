import { formatLocation } from '../errors';
import type { InitResult, Todo } from './types';

/** The report `errata init` prints: what it inferred from what, and what a person must decide. */
export function renderReport(r: InitResult): string {
  const out: string[] = [];
  out.push(`errata init ${r.spec}${r.written ? '' : ' (dry run: nothing written)'}`);
  if (r.converted) {
    const c = r.converted;
    out.push(`  OpenAPI 3.0: errata reads it as 3.1 at load (${c.nullable} nullable, ${c.example} example, ${c.exclusiveBound} exclusive bounds, ${c.binary} binary, ${c.base64} base64 schemas converted); your file keeps saying 3.0`);
  }
  const e = r.envelope;
  out.push('', 'Envelope');
  out.push(`  ${e.schema} (${e.mediaType}): code ${e.code}, message ${e.message}${e.meta ? `, meta ${e.meta}` : ''}${e.requestId?.header ? `, request id header ${e.requestId.header}` : ''}${e.requestId?.body ? `, request id ${e.requestId.body}` : ''}`);
  out.push('', 'Inferred');
  for (const i of r.inferences) out.push(`  [${i.confidence.padEnd(6)}] ${i.subject}: ${i.value}  ← ${i.from}`);
  out.push('', `Catalog: ${r.codes.length} codes; ${r.operations.covered} of ${r.operations.total} operations covered; ${r.annotated} responses annotated with x-errata-codes`);
  for (const c of r.codes.slice(0, 40)) {
    out.push(`  ${c.code.padEnd(28)} ${c.statuses.join(',').padEnd(8)} ${c.category.padEnd(6)} retry ${c.retry.padEnd(7)} ${String(c.operations).padStart(4)} ops  [${c.confidence}] from ${c.source}${c.meta ? ', meta from examples' : ''}`);
  }
  if (r.codes.length > 40) out.push(`  … and ${r.codes.length - 40} more (see x-errata.catalog)`);
  out.push('', 'Needs a human');
  for (const t of r.todo) out.push(...todoLines(t));
  if (r.remaining) {
    const { generate, lint, redoclyOwn } = r.remaining;
    out.push('');
    if (generate.length === 0 && lint.length === 0) out.push('Result: `errata generate` succeeds and errata\'s lint rules pass.');
    else {
      out.push(`Result: what still fails (${generate.length} from generate, ${lint.length} from errata's lint rules)`);
      for (const t of [...generate, ...lint]) out.push(...todoLines(t));
    }
    if (redoclyOwn > 0) out.push(`  (Redocly's own recommended rules report ${redoclyOwn} error${redoclyOwn === 1 ? '' : 's'} that init does not touch: \`errata lint ${r.spec}\` lists them)`);
  }
  if (r.written) out.push('', `Wrote ${r.files.map((f) => f.file).join(', ')}`);
  return `${out.join('\n')}\n`;
}

function todoLines(t: Todo): string[] {
  const lines = [`  - ${t.message}`];
  for (const w of t.where) lines.push(`      ${formatLocation(w)}`);
  if (t.where.length > 0 && t.count > t.where.length) lines.push(`      … ${t.count - t.where.length} more`);
  return lines;
}
