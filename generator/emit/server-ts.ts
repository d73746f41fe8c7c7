import { bodyTemplate } from '../model/body';
import { tsCode, tsComment, tsJson, tsString, tsStringList, tsStringUnion } from '../model/escape';
import { toPointer } from '../model/pointer';
import { internalResolver } from '../model/resolve';
import { render } from './render';
import { runtimeFile } from './runtime-files';
import type { Emitter } from './types';

/** Per-operation error builders (`generated/server.ts`) over the hand-written runtime. */
export const serverTs: Emitter = ({ model, bundled }) => {
  const env = model.envelope;
  const body = bodyTemplate(env, internalResolver(bundled));
  const live = (env.live ?? []).map(toPointer);
  const internal = model.internal;

  const view = {
    title: tsComment(`${model.title} ${model.version}`.trim()),
    codes: model.codes.map((c) => ({ literal: tsString(c.code), schemaName: tsString(c.schemaName) })),
    base: tsJson(body.base, 2),
    statusMember: tsStringList(body.statusMember),
    titleMember: tsStringList(body.titleMember),
    typeMember: tsStringList(body.typeMember),
    live: tsStringList(live),
    liveMembers: tsStringUnion(live),
    // Without live members the helpers need no options, so a ready instance is exported too.
    defaults: live.length === 0,
    internalCode: internal === undefined ? tsCode('undefined') : tsString(internal),
  };
  return [{ path: 'server.ts', contents: render('server.ts', view) }, runtimeFile('server.ts')];
};
