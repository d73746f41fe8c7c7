import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIPv4 } from 'node:net';
import type { RenderedPage } from '../docs/build-docs';
import { UsageError } from '../errors';

/** Where the served page listens for rebuilds. Nothing else but `/` answers. */
export const EVENTS_PATH = '/_errata/events';

/**
 * Whether `errata docs --watch` may listen on `host`: a loopback address only. The server has no
 * authentication and serves a page under development; a reference to share is the file it writes.
 */
export function isLoopback(host: string): boolean {
  return (isIPv4(host) && host.startsWith('127.')) || host === '::1';
}

/**
 * The served page's reload script. The page names the build it shows (a hash of the page as
 * written); the server answers `reload` at once when that is no longer the page it serves (a
 * rebuild landed while the page loaded), else on the next good rebuild.
 */
function reloadScript(page: string): string {
  return `(function(){var s=new EventSource(${JSON.stringify(`${EVENTS_PATH}?page=${page}`)});s.addEventListener('reload',function(){s.close();location.reload();});})();`;
}

export interface PageServer {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  /** Serves `page` from now on and tells every open page to reload. */
  publish(page: RenderedPage): void;
  close(): Promise<void>;
}

/**
 * A loopback HTTP server for one page: GET `/` is the page (with its reload script), GET
 * EVENTS_PATH is a Server-Sent Events stream that says `reload` after each good rebuild. Every
 * other path is 404, compared as sent (no decoding, no normalising of `..`), so no file is ever
 * looked up; a request whose Host is not this server's address (a DNS-rebinding page) is refused.
 * Until a first page is published, `/` answers 503.
 */
export async function servePage(host: string, port: number): Promise<PageServer> {
  let served: { id: string; html: string } | undefined;
  const listeners = new Set<ServerResponse>();
  let hosts = new Set<string>();

  const plain = (res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...headers });
    res.end(`${text}\n`);
  };
  const reload = (res: ServerResponse) => {
    listeners.delete(res);
    res.end(`event: reload\ndata: ${served!.id}\n\n`);
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (!hosts.has((req.headers.host ?? '').toLowerCase())) return plain(res, 421, 'Misdirected Request: this server answers only at its own address');
    const target = req.url ?? '';
    const query = target.indexOf('?');
    const route = query < 0 ? target : target.slice(0, query);
    if (route !== '/' && route !== EVENTS_PATH) return plain(res, 404, 'Not Found');
    const methods = route === '/' ? ['GET', 'HEAD'] : ['GET'];
    if (!methods.includes(req.method ?? '')) return plain(res, 405, 'Method Not Allowed', { Allow: methods.join(', ') });
    if (!served) return plain(res, 503, 'errata docs --watch has no page yet: the terminal says what is wrong with the contract; reload once it is fixed.');
    if (route === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' });
      return res.end(served.html);
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    res.flushHeaders();
    listeners.add(res);
    res.on('close', () => listeners.delete(res));
    if (new URLSearchParams(query < 0 ? '' : target.slice(query + 1)).get('page') !== served.id) reload(res);
  };

  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') reject(new UsageError(`port ${port} on ${host} is in use`, 'pass another --port, or --port 0 for a free one'));
      else if (e.code === 'EADDRNOTAVAIL') reject(new UsageError(`${host} is not an address of this machine`, 'use --host 127.0.0.1 (the default)'));
      else reject(e);
    });
    server.listen(port, host, resolve);
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  const authority = `${host.includes(':') ? `[${host}]` : host}:${bound}`;
  hosts = new Set([authority, `localhost:${bound}`]);

  return {
    url: `http://${authority}/`,
    publish(page) {
      const id = createHash('sha256').update(page.html).digest('base64url').slice(0, 22);
      served = { id, html: page.withScript(reloadScript(id)) };
      for (const res of listeners) reload(res);
    },
    async close() {
      for (const res of listeners) res.end();
      listeners.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
