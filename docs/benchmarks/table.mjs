// Summarizes `convzoo bench train --csv` files as a markdown table: per model and backend, the medians over the
// rounds of ms/step, CPU ms/step and cores busy, and the median of each round's ratio to Keras and to PyTorch (both
// timed in the same round; also the CPU-time ratio to Keras, steadier on a shared machine), with the rounds' load averages. Usage: node docs/benchmarks/table.mjs FILE.csv...
import { readFileSync } from 'node:fs';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const rows = process.argv.slice(2).flatMap((file) => {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const keys = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [keys[i], v])));
});
// One run: the rows of one `bench train` call (model, input, batch and threads alike, rounds counting from 0).
const runs = [];
for (const r of rows) {
  const key = `${r.model}|${r.input}|${r.batch}|${r.threads}`;
  let run = runs.at(-1);
  if (!run || run.key !== key || (r.round === '0' && run.rows.some((x) => x.backend === r.backend && x.round === '0'))) runs.push((run = { key, rows: [] }));
  run.rows.push(r);
}
console.log('| model | input | batch | backend | ms/step | samples/s | CPU ms/step | cores | x Keras | x PyTorch | CPU x Keras | rounds | load (1 min) |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const { rows: rs } of runs) {
  const backends = [...new Set(rs.map((r) => r.backend))];
  const ratio = (own, peer, col = 'ms_per_step') => {
    const xs = own.flatMap((o) => rs.filter((p) => p.backend === peer && p.round === o.round).map((p) => Number(o[col]) / Number(p[col])));
    return xs.length && own[0].backend !== peer ? `${median(xs).toFixed(2)}x` : '';
  };
  for (const b of backends) {
    const own = rs.filter((r) => r.backend === b);
    const ms = median(own.map((r) => Number(r.ms_per_step)));
    const cpu = median(own.map((r) => Number(r.cpu_ms_per_step)));
    const loads = own.map((r) => Number(r.load1));
    const cells = [
      own[0].model,
      own[0].input,
      own[0].batch,
      b,
      ms.toFixed(1),
      ((Number(own[0].batch) * 1000) / ms).toFixed(0),
      cpu.toFixed(1),
      (cpu / ms).toFixed(2),
    ];
    cells.push(
      ratio(own, 'keras'),
      ratio(own, 'torch'),
      ratio(own, 'keras', 'cpu_ms_per_step'),
      String(own.length),
      `${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)}`,
    );
    console.log(`| ${cells.join(' | ')} |`);
  }
}
