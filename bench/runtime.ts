/**
 * Runtime overhead on loopback: what errata's generated helpers cost per request, against code a
 * team would write by hand to send and read the same error.
 *
 * - Server: requests per second (autocannon) of a Node `http` server answering one declared error
 *   (`getImage` NOT_FOUND) through errata's Node adapter, against a hand-written
 *   `res.writeHead(...); res.end(JSON.stringify(...))` that sends the same bytes (target ≥ 0.9×).
 * - Client: time per call of the generated client reading that error, against plain openapi-fetch
 *   reading it (target ≤ 1.1×), sequential calls against the hand-written server; within each run
 *   the two sides take turns in slices of calls (A B, B A, …).
 *
 * Both servers run in one child process (`--serve`), so the load generator and the client loops
 * do not share an event loop with what they measure; where `taskset` exists and there are two CPUs
 * or more, that child is pinned to one CPU and the bench process (autocannon, the clients) to
 * another, so the load generator does not take the server's CPU. Before any timing, the two
 * servers' responses are compared (status, every header but Date, body) and must be identical.
 * Then many short rounds alternate (A B, B A, …) after a discarded warm-up, so a change in the
 * machine's load hits both sides of a pair alike; each ratio is the median of the per-pair
 * ratios, with min and max.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, get, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import createFetchClient from 'openapi-fetch';
import { catalog } from '../generated/catalog';
import { clientContract, type Contract } from '../generated/client';
import type { paths } from '../generated/openapi';
import { serverContract, type ErrorBodies, type InternalResult, type OperationErrorInput, type UnroutedErrorInput } from '../generated/server';
import { figure, pairRatio, type Figure } from './measure';

const SELF = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(SELF), '..');
/** Sent by the load generator and the clients: both servers echo it, so both answer the same bytes. */
const REQUEST_ID = 'req_bench00000000001';
const IMAGE = '/v1/images/img_missing';

// ── The two servers (child process) ─────────────────────────────────────────────────────────────

/**
 * errata's runtime as installed: its build (dist/, which `npm run bench` builds first), fed the
 * generated contract tables. Through tsx, the sources would pay for tsx's transforms (a `__name`
 * call per closure made per request), which no user pays.
 */
const dist = <T>(file: string) => import(pathToFileURL(path.join(ROOT, 'dist/runtime', file)).href) as Promise<T>;

async function errataListener() {
  const { createServerErrors } = await dist<typeof import('../runtime/server')>('server.js');
  const { handle } = await dist<typeof import('../runtime/adapters/node')>('adapters/node/index.js');
  // What generated/server.ts's `errata` is, with the runtime from dist/.
  const errata = createServerErrors<OperationErrorInput, ErrorBodies, InternalResult, UnroutedErrorInput>(serverContract);
  return handle(errata, (_req, _res, { errors }) => errors.getImage({ code: 'NOT_FOUND' }));
}

// What a team writes without errata to send Picora's NOT_FOUND: the envelope, the request id echoed
// when it is a plain token (else a new one), and the same headers errata sends.
const TOKEN = /^[A-Za-z0-9._:\-]{1,128}$/;
const MESSAGE = catalog.NOT_FOUND.message;
function handWritten(req: IncomingMessage, res: ServerResponse): void {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && TOKEN.test(incoming) ? incoming : `req_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const body = JSON.stringify({ success: false, error: MESSAGE, code: 'NOT_FOUND' });
  res.writeHead(404, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff', 'x-request-id': id, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

async function listen(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function serve(): Promise<void> {
  const urls = { errata: await listen(await errataListener()), hand: await listen(handWritten) };
  process.stdout.write(`${JSON.stringify(urls)}\n`);
  // Each line the bench writes asks for this process's CPU time so far (µs), to count per request.
  createInterface({ input: process.stdin }).on('line', () => {
    const { user, system } = process.cpuUsage();
    process.stdout.write(`${user + system}\n`);
  });
  // The bench closes stdin when it is done (or dies): exit then, so profiles get written.
  process.stdin.on('end', () => process.exit(0));
}

// ── The bench (parent process) ──────────────────────────────────────────────────────────────────

export interface Side {
  /** Per run: requests per second (server) or milliseconds per call (client). */
  samples: number[];
  figure: Figure;
}
export interface Pair {
  errata: Side;
  baseline: Side;
  /** errata ÷ baseline, per alternated pair. */
  ratio: Figure;
}
export interface RuntimeBench {
  /** Alternated pairs, each side's warm-up discarded. */
  runs: number;
  /** The CPUs the server process and the bench process (load generator, clients) were pinned to, when they were. */
  pinned?: { server: number; bench: number };
  /** `cpuUsPerRequest`: the server process's CPU time per request, each side, and their ratio per pair. */
  server: Pair & { cpuUsPerRequest: { errata: Figure; baseline: Figure; ratio: Figure }; connections: number; seconds: number; warmupSeconds: number };
  /** `cpuUsPerCall`: the bench process's CPU time per call, each side, and their ratio per pair. */
  client: Pair & { cpuUsPerCall: { errata: Figure; baseline: Figure; ratio: Figure }; calls: number; slice: number };
  /** The response both sides sent, as compared before timing. */
  response: { status: number; headers: string[]; body: string };
}

interface Options {
  /** Alternated pairs (server and client each). */
  runs: number;
  /** autocannon's duration per run, seconds. */
  seconds?: number;
  /** autocannon's duration of each side's discarded warm-up run, seconds. */
  warmupSeconds?: number;
  connections?: number;
  /** Sequential client calls per side per run. */
  calls?: number;
  /** Client calls per slice: a run takes each side's calls in turns of this many. */
  slice?: number;
  /** Passed to the server child (e.g. `--cpu-prof`). */
  nodeFlags?: string[];
}

interface Servers {
  child: ChildProcess;
  errata: string;
  hand: string;
  /** The server process's CPU time so far, µs (user + system). */
  cpu(): Promise<number>;
}

/**
 * CPUs for the server process and for this one, when `taskset` can pin them apart (two CPUs or
 * more this process may run on, which a cgroup can make fewer than the machine has): the last
 * allowed CPU for the servers, the first for autocannon and the clients.
 */
function pinning(): { server: number; bench: number } | undefined {
  // BENCH_PIN=0: on a machine loaded by other work a pinned process cannot move to a free CPU.
  if (process.env.BENCH_PIN === '0') return undefined;
  let list: string;
  try {
    list = /list:\s*([\d,-]+)/.exec(execFileSync('taskset', ['-c', '-p', String(process.pid)], { encoding: 'utf8' }))?.[1] ?? '';
  } catch {
    return undefined;
  }
  // "0-3,6": ranges and single CPUs.
  const allowed = list.split(',').filter(Boolean).flatMap((part) => {
    const [from, to = from] = part.split('-').map(Number) as [number, number?];
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });
  if (allowed.length < 2) return undefined;
  return { server: allowed.at(-1)!, bench: allowed[0]! };
}

/** Pins every thread of this process to `cpu`; returns what puts the previous affinity back. */
function pinSelf(cpu: number): () => void {
  const mask = /mask:\s*([0-9a-f,]+)/i.exec(execFileSync('taskset', ['-p', String(process.pid)], { encoding: 'utf8' }))![1]!;
  execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(process.pid)], { stdio: 'ignore' });
  return () => execFileSync('taskset', ['-a', '-p', mask, String(process.pid)], { stdio: 'ignore' });
}

async function startServers(nodeFlags: string[], pinTo: number | undefined): Promise<Servers> {
  const node = [...nodeFlags, '--import', 'tsx', SELF, '--serve'];
  const [file, args] = pinTo === undefined ? [process.execPath, node] : ['taskset', ['-c', String(pinTo), process.execPath, ...node]];
  const child = spawn(file, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench/runtime.ts --serve exited (${code}) before listening`)));
    lines.once('line', resolve);
  });
  const urls = JSON.parse(first) as { errata: string; hand: string };
  const cpu = () =>
    new Promise<number>((resolve) => {
      lines.once('line', (l) => resolve(Number(l)));
      child.stdin!.write('cpu\n');
    });
  return { child, ...urls, cpu };
}

interface Raw {
  status: number;
  headers: string[];
  body: string;
}

function fetchRaw(url: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    get(url + IMAGE, { headers: { 'x-request-id': REQUEST_ID } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const headers: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) if (res.rawHeaders[i]!.toLowerCase() !== 'date') headers.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
        resolve({ status: res.statusCode!, headers, body: Buffer.concat(chunks).toString('utf8') });
      });
    }).on('error', reject);
  });
}

/** The comparison is only fair if both sides put the same bytes on the wire: fail the bench if not. */
async function sameResponse(errataUrl: string, handUrl: string): Promise<Raw> {
  const [a, b] = await Promise.all([fetchRaw(errataUrl), fetchRaw(handUrl)]);
  const show = (r: Raw) => `${r.status}\n${r.headers.join('\n')}\n\n${r.body}`;
  if (show(a) !== show(b)) throw new Error(`runtime bench: the two servers answer differently\n--- errata\n${show(a)}\n--- hand-written\n${show(b)}`);
  if (a.status !== 404 || !a.headers.includes(`x-request-id: ${REQUEST_ID}`)) throw new Error(`runtime bench: unexpected response\n${show(a)}`);
  return a;
}

/** Requests per second, and the server process's CPU µs per request (less disturbed by load). */
async function requestsPerSecond(servers: Servers, url: string, seconds: number, connections: number): Promise<{ rps: number; cpuUs: number }> {
  const before = await servers.cpu();
  const r = await autocannon({ url: url + IMAGE, connections, duration: seconds, headers: { 'x-request-id': REQUEST_ID } });
  if (r.errors || r.timeouts || r['2xx'] || r.non2xx !== r['4xx'] || r['4xx'] === 0) {
    throw new Error(`runtime bench: autocannon against ${url}: ${r.errors} errors, ${r.timeouts} timeouts, ${r['2xx']} 2xx, ${r['4xx']} 4xx of ${r.non2xx} non-2xx`);
  }
  const cpuUs = (await servers.cpu()) - before;
  return { rps: r.requests.total / (r.duration || seconds), cpuUs: cpuUs / r.requests.total };
}

type Call = () => Promise<void>;

/** One side's share of an interleaved pair: wall ms per call, and the bench process's CPU µs per call (the client's own cost, less disturbed by load). */
interface Share {
  ms: number;
  cpuUs: number;
}

/**
 * `calls` calls of each side, in slices of `slice` taken in turn (A B, B A, …), so load from
 * other processes on a shared machine falls on both sides alike within the pair, not only across
 * pairs.
 */
async function interleaved(a: Call, b: Call, calls: number, slice: number): Promise<{ a: Share; b: Share }> {
  const wall = [0n, 0n];
  const cpu = [0, 0];
  const run = async (side: 0 | 1, call: Call, n: number) => {
    const started = process.hrtime.bigint();
    const before = process.cpuUsage();
    for (let i = 0; i < n; i++) await call();
    const used = process.cpuUsage(before);
    wall[side]! += process.hrtime.bigint() - started;
    cpu[side]! += used.user + used.system;
  };
  for (let done = 0, turn = 0; done < calls; done += slice, turn++) {
    const n = Math.min(slice, calls - done);
    if (turn % 2 === 0) {
      await run(0, a, n);
      await run(1, b, n);
    } else {
      await run(1, b, n);
      await run(0, a, n);
    }
  }
  const share = (side: 0 | 1): Share => ({ ms: Number(wall[side]!) / 1e6 / calls, cpuUs: cpu[side]! / calls });
  return { a: share(0), b: share(1) };
}

/** One warm-up each (`warmA`, `warmB`, discarded), then `runs` alternated pairs (A B, B A, …). */
async function alternate(a: () => Promise<number>, b: () => Promise<number>, runs: number, warmA: () => Promise<number>, warmB: () => Promise<number>): Promise<{ a: Side; b: Side; ratio: Figure }> {
  await warmA();
  await warmB();
  const sa: number[] = [];
  const sb: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      sa.push(await a());
      sb.push(await b());
    } else {
      sb.push(await b());
      sa.push(await a());
    }
  }
  return { a: { samples: sa, figure: figure(sa) }, b: { samples: sb, figure: figure(sb) }, ratio: pairRatio(sa, sb) };
}

export async function benchRuntime(options: Options): Promise<RuntimeBench> {
  const { runs, seconds = 1, warmupSeconds = 3, connections = 10, calls = 200, slice = 20, nodeFlags = [] } = options;
  const pinned = pinning();
  const servers = await startServers(nodeFlags, pinned?.server);
  let unpin = () => {};
  try {
    if (pinned) unpin = pinSelf(pinned.bench);
    const response = await sameResponse(servers.errata, servers.hand);
    const cpu: { a: number[]; b: number[] } = { a: [], b: [] };
    const rps = (url: string, into: number[] | undefined, duration: number) => async () => {
      const r = await requestsPerSecond(servers, url, duration, connections);
      into?.push(r.cpuUs);
      return r.rps;
    };
    const server = await alternate(rps(servers.errata, cpu.a, seconds), rps(servers.hand, cpu.b, seconds), runs, rps(servers.errata, undefined, warmupSeconds), rps(servers.hand, undefined, warmupSeconds));

    // Both clients read the same server's error; each call must come back as the error it is.
    const init = { params: { path: { id: 'img_missing' } }, headers: { 'x-request-id': REQUEST_ID } };
    const { createErrataClient } = await dist<typeof import('../runtime/client')>('client.js');
    // What generated/client.ts's createClient() makes, with the runtime from dist/.
    const typed = createErrataClient<paths, Contract>(clientContract, { baseUrl: servers.hand });
    const plain = createFetchClient<paths>({ baseUrl: servers.hand });
    const errataCall: Call = async () => {
      const { error } = await typed.GET('/v1/images/{id}', init);
      if (error?.code !== 'NOT_FOUND' || error.requestId !== REQUEST_ID) throw new Error(`runtime bench: the errata client read ${String(error?.code)}`);
    };
    const plainCall: Call = async () => {
      const { error, response } = await plain.GET('/v1/images/{id}', init);
      if ((error as { code?: unknown } | undefined)?.code !== 'NOT_FOUND' || response.headers.get('x-request-id') !== REQUEST_ID) throw new Error('runtime bench: openapi-fetch read another error');
    };
    // A warm-up pair, then `runs` pairs, each side's calls interleaved in slices.
    await interleaved(errataCall, plainCall, calls, slice);
    const pairs: { a: Share; b: Share }[] = [];
    for (let i = 0; i < runs; i++) pairs.push(await interleaved(errataCall, plainCall, calls, slice));
    const side = (of: (p: { a: Share; b: Share }) => number): Side => {
      const samples = pairs.map(of);
      return { samples, figure: figure(samples) };
    };
    const client = { a: side((p) => p.a.ms), b: side((p) => p.b.ms), ratio: pairRatio(pairs.map((p) => p.a.ms), pairs.map((p) => p.b.ms)) };
    const [ccA, ccB] = [pairs.map((p) => p.a.cpuUs), pairs.map((p) => p.b.cpuUs)];
    return {
      runs,
      ...(pinned && { pinned }),
      server: {
        errata: server.a,
        baseline: server.b,
        ratio: server.ratio,
        cpuUsPerRequest: { errata: figure(cpu.a), baseline: figure(cpu.b), ratio: pairRatio(cpu.a, cpu.b) },
        connections,
        seconds,
        warmupSeconds,
      },
      client: {
        errata: client.a,
        baseline: client.b,
        ratio: client.ratio,
        cpuUsPerCall: { errata: figure(ccA), baseline: figure(ccB), ratio: pairRatio(ccA, ccB) },
        calls,
        slice,
      },
      response,
    };
  } finally {
    unpin();
    servers.child.stdin!.end();
    await new Promise((resolve) => (servers.child.exitCode === null ? servers.child.once('exit', resolve) : resolve(undefined)));
  }
}

const f = (x: Figure, digits: number) => `${x.median.toFixed(digits)} (${x.min.toFixed(digits)}–${x.max.toFixed(digits)})`;
const line = (label: string, value: string) => `  ${label.padEnd(44)} ${value}`;

export function formatRuntimeBench(r: RuntimeBench): string {
  return [
    `Runtime on loopback, ${r.runs} alternated pairs after a discarded warm-up each; median (min–max); both sides' responses checked byte-identical (${r.response.status}, ${Buffer.byteLength(r.response.body)} B body); ${r.pinned ? `servers pinned to CPU ${r.pinned.server}, autocannon and clients to CPU ${r.pinned.bench} (taskset)` : 'not pinned (BENCH_PIN=0, no taskset or one CPU allowed)'}`,
    line(`errata node adapter, req/s (${r.server.connections} conns, ${r.server.seconds} s a run)`, f(r.server.errata.figure, 0)),
    line('hand-written writeHead + end, req/s', f(r.server.baseline.figure, 0)),
    line('ratio per pair (target ≥ 0.9×)', `${f(r.server.ratio, 2)}×`),
    line('server CPU µs per request, errata / hand', `${f(r.server.cpuUsPerRequest.errata, 0)} / ${f(r.server.cpuUsPerRequest.baseline, 0)}; ${f(r.server.cpuUsPerRequest.ratio, 2)}×`),
    line(`errata client, ms per call (${r.client.calls} a pair, slices of ${r.client.slice})`, f(r.client.errata.figure, 3)),
    line('plain openapi-fetch, ms per call', f(r.client.baseline.figure, 3)),
    line('ratio per pair (target ≤ 1.1×)', `${f(r.client.ratio, 2)}×`),
    line('client CPU µs per call, errata / plain', `${f(r.client.cpuUsPerCall.errata, 0)} / ${f(r.client.cpuUsPerCall.baseline, 0)}; ${f(r.client.cpuUsPerCall.ratio, 2)}×`),
  ].join('\n');
}

if (process.argv.includes('--serve') && process.argv[1] && path.resolve(process.argv[1]) === SELF) await serve();
