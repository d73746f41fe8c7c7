import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errataInProcess, tempTree } from '../helpers/cli';
import { miniContract } from '../helpers/mini-contract';
import { patch } from '../helpers/patch';
import { builtPlugin } from '../lint/redocly';

/**
 * Issue 12, item 12: text from a contract reaches the terminal only with its control characters
 * escaped, in generate's errors and in lint's stylish and codeframe output. Item 18 (and 2): lint
 * reads no remote reference and no file outside the contract's folder.
 */
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
// In YAML double quotes: ESC c (reset the terminal), an OSC title, a carriage return, a bidi override.
const HOSTILE_YAML = String.raw`\e[2J\ec\e]0;pwned\aX\rY\u202eZ`;

/** The config `errata lint` requires: errata's plugin (built from source for this run) and its rules. */
async function plugin(dir: string) {
  writeFileSync(path.join(dir, 'redocly.yaml'), `telemetry: off\nplugins: [${JSON.stringify(await builtPlugin())}]\nextends: [recommended, errata/all]\n`);
}

describe('control characters from the contract are shown escaped (issue 12, item 12)', () => {
  // The CLI's own `main` in this process (errataInProcess): what it writes is what reaches the terminal.
  it('generate: an error quoting the contract', async () => {
    const files = miniContract();
    files['openapi.yaml'] = patch(files['openapi.yaml']!, 'message: /error', `message: "/err${HOSTILE_YAML}"`);
    const r = await errataInProcess(['generate', '--spec', 'openapi.yaml', '--out', 'generated'], tempTree(files));
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('/err\\x1b[2J\\x1bc\\x1b]0;pwned\\x07X\\x0dY\\u202eZ');
    expect(r.stderr).not.toMatch(RAW);
  });

  for (const format of ['stylish', 'codeframe']) {
    it(`lint --format ${format}: Redocly's and errata's messages`, async () => {
      const files = miniContract();
      // An unknown property (Redocly's struct rule quotes its name) and an unknown code (errata's rule).
      files['openapi.yaml'] = patch(files['openapi.yaml']!, 'info: { title: Mini, version: 1.0.0 }', `info: { title: Mini, version: 1.0.0, "x${HOSTILE_YAML}": 1, "bad${HOSTILE_YAML}": 2 }`);
      files['paths/thing.yaml'] = patch(files['paths/thing.yaml']!, 'x-errata-codes: [NOT_FOUND]', `x-errata-codes: [NOT_FOUND, "NO${HOSTILE_YAML}"]`);
      const dir = tempTree(files);
      await plugin(dir);
      const r = await errataInProcess(['lint', 'openapi.yaml', '--format', format], dir);
      expect(r.code).toBe(1);
      const out = r.stdout + r.stderr;
      expect(out).toContain('\\x1b]0;pwned\\x07');
      // errata's rule quotes the code as JSON, which escapes C0 controls itself.
      expect(out).toMatch(/NO\\(x1b|u001b)\[2J/);
      expect(out).not.toMatch(RAW);
    });
  }
});

describe('lint follows the read policy of generate (issue 12, items 18 and 2)', () => {
  it('a remote $ref is not fetched: refused with the file and line of the $ref', async () => {
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/yaml' }).end('type: object\nproperties: { code: { type: string }, error: { type: string } }\n');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const { port } = server.address() as AddressInfo;
      const files = miniContract();
      files['openapi.yaml'] = patch(files['openapi.yaml']!, 'Error: { $ref: ./schemas/Error.yaml }', `Error: { $ref: 'http://127.0.0.1:${port}/Error.yaml' }`);
      const dir = tempTree(files);
      await plugin(dir);
      // In this process (the CLI's own `main`), which awaits while the loopback server would answer a fetch.
      const r = await errataInProcess(['lint', 'openapi.yaml', '--format', 'stylish'], dir);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/openapi\.yaml:20:\d+ #\/components\/schemas\/Error\n {2}error: \$ref refused: http:\/\/127\.0\.0\.1:\d+\/Error\.yaml is a remote reference/);
      expect(requests).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('a $ref outside the folder is refused with the same words as generate', async () => {
    const files = miniContract();
    files['openapi.yaml'] = patch(files['openapi.yaml']!, 'Error: { $ref: ./schemas/Error.yaml }', `Error: { $ref: '/proc/self/environ' }`);
    const dir = tempTree(files);
    await plugin(dir);
    const lint = await errataInProcess(['lint', 'openapi.yaml'], dir);
    const generate = await errataInProcess(['generate', '--spec', 'openapi.yaml', '--out', 'generated'], dir);
    expect(lint.code).toBe(1);
    expect(generate.code).toBe(1);
    // /proc/self is a different process each run.
    const problem = (s: string) => s.replace(/\/proc\/\d+\//g, '/proc/<pid>/');
    expect(problem(lint.stderr)).toMatch(/is outside the contract's folder/);
    expect(problem(lint.stderr)).toBe(problem(generate.stderr));
  });
});
