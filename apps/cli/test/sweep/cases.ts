// What the reader sweeps share: a case over bytes, and JSON with infinities in it.
import type { SweepCase } from './runner.js';

export const bytesCase = (what: string, source: string, b: Uint8Array, run: (b: Uint8Array) => unknown): SweepCase => ({
  what,
  source,
  bytes: b.length,
  run: () => run(b),
});

/** JSON with ±Infinity written as 1e999 (what a hand-edited or foreign file can hold; JSON.parse reads Infinity). */
export function jsonWithInfinity(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x === Infinity ? '__INF__' : x === -Infinity ? '__NINF__' : x))
    .replace(/"__INF__"/g, '1e999')
    .replace(/"__NINF__"/g, '-1e999');
}
