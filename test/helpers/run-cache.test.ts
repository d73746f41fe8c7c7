import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, inject, it } from 'vitest';
import { runCached } from './run-cache';

it("takes over a dead worker's lock, and two callers at once make one entry", async () => {
  const key = `run-cache-test-${process.pid}`;
  const lock = path.join(inject('runDir'), `${key}.lock`);
  mkdirSync(lock, { recursive: true });
  // A pid no process has (above Linux's pid_max).
  writeFileSync(path.join(lock, 'pid'), '4194305');
  let made = 0;
  const make = async (staging: string) => {
    made++;
    mkdirSync(staging);
    writeFileSync(path.join(staging, 'made'), String(made));
  };
  const [a, b] = await Promise.all([runCached(key, make), runCached(key, make)]);
  expect(b).toBe(a);
  expect(made).toBe(1);
  expect(readFileSync(path.join(a, 'made'), 'utf8')).toBe('1');
  expect(existsSync(lock)).toBe(false);
});
