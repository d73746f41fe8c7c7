import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errataInProcess, tempTree } from '../helpers/cli';
import { miniContract } from '../helpers/mini-contract';

/** Issue 13, item 3: the catalog's `message` is what goes on the wire; `description` is documentation. */
describe('the wire message is not the documentation', () => {
  it('sends the code’s `message`, else the status’s reason phrase, and the bundled examples show the same', async () => {
    const mini = miniContract();
    const dir = tempTree({
      ...mini,
      'catalog.yaml': mini['catalog.yaml']!.replace('    description: Resource does not exist.\n', '    description: Resource does not exist. **Internal note:** see the runbook.\n    message: Not found.\n'),
    });
    const out = path.join(dir, 'generated');
    const r = await errataInProcess(['generate', '--spec', path.join(dir, 'openapi.yaml'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const server = await import(path.join(out, 'server.ts'));
    const notFound = server.errors.getThing({ code: 'NOT_FOUND', meta: { entity: 'Thing' } });
    expect(notFound.body.error).toBe('Not found.');
    const tooLarge = server.errors.getThing({ code: 'FILE_TOO_LARGE', status: 413 });
    expect(tooLarge.body.error).toBe('Content Too Large');
    expect(server.errors.getThing({ code: 'FILE_TOO_LARGE', status: 422 }).body.error).toBe('Unprocessable Content');
    expect(server.errors.getThing({ code: 'NOT_FOUND', meta: { entity: 'Thing' }, message: 'No thing 42.' }).body.error).toBe('No thing 42.');

    const bundled = JSON.parse(readFileSync(path.join(out, 'openapi.json'), 'utf8'));
    const responses = bundled.paths['/things/{id}'].get.responses;
    expect(responses['404'].content['application/json'].examples.NOT_FOUND.value.error).toBe('Not found.');
    const shared = bundled.components.responses.TooLarge.content['application/json'].examples.FILE_TOO_LARGE.value;
    expect(shared.error).toBe('Content Too Large');
    const catalogJson = JSON.parse(readFileSync(path.join(out, 'catalog.json'), 'utf8'));
    expect(catalogJson.codes.NOT_FOUND).toMatchObject({ description: 'Resource does not exist. **Internal note:** see the runbook.', message: 'Not found.' });
  });
});
