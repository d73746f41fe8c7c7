import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TEMPLATES_DIR } from '../emit/render';
import { prepare } from '../generate';
import type { LoadOptions } from '../load/load-contract';
import { oneLine } from '../model/escape';
import { docsContract } from './docs-contract';
import { redoclyBuildDocs } from './redocly-build-docs';

const PAGE_TEMPLATE = path.join(TEMPLATES_DIR, 'docs/page.hbs');

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
  return writePage(out, (await renderPage(spec)).html);
}

export interface RenderedPage {
  /** The page as `errata docs` writes it. */
  html: string;
  /**
   * The same page with one more inline script of errata's own (the reload script of `errata docs
   * --watch`) placed first in its head: the policy allows that script by hash and connections to
   * the page's own origin, and nothing else more. Never written to disk.
   */
  withScript(script: string): string;
}

/** Renders the page in memory; `load` lets a watch loop reuse its parses and validation thread. */
export async function renderPage(spec: string, load: LoadOptions = {}): Promise<RenderedPage> {
  const { model, bundled } = await prepare(spec, load);
  const doc = docsContract(model, bundled);
  const work = await mkdtemp(path.join(tmpdir(), 'errata-docs-'));
  try {
    const input = path.join(work, 'openapi.json');
    const html = path.join(work, 'index.html');
    await writeFile(input, JSON.stringify(doc));
    let page = await redoclyBuildDocs({
      api: input,
      output: html,
      // Redocly's page template writes it as `<title>{{title}}</title>`: Handlebars escapes the HTML.
      title: oneLine(`${model.title} — API reference`),
      template: PAGE_TEMPLATE,
      // Three panels leave the middle column too narrow for four-column error tables.
      openapi: { hideDownloadButtons: true, layout: 'stacked' },
    });
    for (const [remote, local] of Object.entries(REMOTE_ASSETS)) page = page.split(remote).join(local);
    assertOffline(page);
    const rendered = page;
    return { html: withContentSecurityPolicy(rendered), withScript: (script) => withContentSecurityPolicy(rendered, script) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Writes the page atomically: the old one stays until the new one is complete. */
export async function writePage(out: string, page: string): Promise<DocsResult> {
  const target = path.resolve(out);
  await mkdir(path.dirname(target), { recursive: true });
  // Staged in a folder of its own, created fresh (mkdtemp) next to the target: nothing planted
  // at a predictable name (a symlink at `<out>.errata-tmp`) can redirect the write.
  const stagingDir = await mkdtemp(path.join(path.dirname(target), '.errata-tmp-'));
  try {
    const staging = path.join(stagingDir, path.basename(target));
    await writeFile(staging, page, { flag: 'wx' });
    await rename(staging, target);
  } finally {
    await rm(stagingDir, { recursive: true, force: true });
  }
  return { out: target, bytes: Buffer.byteLength(page) };
}

const CSP_MARKER = '<!--errata:content-security-policy-->';
const REDOC_ROOT = '<div id="redoc"><div hidden=""><script>';

/**
 * Adds the page's Content-Security-Policy: nothing from outside (images and fonts inline only),
 * no plugins, frames, workers, forms or base URL, and only the page's own scripts, by SHA-256:
 * those of the head (errata's landing script), Redoc's colour-mode script (the first thing in its
 * markup) and Redoc's bundle (the last thing in the page, its spec data written by Redocly as
 * script-safe JSON). A script that a spec string smuggled into the rendered markup has no hash
 * and does not run. Styles are inline because Redoc's styled-components writes them at run time.
 * With `live` (`errata docs --watch`'s reload script, served and never written), that script
 * follows the policy, which allows it by hash and allows connections to the page's own origin
 * (the script's event stream); without it the page is byte for byte what `errata docs` writes.
 */
function withContentSecurityPolicy(page: string, live?: string): string {
  const scripts: string[] = [];
  // Head scripts in document order, each read to its `</script`, so no text inside one is taken
  // for a tag; the head ends at the first `<body` outside a script.
  const tag = /<script\b[^>]*>|<body\b/gi;
  let m: RegExpExecArray | null;
  while ((m = tag.exec(page)) && !m[0].toLowerCase().startsWith('<body')) {
    const end = page.indexOf('</script', tag.lastIndex);
    if (end < 0) throw new Error('the rendered page has an unterminated <script>');
    scripts.push(page.slice(tag.lastIndex, end));
    tag.lastIndex = end;
  }
  const body = m?.index ?? 0;
  const root = page.indexOf(REDOC_ROOT, body);
  if (root < 0) throw new Error('the rendered page has no Redoc markup');
  const colour = root + REDOC_ROOT.length;
  scripts.push(page.slice(colour, page.indexOf('</script', colour)));
  // The bundle: the module script whose end is the page's last `</script>`.
  const last = page.lastIndexOf('</script>');
  if (!/^<\/script>\s*<\/body>\s*<\/html>\s*$/.test(page.slice(last))) throw new Error('the rendered page does not end with Redoc\'s script');
  const opener = '<script type="module">';
  for (let at = page.indexOf(opener, root); at >= 0; at = page.indexOf(opener, at + 1)) {
    if (page.indexOf('</script', at) === last) {
      scripts.push(page.slice(at + opener.length, last));
      break;
    }
  }
  if (scripts.length < 3) throw new Error('the rendered page has no Redoc bundle');
  if (live !== undefined) {
    if (/<\/script|<!--/i.test(live)) throw new Error('an added script must not hold `</script` or `<!--`');
    scripts.push(live);
  }
  const hashes = scripts.map((text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`);
  const policy = [
    "default-src 'none'",
    `script-src ${hashes.join(' ')}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    'font-src data:',
    // The watch server's reload script listens to its events on the page's own origin.
    `connect-src ${live === undefined ? "'none'" : "'self'"}`,
    "object-src 'none'",
    "frame-src 'none'",
    "worker-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  if (!page.includes(CSP_MARKER)) throw new Error('the page template has no place for the Content-Security-Policy');
  const meta = `<meta http-equiv="Content-Security-Policy" content="${policy}">`;
  // The policy comes first: a script before it would run unchecked.
  return page.replace(CSP_MARKER, () => (live === undefined ? meta : `${meta}\n  <script>${live}</script>`));
}

/** Fails the build if the page would load anything from the network by itself. */
function assertOffline(page: string): void {
  const remote = [...page.matchAll(/<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=["']?(https?:)?\/\/[^"'\s>]+/gi)].map((m) => m[0]);
  const known = Object.keys(REMOTE_ASSETS).filter((u) => page.includes(u));
  if (remote.length || known.length) throw new Error(`the rendered page still loads remote resources: ${[...remote, ...known].join(', ')}`);
  if (!page.includes('"disableTelemetry":true')) throw new Error('the rendered page has Redoc telemetry enabled');
}

