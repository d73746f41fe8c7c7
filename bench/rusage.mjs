// Preloaded (`node --import`) into a measured command when GNU time is missing: reports the
// process's own peak RSS (KB) and CPU seconds in GNU time's `%M %U %S` format as it exits.
import { writeFileSync } from 'node:fs';

const file = process.env.ERRATA_BENCH_RUSAGE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, `${u.maxRSS} ${u.userCPUTime / 1e6} ${u.systemCPUTime / 1e6}\n`);
  });
}
