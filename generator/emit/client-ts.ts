import { tsComment, tsString } from '../model/escape';
import type { ErrorContract } from '../model/types';
import { operationName } from './catalog-ts';
import { render } from './render';
import { runtimeFile } from './runtime-files';
import type { Emitter } from './types';

/**
 * Which operation each path and method is: openapi-typescript types `paths[P][M]` as the operation
 * object, not its name, and the client needs the name to pick the operation's codes from catalog.ts.
 */
function pathIndex(model: ErrorContract) {
  const byPath = new Map<string, { method: string; operation: string }[]>();
  for (const op of model.operations) {
    const list = byPath.get(op.path) ?? [];
    list.push({ method: op.method.toLowerCase(), operation: operationName(op) });
    byPath.set(op.path, list);
  }
  return [...byPath].map(([path, ops]) => ({
    path: tsString(path),
    methods: ops.map((o) => ({ method: tsString(o.method), operation: tsString(o.operation) })),
  }));
}

/** `client.ts`: openapi-fetch's client over `paths`, with every call's error typed from the catalog. */
export const clientTs: Emitter = ({ model }) => {
  const view = {
    title: tsComment(`${model.title} ${model.version}`.trim()),
    paths: pathIndex(model),
  };
  return [{ path: 'client.ts', contents: render('client.ts', view) }, runtimeFile('client.ts')];
};
