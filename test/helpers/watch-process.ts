import { spawn, type ChildProcess } from 'node:child_process';
import { ERRATA_BIN, ROOT } from './cli';

/**
 * A running `errata <command> --watch`, its output collected; `until` waits for lines that match
 * (woken by output, never by a timer).
 */
export function watchProcess(command: 'generate' | 'docs', args: string[], env: Record<string, string> = {}) {
  const child: ChildProcess = spawn(process.execPath, [ERRATA_BIN, command, '--watch', ...args], { cwd: ROOT, env: { ...process.env, REDOCLY_TELEMETRY: 'off', NO_COLOR: '1', ...env } });
  const out = { stdout: '', stderr: '' };
  const waiters: (() => void)[] = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  child.stdout!.on('data', (d) => ((out.stdout += String(d)), wake()));
  child.stderr!.on('data', (d) => ((out.stderr += String(d)), wake()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => (wake(), resolve(code))));
  const count = (text: string, pattern: RegExp) => (text.match(new RegExp(pattern.source, `${pattern.flags}g`)) ?? []).length;
  return {
    out,
    exited,
    /**
     * Resolves once `stream` (`either`: stdout and stderr together) has `n` lines matching
     * `pattern` (fails if the process exits first).
     */
    async until(stream: 'stdout' | 'stderr' | 'either', pattern: RegExp, n: number): Promise<void> {
      const seen = () => (stream === 'either' ? count(out.stdout, pattern) + count(out.stderr, pattern) : count(out[stream], pattern));
      while (seen() < n) {
        if (child.exitCode !== null) throw new Error(`errata ${command} --watch exited (${child.exitCode}):\n${out.stdout}\n${out.stderr}`);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
    stop: () => child.kill('SIGINT'),
  };
}
