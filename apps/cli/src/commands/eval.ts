// `convzoo eval <checkpoint-dir>`: loads a checkpoint (spec + weights) and prints test loss and accuracy, on any
// backend — inference-only ones included (the loss is then computed from the predictions in JS).
import { evaluate, loadCheckpoint, ProgressBar, type LoadedSnapshot } from '@convzoo/train';
import type { LossName } from '@convzoo/backend';
import { existsSync } from 'node:fs';
import { checkBackendName } from '../backend-names.js';
import { CliError, defineCommand, EXIT, intOption, optionTable } from '../command.js';
import { engineAbortError, isEngineAbort } from '../engine-abort.js';
import { openModel } from '../open-model.js';
import { loadData, mainAccuracy, parseLimit, resizeData, targetsPerOutput } from '../train-data.js';
import { recipeFor } from '../tutorial-recipe.js';
import { isKerasFile, kerasSnapshot } from './eval-keras.js';
import { finetunedRecord, folderTestData } from '../finetune-checkpoint-data.js';
import { isOnnxFile, onnxSnapshot } from '../onnx-source.js';
import { withSoftmaxOutput } from '@convzoo/backend-onnx';

const USAGE = `Usage: convzoo eval <checkpoint-dir | model.keras | model.h5> [options]

Evaluates a checkpoint written by \`convzoo train\` (its latest snapshot, or a snapshot directory) on a test set.
A Keras 3 .keras archive or a full-model Keras .h5 file (e.g. trained in Keras on a cluster) is evaluated the same
way (data set: --dataset, default mnist).

Options:
  --dataset NAME      mnist, fashion-mnist or cifar10 (default: the one the checkpoint was trained on)
  --data-dir DIR      directory of the data set's files (default: the one recorded in the checkpoint); for a
                      checkpoint of \`convzoo finetune\`: an image folder of its classes (DIR/<class>/<image>), required
  --backend NAME      any backend, inference-only ones included, or auto (default)
  --batch-size N      samples per step (default 32, as Keras' evaluate; fewer if the backend's memory cannot hold 32)
  --best              use the best snapshot (by the monitored metric) instead of the latest
  --limit N           evaluate only the first N test samples`;

export const evalCommand = defineCommand({
  name: 'eval',
  summary: 'evaluate a training checkpoint on a test set (loss and accuracy), on any backend',
  usage: USAGE,
  options: optionTable(['dataset', 'data-dir', 'backend', 'batch-size', 'limit'], ['best']),
  async run({ positionals, values, io }) {
    if (positionals.length !== 1) throw new CliError(`expected one checkpoint directory, got ${positionals.length}\n\n${USAGE}`);
    const requestedBatch = values['batch-size'] === undefined ? 'auto' : intOption(values['batch-size'], 'batch-size', 32);
    const target = positionals[0]!;
    // A path that is not there is the command line's mistake (2); one that is there but unreadable is bad data (1).
    if (!existsSync(target)) throw new CliError(`no such checkpoint directory or Keras file: ${target}`);
    await checkBackendName(values.backend ?? 'auto', 'backend');
    let snap: LoadedSnapshot;
    try {
      snap = isKerasFile(target)
        ? await kerasSnapshot(target)
        : isOnnxFile(target)
          ? await onnxSnapshot(target)
          : loadCheckpoint(target, values.best ? 'best' : 'latest');
    } catch (e) {
      throw new CliError((e as Error).message, EXIT.failure);
    }
    if (!snap.verified) io.out(`Note: ${snap.path} has no digests.json (written before checkpoints recorded sha256 digests): its files are loaded unverified`);
    const trainedOn = snap.state.extra?.dataset;
    const dataset = values.dataset ?? (typeof trainedOn === 'string' ? trainedOn : 'mnist');
    // The data directory recorded at training time is the default only for the data set trained on.
    const recordedDir = values.dataset === undefined && typeof snap.state.extra?.dataDir === 'string' ? snap.state.extra.dataDir : undefined;
    const dataDir = values['data-dir'] ?? recordedDir;
    const limit = parseLimit(values.limit);
    // A fine-tuned checkpoint is scored on an image folder of its classes, through its own input recipe.
    const finetuned = finetunedRecord(snap);
    if (finetuned && values.dataset !== undefined)
      throw new CliError(`--dataset applies to data sets; ${snap.path} was fine-tuned on an image folder: give --data-dir TESTDIR`);
    const test = finetuned
      ? await folderTestData(finetuned, values['data-dir'], limit?.test, io.err)
      : resizeData(
          await loadData(dataset, dataDir, { train: 1, ...(limit?.test ? { test: limit.test } : {}) }),
          (snap.spec.layers[0] as { shape: [number, number, number] }).shape,
        ).test;
    // Default batch: 32 (Keras' evaluate), or the largest the backend's memory holds when 32 does not fit.
    // An imported ONNX file (or its `convzoo import` checkpoint) may output logits: scored through a softmax, as it trains.
    const scored = snap.state.extra?.source === 'onnx' ? withSoftmaxOutput(snap.spec) : snap.spec;
    const opened = await openModel(scored, { backend: values.backend ?? 'auto', weights: snap.weights, batchSize: requestedBatch, autoMax: 32 });
    const { model, choice } = opened;
    const batchSize = opened.batchSize ?? 32;
    try {
      const trained =
        snap.state.extra?.source === 'keras' ? String(snap.state.extra.origin) : `${snap.state.epoch} epoch${snap.state.epoch === 1 ? '' : 's'} trained`;
      io.out(`Evaluating ${snap.path} (${trained}) on ${finetuned ? values['data-dir'] : dataset} with ${choice}`);
      const recipe = snap.state.training ?? recipeFor(snap.spec);
      const loss = recipe.loss as LossName | LossName[];
      const redraw = io.isTTY ? (c: string) => process.stdout.write(c) : undefined;
      const progress = new ProgressBar({ line: (t) => io.out(t), ...(redraw ? { redraw } : {}) });
      const score = await evaluate(model, targetsPerOutput(test, snap.spec.outputs.length), {
        batchSize,
        callbacks: [progress],
        loss,
        ...(recipe.lossWeights ? { lossWeights: recipe.lossWeights } : {}),
      }).catch((e: unknown) => {
        throw isEngineAbort(e) ? engineAbortError(e, { backend: model.backend, batchSize }) : e;
      });
      io.out(`\nTest Score:  ${score.loss}`);
      io.out(`\nTest Accuracy:  ${mainAccuracy(score, snap.spec)}`);
      return 0;
    } finally {
      model.dispose();
    }
  },
});
