import { tsComment, tsString } from '../model/escape';
import type { ErrorContract } from '../model/types';
import { operationName } from './catalog-ts';
import { render } from './render';
import { runtimeFile } from './runtime-files';
import type { Emitter } from './types';

/**
 * Which operation each method and path is (`"get /v1/images/{id}"`): openapi-typescript types
 * `paths[P][M]` as the operation object, not its name, and the client needs the name to pick the
 * operation's codes from catalog.ts. One flat level: nesting by path doubled its type-checking cost.
 */
function routeIndex(model: ErrorContract) {
  return model.operations.map((op) => ({ route: tsString(`${op.method} ${op.path}`), operation: tsString(operationName(op)) }));
}

/** `client.ts`: openapi-fetch's client over `paths`, with every call's error typed from the catalog. */
export const clientTs: Emitter = ({ model }) => {
  const view = {
    title: tsComment(`${model.title} ${model.version}`.trim()),
    routes: routeIndex(model),
  };
  return [{ path: 'client.ts', contents: render('client.ts', view) }, runtimeFile('client.ts')];
};
