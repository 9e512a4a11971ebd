// He et al. 2015, section 4.2 (CIFAR-10), as `convzoo experiment degradation` runs it: the schedule, the warm-up of
// the 56-layer nets and the one-line description printed in the figure's caption and the CSV.
import type { TrainingConfig } from '@convzoo/backend';

/** The paper's constants: batch 128, SGD momentum 0.9, weight decay 1e-4, 0.1 divided by 10 at 50% and 75%. */
export const HE_RECIPE = {
  batchSize: 128,
  momentum: 0.9,
  weightDecay: 1e-4,
  learningRate: 0.1,
  /** The fractions of the updates after which the rate is divided by 10 (the paper: 32k and 48k of 64k). */
  dropsAt: [0.5, 0.75],
  /** The 56-layer nets warm up at 0.01 (the paper does so for ResNet-110, "about 400 iterations", until training error < 80%). */
  warmupRate: 0.01,
  warmupIterations: 400,
  /** ...but never longer than this share of a short run, so the quick variants still train mostly at 0.1. */
  warmupMaxShare: 0.1,
} as const;

/** Depths that warm up: the deep nets, whose training at 0.1 from the first update diverged or stalled (docs/degradation.md). */
export const WARMUP_MIN_DEPTH = 56;

export function warmupIterations(totalIterations: number, depth: number): number {
  if (depth < WARMUP_MIN_DEPTH) return 0;
  return Math.min(HE_RECIPE.warmupIterations, Math.floor(totalIterations * HE_RECIPE.warmupMaxShare));
}

/**
 * The piecewise-constant schedule of a net of `depth` layers trained for `totalIterations` updates: 0.01 during the
 * warm-up (56-layer nets), then 0.1, 0.01 after 50% and 0.001 after 75% of the updates. Boundaries that collide in a
 * very short run are dropped, keeping the later rate.
 */
export function heSchedule(totalIterations: number, depth: number): { boundaries: number[]; values: number[] } {
  const warmup = warmupIterations(totalIterations, depth);
  const lr = HE_RECIPE.learningRate;
  const segments: Array<[start: number, rate: number]> = [
    ...(warmup > 0 ? ([[0, HE_RECIPE.warmupRate]] as Array<[number, number]>) : []),
    [warmup, lr],
    ...HE_RECIPE.dropsAt.map((f, i) => [Math.round(totalIterations * f), lr / 10 ** (i + 1)] as [number, number]),
  ];
  // A segment that starts where (or before) the previous one starts replaces it: its rate is the one that applies.
  const kept: Array<[number, number]> = [];
  for (const s of segments) {
    while (kept.length > 0 && s[0] <= kept.at(-1)![0]) kept.pop();
    kept.push(s);
  }
  return { boundaries: kept.slice(1).map((s) => s[0]), values: kept.map((s) => s[1]) };
}

export function heRecipe(totalIterations: number, depth: number): TrainingConfig {
  const { boundaries, values } = heSchedule(totalIterations, depth);
  return {
    loss: 'categoricalCrossentropy',
    optimizer: {
      kind: 'sgd',
      momentum: HE_RECIPE.momentum,
      weightDecay: HE_RECIPE.weightDecay,
      learningRate: values[0]!,
      ...(boundaries.length ? { learningRateSchedule: { boundaries, values } } : {}),
    },
  };
}

/** One line for the figure's caption and the CSV: what was run, so a figure is never separated from its recipe. */
export function describeRecipe(o: { batchSize: number; epochs: number; bnMomentum: number; normalization: string; augmentation: string }): string {
  const drops = HE_RECIPE.dropsAt.map((f) => `${f * 100}%`).join(' and ');
  return (
    `SGD momentum ${HE_RECIPE.momentum}, weight decay ${HE_RECIPE.weightDecay}, batch ${o.batchSize}, ${o.epochs} epochs; ` +
    `lr ${HE_RECIPE.learningRate} /10 at ${drops} of the updates; ${WARMUP_MIN_DEPTH}-layer nets warm up at ${HE_RECIPE.warmupRate} ` +
    `for min(${HE_RECIPE.warmupIterations}, ${HE_RECIPE.warmupMaxShare * 100}%) updates; BatchNorm momentum ${o.bnMomentum}; ` +
    `inputs ${o.normalization}; augmentation ${o.augmentation}`
  );
}
