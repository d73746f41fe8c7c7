import { describe, it } from 'vitest';
import { render } from '../generator/emit/render';
import { html, markdownCell, tsComment, tsString } from '../generator/model/escape';

// Type-level only: the calls are never made.
function typeChecks(spec: { code: string; description: string }) {
  render('catalog.ts', { title: tsComment(spec.description), codes: [{ literal: tsString(spec.code), count: 1, flag: true }] });
  render('docs/error-reference.md', { rows: [{ cell: markdownCell(spec.description), id: html(spec.code) }] });
  // @ts-expect-error a spec string that skipped escape.ts
  render('catalog.ts', { title: spec.description });
  // @ts-expect-error also when nested in a list of rows
  render('catalog.ts', { codes: [{ literal: tsString(spec.code), description: spec.description }] });
}

describe('render', () => {
  it('accepts only escaped strings in a view model', () => {
    void typeChecks;
  });
});
