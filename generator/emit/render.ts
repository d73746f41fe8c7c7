import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

export const TEMPLATES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../templates');

const env = Handlebars.create();
const cache = new Map<string, HandlebarsTemplateDelegate>();

/**
 * Renders `templates/<name>.hbs` with a view model. Templates are logic-less layout: every value
 * they print was escaped for its target when the view model was built (generator/model/escape.ts),
 * so Handlebars' own HTML escaping is off (it would corrupt TypeScript) and `strict` makes a
 * misspelled field an error instead of an empty string.
 */
export function render(name: string, view: object): string {
  let template = cache.get(name);
  if (!template) {
    const source = readFileSync(path.join(TEMPLATES_DIR, `${name}.hbs`), 'utf8');
    template = env.compile(source, { noEscape: true, strict: true });
    cache.set(name, template);
  }
  return template(view, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
}
