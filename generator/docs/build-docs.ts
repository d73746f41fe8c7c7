import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TEMPLATES_DIR } from '../emit/render';
import { prepare } from '../generate';
import { docsContract } from './docs-contract';

const PAGE_TEMPLATE = path.join(TEMPLATES_DIR, 'docs/page.hbs');
const REDOCLY_CLI = path.join(path.dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin/cli.js');

/**
 * Redoc's sidebar shows an "API docs by Redocly" logo loaded from its CDN. The page must work
 * offline and make no outside request, so the image is replaced by an inline SVG of the same name.
 */
const REMOTE_ASSETS: Record<string, string> = {
  'https://cdn.redoc.ly/redoc/logo-mini-full.svg': inlineSvg('Redocly'),
  'https://cdn.redoc.ly/redoc/logo-mini.svg': inlineSvg('R'),
};

function inlineSvg(text: string): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${12 + text.length * 8}" height="16"><text x="0" y="12" font-family="sans-serif" font-size="12" fill="#666">${text}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

export interface DocsResult {
  out: string;
  bytes: number;
}

/**
 * Renders the reference as one self-contained HTML file with Redocly's real `build-docs`:
 * scripts inlined, telemetry off (otherwise the page itself reports usage). Redoc 3's own
 * `sanitize` option cannot prerender, so all spec text is escaped before it gets here. Written
 * atomically: the old page stays until the new one is complete.
 */
export async function buildDocs(spec: string, out: string): Promise<DocsResult> {
  const { model, bundled } = await prepare(spec);
  const doc = docsContract(model, bundled);
  const work = await mkdtemp(path.join(tmpdir(), 'errata-docs-'));
  try {
    const input = path.join(work, 'openapi.json');
    const html = path.join(work, 'index.html');
    await writeFile(input, JSON.stringify(doc));
    await runRedocly(
      [
        'build-docs', input, '--output', html, '--inlineBundle', '--title', `${model.title} — API reference`,
        '--openapi.hideDownloadButtons=true',
        // Three panels leave the middle column too narrow for four-column error tables.
        '--openapi.layout=stacked',
        '--lint-config=off', '--template', PAGE_TEMPLATE, '--config', path.join(work, 'redocly.yaml'),
      ],
      work,
    );
    let page = await readFile(html, 'utf8');
    for (const [remote, local] of Object.entries(REMOTE_ASSETS)) page = page.split(remote).join(local);
    assertOffline(page);
    const target = path.resolve(out);
    await mkdir(path.dirname(target), { recursive: true });
    const staging = `${target}.errata-tmp`;
    await writeFile(staging, page);
    await rename(staging, target);
    return { out: target, bytes: Buffer.byteLength(page) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function runRedocly(args: string[], cwd: string): Promise<void> {
  // An empty config of our own: the repo's redocly.yaml loads lint plugins the page does not need.
  await writeFile(path.join(cwd, 'redocly.yaml'), 'telemetry: off\n');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [REDOCLY_CLI, ...args], { cwd, env: { ...process.env, REDOCLY_TELEMETRY: 'off', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`redocly build-docs failed (exit ${code}):\n${output}`))));
  });
}

/** Fails the build if the page would load anything from the network by itself. */
function assertOffline(page: string): void {
  const remote = [...page.matchAll(/<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=["']?(https?:)?\/\/[^"'\s>]+/gi)].map((m) => m[0]);
  const known = Object.keys(REMOTE_ASSETS).filter((u) => page.includes(u));
  if (remote.length || known.length) throw new Error(`the rendered page still loads remote resources: ${[...remote, ...known].join(', ')}`);
  if (!page.includes('"disableTelemetry":true')) throw new Error('the rendered page has Redoc telemetry enabled');
}

