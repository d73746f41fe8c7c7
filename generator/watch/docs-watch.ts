import { renderPage, writePage, type DocsResult } from '../docs/build-docs';
import { ValidationThread } from '../load/load-contract';
import type { ParseMemo } from '../load/read-source';
import { servePage } from './page-server';
import { watchContract } from './watch-files';

export interface DocsWatchTarget {
  spec: string;
  /** The HTML file to write, as `errata docs` writes it. */
  out: string;
  /** A loopback address (see isLoopback). */
  host: string;
  /** 0: any free port. */
  port: number;
}

export interface DocsWatchIo {
  /** The server listens at `url` (before the first build). */
  serving(target: DocsWatchTarget, url: string): void;
  /** The page was rebuilt: written and served (`changed`), or the same as the one served. */
  wrote(target: DocsWatchTarget, result: DocsResult & { changed: boolean }, ms: number): void;
  /**
   * A build failed: the error as a one-shot run reports it; the last good page stays, on disk and
   * served, if a build succeeded before (`served`).
   */
  failed(target: DocsWatchTarget, error: unknown, served: boolean): void;
}

/**
 * `errata docs --watch`: serves the reference on a loopback address, builds it, then builds it
 * again whenever a file of its contract changes. Each good build is written as `errata docs`
 * writes it (atomically, the same bytes), then served, and open pages reload; a broken one is
 * reported and changes nothing. Parses of unchanged files and the validation thread are kept
 * between builds; Redocly's rendering runs every time.
 */
export async function watchDocs(target: DocsWatchTarget, io: DocsWatchIo): Promise<{ url: string; close(): Promise<void>; idle(): Promise<void> }> {
  const server = await servePage(target.host, target.port);
  io.serving(target, server.url);
  const validator = new ValidationThread();
  const parsed: ParseMemo = new Map();
  let last: string | undefined;
  const watch = watchContract(
    target.spec,
    async (texts) => {
      const started = performance.now();
      try {
        const page = await renderPage(target.spec, { validator, texts, parsed });
        const changed = page.html !== last;
        const result = changed ? await writePage(target.out, page.html) : { out: target.out, bytes: Buffer.byteLength(page.html) };
        if (changed) server.publish(page);
        last = page.html;
        io.wrote(target, { ...result, changed }, performance.now() - started);
      } catch (e) {
        io.failed(target, e, last !== undefined);
      }
    },
    (e) => io.failed(target, e, last !== undefined),
  );
  return {
    url: server.url,
    async close() {
      await watch.close();
      await validator.stop();
      await server.close();
    },
    idle: () => watch.idle(),
  };
}
