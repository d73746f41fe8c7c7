import type { Rule } from '../types';

export const catalogCodeAdded: Rule<'catalog'> = {
  id: 'catalog-code-added',
  level: 'safe',
  subject: 'catalog',
  why: 'a code that only operations new to this version answer (or none yet) never reaches a client generated from the old contract; where an operation it knows answers it, code-added reports it there',
  *check({ old, new: next, returned }) {
    const known = new Set(old.model.codes.map((c) => c.code));
    for (const c of next.model.codes) {
      if (!known.has(c.code) && !returned.new.has(c.code)) yield { code: c.code, message: `${c.code} is new in the catalog (no operation an old client calls answers it)`, new: c.pointer };
    }
  },
};

export const catalogCodeRemoved: Rule<'catalog'> = {
  id: 'catalog-code-removed',
  level: 'safe',
  subject: 'catalog',
  why: 'a code only removed operations (or none) answered; where a kept operation answered it, code-removed reports it there',
  *check({ old, new: next, returned }) {
    const kept = new Set(next.model.codes.map((c) => c.code));
    for (const c of old.model.codes) {
      if (!kept.has(c.code) && !returned.old.has(c.code)) yield { code: c.code, message: `${c.code} is gone from the catalog (no kept operation answered it)`, old: c.pointer };
    }
  },
};
