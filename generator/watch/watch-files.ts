import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Calls `run` once now and again whenever one of the files it reports changes content; a run
 * reports the files it read with the text it read (a contract's files are known only once its
 * `$ref`s are followed), and a change made between that read and the watch starting is caught by
 * comparing them once watching.
 * Folders are watched rather than files, so editors that save by writing a new file and renaming
 * it over the old one are seen too. Changes during a run trigger one more run after it; events
 * that leave every file's bytes as they were (a save without edits, a touch) trigger none.
 */
/** How long a file must be quiet before it is read again. */
const SETTLE_MS = 30;

export function watchFiles(run: () => Promise<ReadonlyMap<string, string | undefined>>, onError: (e: unknown) => void): { close(): Promise<void>; idle(): Promise<void> } {
  const watchers = new Map<string, FSWatcher>();
  let files = new Map<string, string | undefined>();
  let running: Promise<void> = Promise.resolve();
  let pending = false;
  let closed = false;

  const digest = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');
  const hash = async (file: string) => {
    try {
      return digest(await readFile(file));
    } catch {
      return undefined;
    }
  };

  const once = async () => {
    const next = new Map<string, string | undefined>();
    for (const [file, text] of await run()) next.set(path.resolve(file), text === undefined ? undefined : digest(text));
    // A failed run may have read fewer files (the broken one stops it): keep watching the others.
    for (const [file, digest] of files) if (!next.has(file)) next.set(file, digest);
    files = next;
    if (closed) return;
    const dirs = new Set([...files.keys()].map((f) => path.dirname(f)));
    for (const [dir, watcher] of watchers) if (!dirs.has(dir)) (watcher.close(), watchers.delete(dir));
    for (const dir of dirs) {
      if (watchers.has(dir)) continue;
      try {
        watchers.set(dir, watch(dir, (_event, name) => (name === null || files.has(path.join(dir, String(name))) ? changed() : undefined)));
      } catch (e) {
        onError(e);
      }
    }
    // Edits made since the run read the files, before the watchers started, would go unseen.
    for (const [file, seen] of files) if ((await hash(file)) !== seen) return changed();
  };

  const loop = async () => {
    while (pending && !closed) {
      pending = false;
      const before = files;
      const now = await Promise.all([...before.keys()].map(async (f) => [f, await hash(f)] as const));
      if (before.size > 0 && now.every(([f, digest]) => before.get(f) === digest)) continue;
      try {
        await once();
      } catch (e) {
        onError(e);
      }
    }
  };

  let timer: NodeJS.Timeout | undefined;
  const changed = () => {
    pending = true;
    // One run for a burst of events: an editor's truncate, write(s), rename and chmod of one save.
    // A run that still catches a file half-written fails, and the rest of the write starts another.
    clearTimeout(timer);
    timer = setTimeout(() => (running = running.then(loop)), SETTLE_MS);
  };

  running = once().catch(onError);
  return {
    /** Stops watching once the run under way (if any) is done. */
    async close() {
      closed = true;
      clearTimeout(timer);
      await running;
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
    /** Settles once the runs started so far are done. */
    idle: () => running,
  };
}

/**
 * `watchFiles` for one contract: `load` reads it, filling `texts` with every file it read (even
 * when it then fails). The root file is watched even when it could not be read (it may appear).
 */
export function watchContract(spec: string, load: (texts: Map<string, string>) => Promise<void>, onError: (e: unknown) => void): { close(): Promise<void>; idle(): Promise<void> } {
  return watchFiles(async () => {
    const texts = new Map<string, string>();
    await load(texts);
    return new Map<string, string | undefined>([[path.resolve(spec), undefined], ...texts]);
  }, onError);
}
