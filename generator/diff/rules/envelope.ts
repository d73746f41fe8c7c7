import { toPointer } from '../../model/pointer';
import type { Finding, Rule } from '../types';

const ENVELOPE = '/x-errata/envelope';
const show = (tokens: readonly string[] | undefined) => (tokens ? toPointer(tokens) || '(the whole body)' : '(none)');

export const envelopeMediaTypeChanged: Rule<'contract'> = {
  id: 'envelope-media-type-changed',
  level: 'breaking',
  subject: 'contract',
  why: 'clients pick the body parser and the typed error by media type: an error under another media type is not read as the envelope',
  *check({ old, new: next }) {
    const [a, b] = [old.model.envelope.mediaType, next.model.envelope.mediaType];
    if (a.toLowerCase() !== b.toLowerCase()) yield { message: `error bodies change media type ${a} → ${b}`, old: `${ENVELOPE}/mediaType`, new: `${ENVELOPE}/mediaType` };
  },
};

function moved(label: string, key: 'message' | 'meta', a: readonly string[] | undefined, b: readonly string[] | undefined, effect: string): Finding[] {
  if (show(a) === show(b) || a === undefined) return [];
  return [{ message: `the envelope's ${label} moves ${show(a)} → ${show(b)}: ${effect}`, old: `${ENVELOPE}/${key}`, new: b ? `${ENVELOPE}/${key}` : ENVELOPE }];
}

export const envelopeMessageMoved: Rule<'contract'> = {
  id: 'envelope-message-moved',
  level: 'breaking',
  subject: 'contract',
  why: 'the client reads the human message where the old contract put it, and finds nothing (or something else) there',
  check: ({ old, new: next }) => moved('message', 'message', old.model.envelope.message, next.model.envelope.message, 'old clients show an empty or wrong message'),
};

export const envelopeMetaMoved: Rule<'contract'> = {
  id: 'envelope-meta-moved',
  level: 'breaking',
  subject: 'contract',
  why: 'every typed meta member a client reads is at the old place; moved or removed, all of them read as missing',
  check: ({ old, new: next }) => moved('meta', 'meta', old.model.envelope.meta, next.model.envelope.meta, 'old clients read every meta member as missing'),
};

export const requestIdMoved: Rule<'contract'> = {
  id: 'request-id-moved',
  level: 'breaking',
  subject: 'contract',
  why: 'clients read the request id from the header or body member the old contract named; renamed or removed, they log nothing',
  *check({ old, new: next }) {
    const [a, b] = [old.model.envelope.requestId, next.model.envelope.requestId];
    if (a.header && a.header.toLowerCase() !== b.header?.toLowerCase()) {
      yield { message: `the request id header changes ${a.header} → ${b.header ?? '(none)'}`, old: `${ENVELOPE}/requestId/header`, new: b.header ? `${ENVELOPE}/requestId/header` : ENVELOPE };
    }
    if (a.body && show(a.body) !== show(b.body)) {
      yield { message: `the request id body member moves ${show(a.body)} → ${show(b.body)}`, old: `${ENVELOPE}/requestId/body`, new: b.body ? `${ENVELOPE}/requestId/body` : ENVELOPE };
    }
  },
};
