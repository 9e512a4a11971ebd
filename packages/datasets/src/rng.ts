// A small seeded PRNG so shuffles (and anything else that must repeat run to run) are reproducible without
// depending on an engine's random state.

import { createRng, type Rng } from '@convzoo/backend';

export type { Rng };

/**
 * mulberry32 (Tommy Ettinger's 32-bit generator), the one in @convzoo/backend that seeds initial weights: a full 2^32
 * period, and a few integer operations, so a 60k-element shuffle costs nothing next to a training step.
 */
export const mulberry32: (seed: number) => Rng = createRng;

// Shuffles use backend's permutation, the one train's fit shuffles with.
export { permutation, randomInt } from '@convzoo/backend';
