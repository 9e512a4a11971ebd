#!/usr/bin/env node
// Runs one package's test files N times and reports how often they passed and what they measured, so that a bound
// in a test is set outside the noise seen over many runs on busy cores (issue 23: >= 20 runs), not over one.
//
//   node scripts/repeat-tests.mjs --runs 20 --dir packages/backend-onnx --match 'RSS' --out leaks.csv -- test/leaks.test.ts
//
// Every run is `npx vitest run <args>` in --dir; lines of its output that match --match (the values a test prints with
// console.log) are kept, one CSV row per run and line: run, passed, seconds, the 1-minute load, the line. The
// summary on stderr gives passes/runs and the spread of every number that the kept lines carry, per line label.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '20' },
    dir: { type: 'string' },
    match: { type: 'string', default: '.^' },
    out: { type: 'string' },
  },
});
const runs = Number(values.runs);
if (!values.dir || !Number.isInteger(runs) || runs < 1) {
  console.error('usage: repeat-tests.mjs --runs N --dir PACKAGE_DIR [--match REGEX] [--out FILE.csv] -- VITEST_ARGS...');
  process.exit(2);
}
const match = new RegExp(values.match);
const rows = [['run', 'passed', 'seconds', 'load1', 'line']];
/** Numbers of the kept lines by label (the line with every number as '#'); a test prints "+-0.6" for -0.6. */
const series = new Map();
const NUMBER = /[+-]*(\d+(\.\d+)?(e[-+]?\d+)?)/gi;
const addToSeries = (line) => {
  const label = line.replace(NUMBER, '#');
  const numbers = [...line.matchAll(NUMBER)].map((m) => (m[0].replace(/\+/g, '').startsWith('-') ? -1 : 1) * Number(m[1]));
  series.set(label, [...(series.get(label) ?? []), numbers]);
};
let passes = 0;
for (let run = 1; run <= runs; run++) {
  const load = loadavg()[0].toFixed(1);
  const start = Date.now();
  // NO_COLOR: the kept lines are compared as plain text.
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
  const r = spawnSync('npx', ['vitest', 'run', ...positionals], { cwd: values.dir, env, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const seconds = ((Date.now() - start) / 1000).toFixed(1);
  const passed = r.status === 0;
  if (passed) passes++;
  const lines = `${r.stdout}\n${r.stderr}`.split('\n').map((l) => l.trim());
  const kept = lines.filter((l) => match.test(l));
  for (const line of kept) {
    rows.push([run, passed, seconds, load, JSON.stringify(line)]);
    addToSeries(line);
  }
  if (kept.length === 0) rows.push([run, passed, seconds, load, '']);
  console.error(`run ${run}/${runs}: ${passed ? 'passed' : `FAILED (exit ${r.status})`} in ${seconds} s at load ${load}`);
  if (!passed)
    console.error(
      lines
        .filter((l) => /FAIL|Error|expected/.test(l))
        .slice(0, 12)
        .join('\n'),
    );
}
if (values.out) writeFileSync(values.out, `${rows.map((r) => r.join(',')).join('\n')}\n`);
console.error(`\n${passes}/${runs} runs passed`);
for (const [label, s] of series) {
  const columns = Math.max(...s.map((n) => n.length));
  const spread = Array.from({ length: columns }, (_, i) => {
    const v = s.map((n) => n[i]).filter((x) => x !== undefined);
    return `${Math.min(...v)}..${Math.max(...v)}`;
  });
  console.error(`${label}  [${s.length} lines]  ${spread.join('  ')}`);
}
process.exit(passes === runs ? 0 : 1);
