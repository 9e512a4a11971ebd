// Runs seeded bad-input cases against one reader and classifies each outcome:
//   named    – an error of one of the reader's error classes whose message names the file (or the label given)
//   accepted – the mutated file still parsed (e.g. a flipped pixel): allowed, counted, and what the reader returned
//              must be whole: every number finite, every tensor's data as long as its shape says (acceptedProblem)
//   crash    – any other error (TypeError, RangeError, ...) — a defect
//   hang     – the case ran past the per-case limit — a defect
//   alloc    – array buffers grew by far more than the file could justify — a defect (huge declared sizes must be
//              refused before allocating)
import { rng, type Rng } from './mutate.js';

export interface SweepCase {
  /** What was done to the file, to reproduce a failure. */
  what: string;
  /** The name errors must mention (path or label). */
  source: string;
  /** Size of the mutated input, the yardstick for the allocation check. */
  bytes: number;
  run(): unknown;
}

export interface ReaderSweep {
  reader: string;
  seed: number;
  cases: number;
  /** Error classes (by `name`) this reader is documented to throw. */
  errors: string[];
  make(r: Rng, index: number): SweepCase | Promise<SweepCase>;
  /** Set when a case must not be accepted (e.g. every byte of a digest-checked file). */
  mustReject?: (c: SweepCase) => boolean;
  /** Set for cases whose accepted output may hold NaN/Inf (a reader documented to return the file's values as they are). */
  mayHoldNonFinite?: (c: SweepCase) => boolean;
}

export interface SweepFailure {
  reader: string;
  index: number;
  what: string;
  kind: 'crash' | 'hang' | 'alloc' | 'unnamed' | 'accepted' | 'bad output';
  detail: string;
}

export interface SweepCounts {
  reader: string;
  cases: number;
  named: number;
  accepted: number;
  crashes: number;
  hangs: number;
  allocs: number;
  unnamed: number;
  ms: number;
  /** The slowest case (ms): how far the sweep runs from HANG_MS. */
  slowestMs: number;
}

// The slowest case took 124-195 ms in 3 sweeps on 2 busy cores (load 20+; the table's 'slowest ms'): 10x below.
export const HANG_MS = 2000;
/** Growth of live ArrayBuffers allowed per case: the mutated input a few times over, plus slack. */
const allocBound = (bytes: number) => 16 * bytes + 64 * 2 ** 20;

function timeout(ms: number): { promise: Promise<'hang'>; cancel: () => void } {
  let t: NodeJS.Timeout | undefined;
  const promise = new Promise<'hang'>((resolve) => (t = setTimeout(() => resolve('hang'), ms)));
  return { promise, cancel: () => clearTimeout(t) };
}

export async function sweep(s: ReaderSweep): Promise<{ counts: SweepCounts; failures: SweepFailure[] }> {
  const counts: SweepCounts = { reader: s.reader, cases: 0, named: 0, accepted: 0, crashes: 0, hangs: 0, allocs: 0, unnamed: 0, ms: 0, slowestMs: 0 };
  const failures: SweepFailure[] = [];
  const start = performance.now();
  for (let i = 0; i < s.cases; i++) {
    const r = rng(s.seed * 1_000_003 + i);
    const c = await s.make(r, i);
    counts.cases++;
    const fail = (kind: SweepFailure['kind'], detail: string) => failures.push({ reader: s.reader, index: i, what: c.what, kind, detail });
    const before = process.memoryUsage().arrayBuffers;
    const t0 = performance.now();
    let outcome: { ok: true; value: unknown } | { ok: false; error: unknown } | 'hang';
    const limit = timeout(HANG_MS);
    try {
      const result = c.run();
      const settled = Promise.resolve(result).then(
        (value: unknown) => ({ ok: true, value }) as const,
        (error: unknown) => ({ ok: false, error }) as const,
      );
      outcome = await Promise.race([settled, limit.promise]);
    } catch (error) {
      outcome = { ok: false, error };
    } finally {
      limit.cancel();
    }
    const ms = performance.now() - t0;
    counts.slowestMs = Math.max(counts.slowestMs, ms);
    const grown = process.memoryUsage().arrayBuffers - before;
    if (outcome === 'hang' || ms > HANG_MS) {
      counts.hangs++;
      fail('hang', `ran ${ms.toFixed(0)} ms (limit ${HANG_MS})`);
      continue;
    }
    if (grown > allocBound(c.bytes)) {
      counts.allocs++;
      fail('alloc', `array buffers grew by ${(grown / 2 ** 20).toFixed(0)} MiB for a ${c.bytes}-byte input`);
      continue;
    }
    if (outcome.ok) {
      counts.accepted++;
      if (s.mustReject?.(c)) fail('accepted', 'a damaged file was accepted');
      const problem = acceptedProblem(outcome.value, s.mayHoldNonFinite?.(c) ?? false);
      if (problem) fail('bad output', `accepted, but the result ${problem}`);
      continue;
    }
    const e = outcome.error as Error;
    if (!(e instanceof Error) || !s.errors.includes(e.name)) {
      counts.crashes++;
      fail('crash', `${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack?.split('\n').slice(1, 4).join('\n')}` : String(e)}`);
    } else if (!e.message.includes(c.source)) {
      counts.unnamed++;
      fail('unnamed', `${e.name}: ${e.message} (does not name ${c.source})`);
    } else counts.named++;
  }
  counts.ms = performance.now() - start;
  return { counts, failures };
}

type Numbers = ArrayLike<number> & { [Symbol.iterator](): Iterator<number> };
const isNumbers = (v: unknown): v is Numbers =>
  ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array);

/**
 * What is wrong with an accepted result, or undefined: walks objects, arrays and Maps for numbers that are not finite
 * and for tensors ({ shape, data }) or images ({ width, height, data }) whose data is not the size they declare.
 */
export function acceptedProblem(value: unknown, allowNonFinite: boolean, path = '', seen = new Set<unknown>()): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) || allowNonFinite ? undefined : `holds ${value} at ${path || '(top)'}`;
  if (typeof value !== 'object' || value === null || seen.has(value)) return undefined;
  seen.add(value);
  if (isNumbers(value)) {
    if (allowNonFinite) return undefined;
    for (let i = 0; i < value.length; i++) if (!Number.isFinite(value[i]!)) return `holds ${value[i]} at ${path}[${i}]`;
    return undefined;
  }
  const o = value as Record<string, unknown>;
  if (isNumbers(o.data)) {
    const n = o.data.length;
    if (Array.isArray(o.shape) && n !== o.shape.reduce((a: number, b: number) => a * b, 1)) return `has shape [${o.shape}] but ${n} values at ${path}`;
    if (typeof o.width === 'number' && typeof o.height === 'number' && n !== o.width * o.height * ((o.channels as number | undefined) ?? 3))
      return `is a ${o.width}x${o.height} image of ${n} values at ${path}`;
  }
  const children: [string, unknown][] = value instanceof Map ? [...value].map(([k, v]) => [String(k), v]) : Object.entries(o);
  for (const [k, v] of children) {
    const p = acceptedProblem(v, allowNonFinite, `${path}.${k}`, seen);
    if (p) return p;
  }
  return undefined;
}

export function countsTable(rows: SweepCounts[]): string {
  const head = ['reader', 'cases', 'named errors', 'accepted', 'crashes', 'hangs', 'unbounded alloc', 'unnamed', 'ms', 'slowest ms'];
  const body = rows.map((r) =>
    [r.reader, r.cases, r.named, r.accepted, r.crashes, r.hangs, r.allocs, r.unnamed, Math.round(r.ms), Math.round(r.slowestMs)].map(String),
  );
  const total = [
    'total',
    ...[1, 2, 3, 4, 5, 6, 7, 8].map((k) => String(body.reduce((a, b) => a + Number(b[k]), 0))),
    String(Math.max(...body.map((b) => Number(b[9])))),
  ];
  const all = [head, ...body, total];
  const w = head.map((_, k) => Math.max(...all.map((row) => row[k]!.length)));
  return all.map((row) => row.map((c, k) => (k === 0 ? c.padEnd(w[k]!) : c.padStart(w[k]!))).join('  ')).join('\n');
}
