import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted reply; `destroy` drops the connection without a response (a network error). */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string verbatim. */
  body?: unknown;
  /** Sends `body` chunked, with no Content-Length. */
  chunked?: boolean;
  destroy?: boolean;
}

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ScriptedServer {
  url: string;
  /** Every request, in arrival order. */
  received: Received[];
  /** Queues replies for the next requests; when the queue is empty the server answers 200 `{ ok: true }`. */
  reply(...replies: Reply[]): void;
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 (ephemeral port) that answers with whatever the test queued:
 * contract envelopes, proxy HTML, empty and truncated bodies, Retry-After in both forms.
 */
export async function startScriptedServer(): Promise<ScriptedServer> {
  const queue: Reply[] = [];
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const r = queue.shift() ?? { status: 200, body: { ok: true } };
      if (r.destroy) return void req.socket.destroy();
      const text = r.body === undefined ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
      const headers: Record<string, string> = { ...(typeof r.body === 'object' ? { 'content-type': 'application/json' } : {}), ...r.headers };
      if (!r.chunked) headers['content-length'] = String(Buffer.byteLength(text));
      res.writeHead(r.status ?? 200, headers);
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    reply: (...replies) => void queue.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A clock whose sleeps return at once and are recorded, so retry waits are asserted without waiting. */
export function fakeClock(start = Date.UTC(2026, 0, 1, 12, 0, 0)) {
  const sleeps: number[] = [];
  const clock = {
    time: start,
    sleeps,
    now: () => clock.time,
    random: () => 0.5,
    sleep: async (ms: number, signal?: AbortSignal | null) => {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      clock.time += ms;
    },
  };
  return clock;
}
