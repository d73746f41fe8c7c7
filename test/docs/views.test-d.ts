import { describe, expectTypeOf, it } from 'vitest';
import type { CodeEntryView, OperationErrorRowView, ReferenceView } from '../../generator/docs/reference-view';
import { html, markdown, markdownCell, markdownCode, markdownCodeCell, markdownInline, markdownTextCell, type Html, type Markdown, type MarkdownCell, type MarkdownInline } from '../../generator/model/escape';

/** The docs view models only accept text escaped for the place their template prints it. */
describe('docs view model fields', () => {
  it('take a table cell only from the cell escapers', () => {
    expectTypeOf(markdownCell('x')).toExtend<OperationErrorRowView['when']>();
    expectTypeOf(markdownCodeCell('x')).toExtend<CodeEntryView['row']['code']>();
    expectTypeOf(markdownTextCell('x')).toExtend<MarkdownCell>();
    expectTypeOf(markdown('x')).not.toExtend<OperationErrorRowView['when']>();
    expectTypeOf(markdownInline('x')).not.toExtend<MarkdownCell>();
    expectTypeOf(html('x')).not.toExtend<MarkdownCell>();
    expectTypeOf<string>().not.toExtend<MarkdownCell>();
  });

  it('keep cells (with their `\\|`) and block Markdown out of headings and running text', () => {
    expectTypeOf(markdownInline('x')).toExtend<ReferenceView['categories'][number]['title']>();
    expectTypeOf(markdownCode('x')).toExtend<CodeEntryView['since']>();
    expectTypeOf(markdownCell('x')).not.toExtend<CodeEntryView['notes']>();
    expectTypeOf(markdown('x')).not.toExtend<MarkdownInline>();
  });

  it('take blocks where a block may stand, inline Markdown in a heading, and Html only in attributes', () => {
    expectTypeOf(markdown('x')).toExtend<CodeEntryView['description']>();
    expectTypeOf(markdownInline('x')).toExtend<Markdown>();
    expectTypeOf(markdownCell('x')).not.toExtend<CodeEntryView['fix']>();
    expectTypeOf(markdownInline('x')).toExtend<CodeEntryView['heading']>();
    expectTypeOf(markdown('x')).not.toExtend<CodeEntryView['heading']>();
    expectTypeOf(html('x')).toExtend<CodeEntryView['anchor']>();
    expectTypeOf(markdown('x')).not.toExtend<Html>();
  });
});
