// The bad-input sweep (issue 12): every file reader gets hundreds of seeded mutations of a valid file (truncations,
// bit flips, huge declared sizes, wrong dtypes, NaN/Inf values, deep and huge JSON) and must answer each with a named
// error naming the file — never a crash, a hang (HANG_MS per case) or an allocation the file cannot justify.
// A failure prints reader, case index and mutation; rerunning reproduces it (the seeds are fixed). Each reader's
// split into named errors and accepted files is held to sweep/baseline.json, so a reader that starts accepting (or
// refusing) files it did not is a visible diff: after a deliberate change, `CONVZOO_SWEEP_BASELINE=write` rewrites it.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cifarSweep, idxSweep, imageSweep } from './sweep/readers-data.js';
import { checkpointSweep, safetensorsSweep, specJsonSweep, tfjsSweep } from './sweep/readers-model.js';
import { countsTable, sweep, type ReaderSweep, type SweepCounts, type SweepFailure } from './sweep/runner.js';

const BASELINE = new URL('./sweep/baseline.json', import.meta.url);

describe('bad-input sweep over every file reader', () => {
  it('answers every mutated file with a named error: 0 crashes, 0 hangs, 0 unbounded allocations', async () => {
    const sweeps: ReaderSweep[] = [
      idxSweep(300),
      cifarSweep(200),
      await imageSweep(150),
      safetensorsSweep(300),
      tfjsSweep(250),
      specJsonSweep(300),
      checkpointSweep(200, true),
      checkpointSweep(200, false),
    ];
    const rows: SweepCounts[] = [];
    const failures: SweepFailure[] = [];
    for (const s of sweeps) {
      const result = await sweep(s);
      rows.push(result.counts);
      failures.push(...result.failures);
    }
    console.log(`bad-input sweep (seeded; accepted = the mutation left a valid file):\n${countsTable(rows)}`);
    const shown = failures.slice(0, 15).map((f) => `[${f.reader} #${f.index}] ${f.kind}: ${f.what}\n    ${f.detail}`);
    expect(shown.join('\n'), `${failures.length} failures`).toBe('');
    for (const row of rows) {
      expect(row.cases).toBeGreaterThanOrEqual(150);
      // Most mutations must actually break the file: a sweep that only made valid files would prove nothing.
      expect(row.named, row.reader).toBeGreaterThan(row.cases / 2);
    }
    const split = Object.fromEntries(rows.map((r) => [r.reader, { cases: r.cases, named: r.named, accepted: r.accepted }]));
    if (process.env.CONVZOO_SWEEP_BASELINE === 'write') writeFileSync(BASELINE, `${JSON.stringify(split, null, 2)}\n`);
    expect(split, `the per-reader split differs from ${BASELINE.pathname}`).toEqual(JSON.parse(readFileSync(BASELINE, 'utf8')));
  }, 120_000);
});
