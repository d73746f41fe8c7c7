import type { Rule } from '../types';

export const catalogCodeAdded: Rule<'catalog'> = {
  id: 'catalog-code-added',
  level: 'safe',
  subject: 'catalog',
  why: 'a code no operation answers yet never reaches a client; once an operation lists it, code-added reports it there',
  *check({ old, new: next, returned }) {
    const known = new Set(old.model.codes.map((c) => c.code));
    for (const c of next.model.codes) {
      if (!known.has(c.code) && !returned.new.has(c.code)) yield { code: c.code, message: `${c.code} is new in the catalog (no operation answers it yet)`, new: c.pointer };
    }
  },
};

export const catalogCodeRemoved: Rule<'catalog'> = {
  id: 'catalog-code-removed',
  level: 'safe',
  subject: 'catalog',
  why: 'a code no operation answered never reached a client; a code operations answered is reported per operation by code-removed',
  *check({ old, new: next, returned }) {
    const kept = new Set(next.model.codes.map((c) => c.code));
    for (const c of old.model.codes) {
      if (!kept.has(c.code) && !returned.old.has(c.code)) yield { code: c.code, message: `${c.code} is gone from the catalog (no operation answered it)`, old: c.pointer };
    }
  },
};
