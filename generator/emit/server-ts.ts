import { tsCode, tsComment, tsString, tsStringUnion } from '../model/escape';
import { toPointer } from '../model/pointer';
import { render } from './render';
import { runtimeFile } from './runtime-files';
import type { Emitter } from './types';

/** Per-operation error builders (`generated/server.ts`) over the hand-written runtime. */
export const serverTs: Emitter = ({ model }) => {
  // Every envelope's live members: each needs its hook, whichever codes use it.
  const live = [...new Set(model.envelopes.flatMap((e) => (e.live ?? []).map(toPointer)))];
  const internal = model.internal;

  const view = {
    title: tsComment(`${model.title} ${model.version}`.trim()),
    codes: model.codes.map((c) => ({ literal: tsString(c.code), schemaName: tsString(c.schemaName) })),
    liveMembers: tsStringUnion(live),
    // Without live members the helpers need no options, so a ready instance is exported too.
    defaults: live.length === 0,
    internalCode: internal === undefined ? tsCode('undefined') : tsString(internal),
  };
  return [{ path: 'server.ts', contents: render('server.ts', view) }, runtimeFile('server.ts')];
};
