// The tutorial's recipe, the defaults of `convzoo train`: data set, epochs, batch size, optimizer, loss, and
// GoogLeNet's auxiliary-head loss weights.
import type { TrainingConfig } from '@convzoo/backend';
import type { ModelSpec } from '@convzoo/models';

/** The tutorial's recipe (its section 1): EPOCHS 5, BATCH_SIZE 128, Adam(), VALIDATION_SPLIT 0.95. */
export const TUTORIAL_DEFAULTS = {
  model: 'lenet',
  dataset: 'mnist',
  epochs: 5,
  batchSize: 128,
  validationSplit: 0.95,
  logdir: './logs',
  seed: 0,
} as const;

export const TUTORIAL_TRAINING: TrainingConfig = { optimizer: { kind: 'adam' }, loss: 'categoricalCrossentropy' };

/**
 * The recipe for a spec: the tutorial's, and for several outputs (GoogLeNet's auxiliary heads) the tutorial's
 * `loss_weights=[1, 0.3, 0.3]`: the main output counts fully, each auxiliary head 0.3.
 */
export function recipeFor(spec: ModelSpec): TrainingConfig {
  const n = spec.outputs.length;
  return n > 1 ? { ...TUTORIAL_TRAINING, lossWeights: [1, ...Array<number>(n - 1).fill(0.3)] } : TUTORIAL_TRAINING;
}
