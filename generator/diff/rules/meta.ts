import { metaMembers, sameValue, type MetaMember } from '../meta';
import type { CodePair, Finding, Rule } from '../types';

type Compare = (name: string, was: MetaMember | undefined, now: MetaMember | undefined, pair: CodePair) => Finding | undefined;

/** Runs `compare` over the union of both sides' meta members of one code. */
function* eachMember(pair: CodePair, compare: Compare): Iterable<Finding> {
  const before = metaMembers(pair.old, pair.before);
  const after = metaMembers(pair.new, pair.after);
  for (const name of new Set([...before.keys(), ...after.keys()])) {
    const f = compare(name, before.get(name), after.get(name), pair);
    if (f) yield f;
  }
}

const finding = (pair: CodePair, name: string, text: string, was?: MetaMember, now?: MetaMember): Finding => ({
  code: pair.after.code,
  message: `${pair.after.code} meta.${name} ${text}`,
  old: was?.pointer ?? `${pair.before.pointer}${pair.before.meta === undefined ? '' : '/meta'}`,
  new: now?.pointer ?? `${pair.after.pointer}${pair.after.meta === undefined ? '' : '/meta'}`,
});

/** A member is under a parent that is itself gone: report the parent only. */
const parentGone = (name: string, others: Map<string, MetaMember>) => {
  const parent = name.replace(/(?:\.[^.]+|\[\])$/, '');
  return parent !== name && !others.has(parent);
};

export const metaMemberRemoved: Rule<'code'> = {
  id: 'meta-member-removed',
  level: 'breaking',
  subject: 'code',
  why: 'a client generated from the old contract reads the member and gets undefined where its type says a value is',
  check: (pair) =>
    eachMember(pair, (name, was, now) => (was && !now && !parentGone(name, metaMembers(pair.new, pair.after)) ? finding(pair, name, 'is removed: old clients read it and get undefined', was) : undefined)),
};

export const metaMemberOptional: Rule<'code'> = {
  id: 'meta-member-optional',
  level: 'breaking',
  subject: 'code',
  why: 'the old type says the member is always there; a body without it breaks code that reads it unguarded',
  check: (pair) => eachMember(pair, (name, was, now) => (was?.required && now && !now.required ? finding(pair, name, 'becomes optional: old clients read it unguarded', was, now) : undefined)),
};

const typeList = (m: MetaMember | undefined) => (m?.types ? [...m.types].filter((t) => t !== 'integer' || !m.types!.has('number')).sort().join(' | ') : 'any');

export const metaMemberRetyped: Rule<'code'> = {
  id: 'meta-member-retyped',
  level: 'breaking',
  subject: 'code',
  why: 'a value of a type the old client was not generated for (a number where it expects a string, a null) fails where it is used',
  check: (pair) =>
    eachMember(pair, (name, was, now) => {
      if (!was || !now || !now.types || !was.types) return undefined;
      if (![...now.types].some((t) => !was.types!.has(t))) return undefined;
      return finding(pair, name, `changes type ${typeList(was)} → ${typeList(now)}`, was, now);
    }),
};

export const metaMemberNarrowed: Rule<'code'> = {
  id: 'meta-member-narrowed',
  level: 'safe',
  subject: 'code',
  why: 'every value the new server sends is one the old client accepts (a type dropped from a union, a type added where there was none)',
  check: (pair) =>
    eachMember(pair, (name, was, now) => {
      if (!was || !now || !now.types || typeList(was) === typeList(now)) return undefined;
      if (was.types && [...now.types].some((t) => !was.types!.has(t))) return undefined;
      return finding(pair, name, `narrows type ${typeList(was)} → ${typeList(now)}`, was, now);
    }),
};

export const metaMemberAdded: Rule<'code'> = {
  id: 'meta-member-added',
  level: 'safe',
  subject: 'code',
  why: 'clients ignore members they were not generated with',
  check: (pair) => eachMember(pair, (name, was, now) => (!was && now && !parentGone(name, metaMembers(pair.old, pair.before)) ? finding(pair, name, 'is added', undefined, now) : undefined)),
};

const valuesDelta = (was: MetaMember | undefined, now: MetaMember | undefined, pick: 'added' | 'removed') => {
  if (!was?.values || !now?.values) return [];
  const [from, to] = pick === 'added' ? [now.values, was.values] : [was.values, now.values];
  return from.filter((v) => !to.some((w) => sameValue(v, w)));
};

export const metaEnumValueAdded: Rule<'code'> = {
  id: 'meta-enum-value-added',
  level: 'warning',
  subject: 'code',
  why: 'a tolerant client treats an unknown value as other; an exhaustive switch over the old values has no branch for it',
  check: (pair) =>
    eachMember(pair, (name, was, now) => {
      const added = valuesDelta(was, now, 'added');
      return added.length ? finding(pair, name, `allows new value${added.length > 1 ? 's' : ''} ${added.map((v) => JSON.stringify(v)).join(', ')}`, was, now) : undefined;
    }),
};

export const metaEnumValueRemoved: Rule<'code'> = {
  id: 'meta-enum-value-removed',
  level: 'safe',
  subject: 'code',
  why: 'the client handles a value that no longer comes; every value that does come is one it knows',
  check: (pair) =>
    eachMember(pair, (name, was, now) => {
      const removed = valuesDelta(was, now, 'removed');
      return removed.length ? finding(pair, name, `no longer allows ${removed.map((v) => JSON.stringify(v)).join(', ')}`, was, now) : undefined;
    }),
};
