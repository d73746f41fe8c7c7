import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { Html, Markdown, MarkdownCell, TsCode, TsComment } from '../model/escape';

export const TEMPLATES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../templates');

const env = Handlebars.create();

/** What a template may print: a value escaped for its target by generator/model/escape.ts, or a number or flag. */
type Printable = TsCode | TsComment | Markdown | MarkdownCell | Html | number | boolean | undefined;

/**
 * `View` with every string that was not escaped turned into `never`, so a raw spec string in a
 * view model is a compile error at `render`, not a review finding.
 */
type OnlyEscaped<View> = View extends Printable
  ? View
  : View extends string
    ? never
    : View extends readonly (infer Item)[]
      ? readonly OnlyEscaped<Item>[]
      : { [K in keyof View]: OnlyEscaped<View[K]> };
const cache = new Map<string, HandlebarsTemplateDelegate>();

/**
 * Renders `templates/<name>.hbs` with a view model. Templates are logic-less layout: every value
 * they print was escaped for its target when the view model was built (generator/model/escape.ts),
 * so Handlebars' own HTML escaping is off (it would corrupt TypeScript) and `strict` makes a
 * misspelled field an error instead of an empty string.
 */
export function render<View extends object>(name: string, view: View & OnlyEscaped<View>): string {
  let template = cache.get(name);
  if (!template) {
    const source = readFileSync(path.join(TEMPLATES_DIR, `${name}.hbs`), 'utf8');
    template = env.compile(source, { noEscape: true, strict: true });
    cache.set(name, template);
  }
  return template(view, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
}
