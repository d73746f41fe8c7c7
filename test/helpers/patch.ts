/**
 * `patch(text, from, to)`: `text` with `from` replaced by `to`, for building a broken case out of a
 * good fixture. Unlike `String.replace` it throws when `from` does not occur (a string) or does
 * not match (a RegExp), so a case can never silently turn into a copy of the clean fixture when
 * the fixture changes. A string `from` must occur exactly once unless `{ all: true }`; a global
 * RegExp replaces every match.
 */
export function patch(text: string, from: string | RegExp, to: string, options: { all?: boolean } = {}): string {
  if (typeof from === 'string') {
    const count = text.split(from).length - 1;
    if (count === 0) throw new Error(`patch: ${JSON.stringify(from)} does not occur in the fixture`);
    if (count > 1 && !options.all) throw new Error(`patch: ${JSON.stringify(from)} occurs ${count} times; make it unique or pass { all: true }`);
    return options.all ? text.split(from).join(to) : text.replace(from, () => to);
  }
  if (!from.test(text)) throw new Error(`patch: ${from} matches nothing in the fixture`);
  from.lastIndex = 0;
  return text.replace(from, to);
}
