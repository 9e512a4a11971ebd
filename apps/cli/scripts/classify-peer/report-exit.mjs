// Loaded with `node --import` into the `convzoo classify` process by scripts/bench-classify.ts: at exit, its time since
// process start and peak RSS on stderr as JSON (the CLI's own output is untouched).
import { performance } from 'node:perf_hooks';

process.on('exit', () => {
  process.stderr.write(`\n${JSON.stringify({ bench: true, ms: performance.now(), maxRssKiB: process.resourceUsage().maxRSS })}\n`);
});
