/**
 * `runCached(key, make)`: an entry of this run's folder (test/setup/global.ts), made once per `vitest
 * run` by whichever test needs it first, in whichever worker, and shared by every later caller.
 *
 * Test files run in several workers at once, and the heavy ones often start with the same entry: the
 * first to need it takes its lock (an atomic `mkdir`) and makes it, the others wait for the entry to
 * appear (or for the lock to go, when making it failed: they then try themselves, and report the
 * same error) instead of making the same bytes a second time. `make` writes into a staging folder
 * of its own, renamed into place when complete: a reader sees all of an entry or nothing.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { inject } from 'vitest';

export async function runCached(key: string, make: (staging: string) => Promise<void>): Promise<string> {
  const entry = path.join(inject('runDir'), key);
  const lock = `${entry}.lock`;
  mkdirSync(path.dirname(entry), { recursive: true });
  for (;;) {
    if (existsSync(entry)) return entry;
    try {
      mkdirSync(lock);
      writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // Another worker is making this entry: its CPU is better spent there than on a copy.
      while (existsSync(lock) && !existsSync(entry)) {
        // A worker killed while making it (a timeout) leaves its lock: the next caller takes over.
        if (!ownerAlive(lock)) rmSync(lock, { recursive: true, force: true });
        else await sleep(20);
      }
    }
  }
  try {
    if (existsSync(entry)) return entry;
    const staging = `${entry}.${process.pid}-${randomUUID()}`;
    await make(staging);
    renameSync(staging, entry);
    return entry;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Whether the worker that took `lock` still runs (a lock whose pid is not written yet is taken now). */
function ownerAlive(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(path.join(lock, 'pid'), 'utf8'));
  } catch {
    return true;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
