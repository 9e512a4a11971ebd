// `convzoo bench train`'s output: per-round samples summarized as one row per backend (medians over the rounds, each
// ratio taken within a round), the printed table, and the CSV lines of --csv.
import { appendFileSync, existsSync } from 'node:fs';
import type { CommandIO } from '../command.js';
import type { BenchRow, BenchSample } from './bench-row.js';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export function summarize(samples: readonly BenchSample[], batch: number, epochSize: number): BenchRow[] {
  const names = [...new Set(samples.map((s) => s.backend))];
  const of = (name: string) => samples.filter((s) => s.backend === name);
  return names.map((name) => {
    const own = of(name);
    const ms = median(own.map((s) => s.ms));
    const ratios: Record<string, number> = {};
    for (const peer of names) {
      const inRound = own.flatMap((s) =>
        of(peer)
          .filter((p) => p.round === s.round)
          .map((p) => s.ms / p.ms),
      );
      if (peer !== name && inRound.length) ratios[peer] = median(inRound);
    }
    const phased = own.filter((s) => s.phases);
    const phases = phased.length ? Object.fromEntries(Object.keys(phased[0]!.phases!).map((k) => [k, median(phased.map((s) => s.phases![k]!))])) : undefined;
    return {
      backend: name,
      msPerStep: ms,
      cpuMsPerStep: median(own.map((s) => s.cpuMs)),
      samplesPerSecond: (batch * 1000) / ms,
      secondsPerEpoch: (epochSize * ms) / (batch * 1000),
      ratios,
      ...(phases ? { phases } : {}),
    };
  });
}

/** The table; `peers` (keras, torch) get a ratio column each. */
export function printRows(io: CommandIO, rows: readonly BenchRow[], epochSize: number, peers: readonly string[]): void {
  const ratioHead = peers.map((p) => `   x ${p}`.padStart(10)).join('');
  io.out(`backend        ms/step   samples/s   s/epoch (${epochSize.toLocaleString('en-US')} images)   CPU ms/step   cores${ratioHead}`);
  for (const r of rows) {
    const cols = [
      r.msPerStep.toFixed(1).padStart(9),
      r.samplesPerSecond.toFixed(0).padStart(11),
      r.secondsPerEpoch.toFixed(1).padStart(12),
      r.cpuMsPerStep.toFixed(1).padStart(25),
      (r.cpuMsPerStep / r.msPerStep).toFixed(2).padStart(7),
      ...peers.map((p) => (r.ratios[p] === undefined ? '' : `${r.ratios[p]!.toFixed(2)}x`).padStart(10)),
    ];
    io.out(`${r.backend.padEnd(12)} ${cols.join(' ')}`.trimEnd());
  }
  io.out('(wall-clock medians; CPU ms/step is the process CPU time of all its threads, cores = CPU / wall; ratios within a round)');
  for (const r of rows) {
    if (!r.phases) continue;
    io.out(`profile ${r.backend} (mean ms/step):`);
    for (const [phase, ms] of Object.entries(r.phases)) io.out(`  ${phase.padEnd(44)} ${ms.toFixed(1).padStart(8)}`);
  }
}

const CSV_HEAD = 'model,input,batch,backend,version,threads,round,ms_per_step,cpu_ms_per_step,cores_busy,samples_per_s,load1';

export function appendCsv(
  file: string,
  samples: readonly BenchSample[],
  run: { model: string; input: string; batch: number; versions: Record<string, string>; threads: number | string },
): void {
  const lines = samples.map((s) =>
    [
      run.model,
      run.input,
      run.batch,
      s.backend,
      (run.versions[s.backend] ?? '').replaceAll(',', ';'),
      run.threads,
      s.round,
      s.ms.toFixed(2),
      s.cpuMs.toFixed(2),
      (s.cpuMs / s.ms).toFixed(2),
      ((run.batch * 1000) / s.ms).toFixed(1),
      s.load.toFixed(2),
    ].join(','),
  );
  appendFileSync(file, `${existsSync(file) ? '' : `${CSV_HEAD}\n`}${lines.join('\n')}\n`);
}
