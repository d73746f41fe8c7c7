/**
 * `runCached(key, make)`: an entry of this run's folder (test/setup/global.ts), made once per `vitest
 * run` by whichever test needs it first, in whichever worker, and shared by every later caller.
 *
 * Test files run in several workers at once, and the heavy ones often start with the same entry: the
 * first to need it takes its lock (an atomic rename) and makes it, the others wait for the entry to
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
  while (!takeLock(lock)) {
    if (existsSync(entry)) return entry;
    // Another worker is making this entry: its CPU is better spent there than on a copy.
    while (existsSync(lock) && !existsSync(entry)) {
      // A worker killed while making it (a timeout) leaves its lock: the next caller takes over.
      if (!ownerAlive(lock)) removeAside(lock);
      else await sleep(20);
    }
  }
  try {
    if (existsSync(entry)) return entry;
    const staging = `${entry}.${process.pid}-${randomUUID()}`;
    await make(staging);
    try {
      renameSync(staging, entry);
    } catch (e) {
      // Two takers of one stale lock may both make the entry: the second keeps the first's.
      if (!existsSync(entry)) throw e;
      rmSync(staging, { recursive: true, force: true });
    }
    return entry;
  } finally {
    removeAside(lock);
  }
}

/**
 * The lock is a folder holding its owner's pid, made aside and renamed into place: it exists with
 * its pid or not at all (a rename onto a lock that holds a pid fails), so a worker killed while
 * taking it leaves nothing that looks taken forever.
 */
function takeLock(lock: string): boolean {
  const mine = `${lock}.${process.pid}-${randomUUID()}`;
  mkdirSync(mine);
  writeFileSync(path.join(mine, 'pid'), String(process.pid));
  try {
    renameSync(mine, lock);
    return true;
  } catch (e) {
    rmSync(mine, { recursive: true, force: true });
    if (!['ENOTEMPTY', 'EEXIST'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
    return false;
  }
}

/**
 * Removes a lock by renaming it away first: of two workers that find one lock stale, only one
 * removes it. (Should one still remove a lock taken since, the worst is an entry made twice.)
 */
function removeAside(lock: string): void {
  const aside = `${lock}.gone-${randomUUID()}`;
  try {
    renameSync(lock, aside);
  } catch {
    return;
  }
  rmSync(aside, { recursive: true, force: true });
}

/** Whether the worker that took `lock` still runs (a lock being removed is read as taken). */
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
