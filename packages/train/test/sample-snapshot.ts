// A small snapshot (2x2 dense kernel, Adam's first moment) for the checkpoint tests.
import type { Snapshot, TrainingState } from '../src/index.js';
import { FakeModel } from './fake-model.js';

export function sampleSnapshot(state: Partial<TrainingState> = {}): Snapshot {
  const model = new FakeModel({ features: 2, classes: 2 });
  return {
    spec: model.spec,
    weights: { 'dense/kernel': { shape: [2, 2], data: Float32Array.from([0.25, -1, 2, 3]) } },
    optimizer: { step: 7, slots: { 'dense/kernel/m': { shape: [2, 2], data: Float32Array.from([0.5, 0, 0, 1]) } } },
    state: { format: 'convzoo.train-state/1', epoch: 1, history: { epoch: [0], history: { loss: [0.5] } }, seed: 1, ...state },
  };
}
