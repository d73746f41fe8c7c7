// Validates an OpenAPI contract against the OAS schema on its own thread, alongside the work
// loadContract's caller does on the bundle. It reads no file: it gets the texts loadContract read
// under the read policy (contract folder only, regular files, size limit), and resolves every
// `$ref` among them. Plain JavaScript: worker threads do not inherit the TypeScript loader the CLI
// registers.
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import SwaggerParser from '@apidevtools/swagger-parser';
import { ResolverError } from '@apidevtools/json-schema-ref-parser';
import { isFileSystemPath, toFileSystemPath } from '@apidevtools/json-schema-ref-parser/dist/lib/util/url.js';

const texts = new Map(Object.entries(workerData.texts));
const loaded = {
  order: 1,
  canRead: () => true,
  read(file) {
    const text = isFileSystemPath(file.url) ? texts.get(path.resolve(toFileSystemPath(file.url))) : undefined;
    if (text === undefined) throw new ResolverError(new Error(`${file.url} was not loaded by errata`), file.url);
    return text;
  },
};

try {
  await SwaggerParser.validate(workerData.file, { resolve: { file: loaded, http: false, external: true } });
  parentPort.postMessage({ ok: true });
} catch (e) {
  // Only plain data crosses threads: the parts of the error loadContract reports.
  const details = Array.isArray(e?.details)
    ? e.details.map((d) => JSON.parse(JSON.stringify({ instancePath: d.instancePath, message: d.message, params: d.params })))
    : undefined;
  parentPort.postMessage({ ok: false, message: String(e?.message ?? e), details });
}
