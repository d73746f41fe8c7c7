import { tsComment } from '../model/escape';
import type { ErrorContract } from '../model/types';
import { render } from './render';
import { runtimeFile } from './runtime-files';
import type { Emitter } from './types';

/** `client.ts`: openapi-fetch's client over `paths`, with every call's error typed from the catalog. */
export const clientTs: Emitter = ({ model }) => {
  const view = {
    title: tsComment(`${model.title} ${model.version}`.trim()),
  };
  return [{ path: 'client.ts', contents: render('client.ts', view) }, runtimeFile('client.ts')];
};
