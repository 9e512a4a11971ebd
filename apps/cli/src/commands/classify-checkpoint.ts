// `convzoo classify --checkpoint DIR`: a fine-tuned checkpoint (`convzoo finetune`) classifies photos with its own
// class names and input recipe, through the same pipeline as the pretrained models.
import { existsSync } from 'node:fs';
import type { WeightMap } from '@convzoo/backend';
import { imageTransforms, type ImageTransforms } from '@convzoo/image';
import type { ModelSpec } from '@convzoo/models';
import { loadCheckpoint, type LoadedSnapshot } from '@convzoo/train';
import { CliError, EXIT } from '../command.js';
import { finetunedRecord } from '../finetune-checkpoint-data.js';

export interface CheckpointClassifier {
  /** How messages name the model. */
  name: string;
  classes: number;
  transforms: ImageTransforms;
  labels: readonly string[];
  spec: ModelSpec;
  weights: WeightMap;
}

/** Options that choose pretrained weights, which a checkpoint replaces. */
const PRETRAINED_OPTIONS = ['model', 'weights', 'weights-file', 'offline'] as const;

export function checkpointClassifier(dir: string, values: Readonly<Record<string, unknown>>): CheckpointClassifier {
  const clash = PRETRAINED_OPTIONS.find((o) => values[o] !== undefined);
  if (clash !== undefined) throw new CliError(`--${clash} chooses pretrained weights; --checkpoint ${dir} brings its own model: give one of the two`);
  if (!existsSync(dir)) throw new CliError(`--checkpoint ${dir}: no such checkpoint directory`);
  let snap: LoadedSnapshot;
  try {
    snap = loadCheckpoint(dir);
  } catch (e) {
    throw new CliError(`--checkpoint ${dir}: ${(e as Error).message}`, EXIT.failure);
  }
  const record = finetunedRecord(snap);
  if (!record) {
    throw new CliError(
      `--checkpoint ${dir}: ${snap.path} records no class names or input recipe (only \`convzoo finetune\` checkpoints classify photos)`,
      EXIT.failure,
    );
  }
  return {
    name: `${snap.spec.name} fine-tuned (${snap.path})`,
    classes: record.classNames.length,
    transforms: imageTransforms(record.recipe),
    labels: record.classNames,
    spec: snap.spec,
    weights: snap.weights,
  };
}
