import type { Rule } from '../types';
import { opName } from './shared';

/** An error response stops declaring the envelope's request-id header. */
export const requestIdHeaderDropped: Rule<'operation'> = {
  id: 'request-id-header-dropped',
  level: 'breaking',
  subject: 'operation',
  why: 'a client generated from the old contract reads the request id of every error (to log it, to show it to support) and gets nothing',
  *check({ old, new: next, before, after }) {
    const header = old.model.envelope.requestId.header?.toLowerCase();
    if (!header || next.model.envelope.requestId.header?.toLowerCase() !== header) return; // a renamed header is request-id-moved
    for (const [key, was] of before.responses) {
      const now = after.responses.get(key);
      if (!now || !was.headers.includes(header) || now.headers.includes(header)) continue;
      yield { operation: opName(after), status: key, message: `${opName(after)} ${key} no longer declares the ${header} header`, old: `${was.pointer}/headers`, new: after.keys.get(key) };
    }
  },
};
