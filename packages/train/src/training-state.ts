// The resume state of a snapshot (state.json), in a file of its own: checkpoint.ts writes and reads it and
// state-check.ts validates it, and neither imports the other.
import type { TrainingConfig } from '@convzoo/backend';
import type { History } from './types.js';

/** What a snapshot remembers besides the tensors, enough to resume: epochs done, history, seed, recipe. */
export interface TrainingState {
  format: 'convzoo.train-state/1';
  /** Epochs completed; a resumed fit starts at this epoch index. */
  epoch: number;
  history: History;
  /** Seed of the shuffles (each epoch's order derives from it), so a resumed run sees the same batches. */
  seed: number;
  training?: TrainingConfig;
  /** Free-form facts from the caller (data set, batch size, backend, ...). */
  extra?: Record<string, unknown>;
}
