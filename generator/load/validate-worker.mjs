// Validates an OpenAPI file against the OAS schema on its own thread, so the check runs alongside
// the bundling that loadContract does at the same time (see validateInWorker). Plain JavaScript:
// worker threads do not inherit the TypeScript loader the CLI registers.
import { parentPort, workerData } from 'node:worker_threads';
import SwaggerParser from '@apidevtools/swagger-parser';

try {
  await SwaggerParser.validate(workerData.file);
  parentPort.postMessage({ ok: true });
} catch (e) {
  // Only plain data crosses threads: the parts of the error loadContract reports.
  const details = Array.isArray(e?.details)
    ? e.details.map((d) => JSON.parse(JSON.stringify({ instancePath: d.instancePath, message: d.message, params: d.params })))
    : undefined;
  parentPort.postMessage({ ok: false, message: String(e?.message ?? e), details });
}
