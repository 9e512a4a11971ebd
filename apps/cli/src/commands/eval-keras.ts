// `convzoo eval model.keras`: a model trained in Keras (or exported by convzoo) evaluated like a checkpoint. The
// archive has no convzoo training state, so it is presented as a snapshot of 0 convzoo epochs with the data set
// given by --dataset (default mnist) and the tutorial recipe's loss for its outputs.
import type { LoadedSnapshot } from '@convzoo/train';
import { loadKerasFile } from './export-source.js';

export { isKerasFile } from './export-source.js';

export async function kerasSnapshot(path: string): Promise<LoadedSnapshot> {
  const { spec, weights, origin } = await loadKerasFile(path);
  return {
    path,
    spec,
    weights,
    // Not a convzoo checkpoint: no digests to check, and nothing to warn about (the archive is read as a whole).
    verified: true,
    state: { format: 'convzoo.train-state/1', epoch: 0, history: { epoch: [], history: {} }, seed: 0, extra: { source: 'keras', origin } },
  };
}
