// `convzoo train [model]`: the tutorial's LeNet training as a command. Defaults reproduce it exactly (MNIST, 5 epochs,
// batch 128, Adam, validation split 0.95, categorical cross-entropy, TensorBoard logs in ./logs/<run>), then evaluate on
// the test set and print "Test Score" / "Test Accuracy" as the tutorial does.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { summary } from '@convzoo/models';
import {
  CheckpointError,
  CsvLogger,
  evaluate,
  fit,
  loadCheckpoint,
  ModelCheckpoint,
  NonFiniteLossError,
  ProgressBar,
  TensorBoard,
  TrainingCurve,
  type Callback,
  type LoadedSnapshot,
} from '@convzoo/train';
import { engineAbortError, isEngineAbort } from '../engine-abort.js';
import { checkBackendName } from '../backend-names.js';
import { CliError, defineCommand, EXIT, intOption, numberOption, optionTable, type CommandIO } from '../command.js';
import { openModel } from '../open-model.js';
import { loadData, mainAccuracy, parseLimit, resizeData, targetsPerOutput } from '../train-data.js';
import { recipeFor, TUTORIAL_DEFAULTS } from '../tutorial-recipe.js';
import { parseInputShape, refuseArchitectureOptions } from '../model-target.js';
import { describeModelSource, modelSourceKind, modelStem } from '../model-source.js';
import { modelToTrain } from '../train-model.js';
import { claimOut, runLogDir } from '../train-run.js';

const USAGE = `Usage: convzoo train [model | spec.json | model.onnx] [options]

Trains a registered architecture (default lenet) the way the tutorial trains LeNet, then evaluates it on the
test set. With no options this IS the tutorial: MNIST, 5 epochs, batch 128, Adam, validation split 0.95.
A spec file trains from initial weights, an ONNX file (PyTorch's, Keras') from its own weights (imported, as
\`convzoo import\` does; logits train through an appended softmax): their input shape and classes are the file's,
and the data set must fit them (no resizing).

Options:
  --model NAME|FILE         architecture (same as the positional argument; see \`convzoo list\`), spec file or .onnx
  --dataset NAME            mnist (default), fashion-mnist or cifar10
  --data-dir DIR            directory of the data set's files (default: the bundled MNIST / Debian's Fashion-MNIST)
  --epochs N                total epochs (default 5)
  --batch-size N|auto       samples per step (default 128); checked against the backend's memory before the first
                            step; auto: 128, or the largest batch that fits
  --validation-split F      last fraction of the training set used for validation only (default 0.95, as the tutorial)
  --backend NAME            a trainable backend, or auto (default: the fastest available, printed)
  --seed N                  seed of the initial weights and the shuffles (default 0)
  --logdir DIR              TensorBoard logs, one sub-folder per run: DIR/<YYYYMMDD-HHMMSS>/train and /validation
                            (default ./logs; \`tensorboard --logdir DIR\` shows the runs side by side)
  --out DIR                 checkpoints, CSV log and training curve (default ./checkpoints/<model>-<dataset>); an
                            existing checkpoint there is refused unless --resume or --overwrite
  --resume                  continue from the latest checkpoint in --out (its data set, batch size, split, seed,
                            limit and TensorBoard run are the defaults, so the run continues as if never interrupted)
  --overwrite               train from scratch in place of the checkpoint in --out (its snapshots, CSV log and
                            curve are removed first)
  --limit N                 use only the first N training and test samples (quick checks)
  --input HxWxC             the model's input size (default the data set's); images are resized to it (bilinear),
                            grey replicated to RGB: e.g. googlenet at its native 224x224x3 on Fashion-MNIST`;

function resumeFrom(out: string, model: string | undefined, dataset: string | undefined, io: CommandIO): LoadedSnapshot {
  let snap: LoadedSnapshot;
  try {
    snap = loadCheckpoint(out);
  } catch (e) {
    // Nothing there is the command line's fault (2); a checkpoint that is there but damaged is bad data (1).
    throw new CliError(`--resume: ${(e as Error).message}`, existsSync(out) ? EXIT.failure : EXIT.usage);
  }
  if (!snap.verified) io.out(`Note: ${snap.path} has no digests.json (written before checkpoints recorded sha256 digests): its files are loaded unverified`);
  const extra = snap.state.extra ?? {};
  if (model !== undefined && extra.model !== undefined && extra.model !== model)
    throw new CliError(`--resume: ${snap.path} trained '${extra.model}', not '${model}'`);
  if (dataset !== undefined && extra.dataset !== undefined && extra.dataset !== dataset)
    throw new CliError(`--resume: ${snap.path} trained on '${extra.dataset}', not '${dataset}'`);
  io.out(`Resuming from ${snap.path} (${snap.state.epoch} epoch${snap.state.epoch === 1 ? '' : 's'} done)`);
  return snap;
}

export const trainCommand = defineCommand({
  name: 'train',
  summary: "train a model (default: the tutorial's LeNet on MNIST) with progress, TensorBoard logs and checkpoints",
  usage: USAGE,
  options: optionTable(
    ['model', 'dataset', 'data-dir', 'epochs', 'batch-size', 'validation-split', 'backend', 'seed', 'logdir', 'out', 'limit', 'input'],
    ['resume', 'overwrite'],
  ),
  async run({ positionals, values, io }) {
    if (positionals.length > 1) throw new CliError(`expected at most one model name, got ${positionals.join(' ')}`);
    if (positionals[0] !== undefined && values.model !== undefined && positionals[0] !== values.model) {
      throw new CliError(`model given twice: '${positionals[0]}' and --model '${values.model}'`);
    }
    const given = positionals[0] ?? values.model;
    const out =
      values.out ?? join('checkpoints', `${given === undefined ? TUTORIAL_DEFAULTS.model : modelStem(given)}-${values.dataset ?? TUTORIAL_DEFAULTS.dataset}`);
    const kind = given === undefined || values.resume ? 'registered' : modelSourceKind(given);
    if (kind === 'checkpoint')
      throw new CliError(`'${given}' is a checkpoint: continue it with --out ${given} --resume (train starts from a model name, spec file or .onnx file)`);
    // Refused before the data set is read: a file brings its own input shape.
    if (kind !== 'registered') refuseArchitectureOptions(values, describeModelSource(given!));
    // Mistakes on the command line are refused before the data set is read: the backend's name, an output in use.
    await checkBackendName(values.backend ?? 'auto', 'backend');
    claimOut(out, { resume: Boolean(values.resume), overwrite: Boolean(values.overwrite), given: values.out !== undefined });
    // A resumed run takes its recipe (data set, batch size, split, seed) from the checkpoint unless told otherwise,
    // so that it sees the same samples in the same order as the interrupted run would have.
    const snap = values.resume ? resumeFrom(out, given, values.dataset, io) : undefined;
    const recorded = snap?.state.extra ?? {};
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const num = (v: unknown) => (typeof v === 'number' ? String(v) : undefined);
    const modelName = given ?? str(recorded.model) ?? TUTORIAL_DEFAULTS.model;
    const dataset = values.dataset ?? str(recorded.dataset) ?? TUTORIAL_DEFAULTS.dataset;
    const dataDir = values['data-dir'] ?? (values.dataset === undefined ? str(recorded.dataDir) : undefined);
    const epochs = intOption(values.epochs, 'epochs', TUTORIAL_DEFAULTS.epochs);
    const batchArg = values['batch-size'] ?? num(recorded.batchSize);
    const requestedBatch = batchArg === 'auto' ? 'auto' : intOption(batchArg, 'batch-size', TUTORIAL_DEFAULTS.batchSize);
    const validationSplit = numberOption(
      values['validation-split'] ?? num(recorded.validationSplit),
      'validation-split',
      TUTORIAL_DEFAULTS.validationSplit,
      0,
      0.999999,
    );
    const seed = intOption(values.seed ?? (snap ? String(snap.state.seed) : undefined), 'seed', TUTORIAL_DEFAULTS.seed, 0);
    const logdir = values.logdir ?? TUTORIAL_DEFAULTS.logdir;
    const logs = runLogDir(logdir, str(recorded.run));
    const limit = parseLimit(values.limit ?? num(recorded.limit));

    const input = values.input ?? str(recorded.input);
    const inputShape = input !== undefined ? parseInputShape(input) : undefined;
    const loaded = await loadData(dataset, dataDir, limit);
    const source = snap ? undefined : await modelToTrain(modelName, values.input, inputShape ?? loaded.imageShape, loaded, dataset);
    const spec = snap?.spec ?? source!.spec;
    const data = resizeData(loaded, (spec.layers[0] as { shape: [number, number, number] }).shape);
    const training = snap?.state.training ?? recipeFor(spec);
    const outputs = spec.outputs.length;
    // The memory check runs before anything is allocated: a batch that cannot fit is refused with the one that does.
    const opened = await openModel(spec, {
      backend: values.backend ?? 'auto',
      training,
      seed,
      batchSize: requestedBatch,
      autoMax: TUTORIAL_DEFAULTS.batchSize,
      ...(snap ? { weights: snap.weights } : source?.weights ? { weights: source.weights } : {}),
    });
    const { model, choice } = opened;
    const batchSize = opened.batchSize ?? TUTORIAL_DEFAULTS.batchSize;
    if (requestedBatch === 'auto')
      io.out(
        `--batch-size auto: ${batchSize} (${batchSize === TUTORIAL_DEFAULTS.batchSize ? "the recipe's batch fits" : 'the largest that fits'} ${model.backend}'s memory)`,
      );
    try {
      if (snap?.optimizer) await model.setOptimizerState(snap.optimizer);
      io.out(`Training on ${choice}`);
      io.out(summary(spec));
      io.out('');

      const line = (t: string) => io.out(t);
      const redraw = io.isTTY ? (c: string) => process.stdout.write(c) : undefined;
      const progress = new ProgressBar({ line, ...(redraw ? { redraw } : {}) });
      const checkpoint = new ModelCheckpoint({
        dir: out,
        seed,
        training,
        extra: {
          model: modelName,
          dataset,
          ...(dataDir !== undefined ? { dataDir: resolve(dataDir) } : {}),
          batchSize,
          validationSplit,
          ...(input !== undefined ? { input } : {}),
          ...(limit?.train !== undefined ? { limit: limit.train } : {}),
          backend: model.backend,
          run: logs.run,
        },
      });
      // The best value so far travels in the checkpoint, so a resumed run marks `best` only on a real improvement.
      if (typeof recorded.best === 'number') checkpoint.setBest(recorded.best);
      const callbacks: Callback[] = [
        checkpoint,
        new TensorBoard(logs.dir),
        new CsvLogger(join(out, 'training-log.csv'), { append: Boolean(snap) }),
        new TrainingCurve(join(out, 'training-curve.svg'), `${modelName} on ${dataset}`),
        progress,
      ];
      const initialEpoch = snap?.state.epoch ?? 0;
      if (initialEpoch >= epochs) io.out(`Already trained ${initialEpoch} epoch(s); --epochs ${epochs} asks for no more.`);
      try {
        await fit(model, targetsPerOutput(data.train, outputs), {
          epochs,
          batchSize,
          ...(validationSplit > 0 ? { validationSplit } : {}),
          seed,
          initialEpoch,
          ...(snap ? { initialHistory: snap.state.history } : {}),
          callbacks,
        });
      } catch (e) {
        if (e instanceof NonFiniteLossError) {
          const kept = checkpoint.lastSaved ?? snap?.path ?? 'none (no epoch finished)';
          io.err(`convzoo train: ${e.message}. Last good checkpoint: ${kept}`);
          return 1;
        }
        if (isEngineAbort(e)) throw engineAbortError(e, { backend: model.backend, batchSize, ...(checkpoint.lastSaved || snap ? { checkpoint: out } : {}) });
        throw e;
      }
      io.out('');
      const score = await evaluate(model, targetsPerOutput(data.test, outputs), { callbacks: [progress] });
      io.out(`\nTest Score:  ${score.loss}`);
      io.out(`\nTest Accuracy:  ${mainAccuracy(score, spec)}`);
      io.out('');
      io.out(`Checkpoints: ${out}   TensorBoard: tensorboard --logdir ${logdir} (this run: ${logs.run})   Curve: ${join(out, 'training-curve.svg')}`);
      return 0;
    } catch (e) {
      if (e instanceof CheckpointError) throw new CliError(e.message, 1);
      throw e;
    } finally {
      model.dispose();
    }
  },
});
