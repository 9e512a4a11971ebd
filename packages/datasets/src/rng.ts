// A small seeded PRNG so shuffles (and anything else that must repeat run to run) are reproducible without
// depending on an engine's random state.

import { createRng } from '@convzoo/backend';

/** A generator of floats in [0, 1). */
export type Rng = () => number;

/**
 * mulberry32 (Tommy Ettinger's 32-bit generator), the one in @convzoo/backend that seeds initial weights: a full 2^32
 * period, and a few integer operations, so a 60k-element shuffle costs nothing next to a training step.
 */
export const mulberry32: (seed: number) => Rng = createRng;

/** A uniform random integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** A random permutation of 0..n-1 (Fisher–Yates), drawn from `rng`. */
export function permutation(n: number, rng: Rng): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    const tmp = order[i] as number;
    order[i] = order[j] as number;
    order[j] = tmp;
  }
  return order;
}
