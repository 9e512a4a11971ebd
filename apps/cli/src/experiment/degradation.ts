// He et al.'s degradation experiment (the tutorial's ResNet chapter): plain20, plain56, resnet20 and resnet56 trained
// with one recipe; a deeper plain net trains to a HIGHER error, residual connections remove the effect. Each net
// trains in its own folder with checkpoints, so an interrupted experiment resumes where it stopped and finished nets
// are not trained again.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getModel, type ModelSpec } from '@convzoo/models';
import { CsvLogger, ModelCheckpoint, ProgressBar, TensorBoard, fit, loadCheckpoint, readPointer, type Callback, type History } from '@convzoo/train';
import type { CommandIO } from '../command.js';
import { engineAbortError, isEngineAbort } from '../engine-abort.js';
import { openModel } from '../open-model.js';
import { loadData, type LoadedData } from '../train-data.js';
import { describeStats, normalizeChannels, type ChannelStats } from './channel-normalization.js';
import { describeRecipe, heRecipe } from './he-recipe.js';
import { IterationLog, readIterations, type IterationRow } from './iteration-log.js';

export const DEGRADATION_NETS = ['plain20', 'plain56', 'resnet20', 'resnet56'] as const;
export type DegradationNet = (typeof DEGRADATION_NETS)[number];

export interface DegradationOptions {
  dataset: string;
  dataDir?: string;
  /** Training samples (default all); test samples are `testLimit` (default: as many as `limit`, else all). */
  limit?: number;
  testLimit?: number;
  epochs: number;
  batchSize: number;
  backend: string;
  out: string;
  seed: number;
  nets: readonly DegradationNet[];
  io: CommandIO;
}

export interface NetResult {
  net: DegradationNet;
  backend: string;
  iterations: IterationRow[];
  history: History;
  /** Mean training error over the last 5% of the iterations (the paper's curves are smoothed too), and test error after the last epoch. */
  finalTrainError: number;
  finalTestError: number;
  seconds: number;
}

/**
 * BatchNorm momentum 0.9 (PyTorch's default) rather than Keras' 0.99: with a few hundred updates instead of the
 * paper's 64k, 0.99's moving statistics are still mostly their initial values at test time (measured: every net
 * tested at chance level, 89.5% error, after 3 of 5 epochs), which would hide the curves the experiment is about.
 */
export const EXPERIMENT_BN_MOMENTUM = 0.9;

function netSpec(net: DegradationNet, data: LoadedData): ModelSpec {
  return getModel(net, { inputShape: data.imageShape, classes: data.classNames.length, bnMomentum: EXPERIMENT_BN_MOMENTUM });
}

/** What the figure's caption and the CSV print: the recipe as run. */
export const AUGMENTATION = 'none (He et al. pad and crop CIFAR; Fashion-MNIST is trained on the images as they are)';

export interface DegradationRun {
  results: NetResult[];
  recipe: string;
}

/** Share of the last iterations whose mean training error is the "final training error". */
export const FINAL_SHARE = 0.05;

export function finalTrainError(rows: IterationRow[]): number {
  const tail = rows.slice(-Math.max(1, Math.round(rows.length * FINAL_SHARE)));
  return tail.reduce((s, r) => s + r.trainError, 0) / tail.length;
}

export async function runDegradation(o: DegradationOptions): Promise<DegradationRun> {
  const limit = o.limit === undefined && o.testLimit === undefined ? undefined : { ...(o.limit ? { train: o.limit } : {}), test: o.testLimit ?? o.limit };
  const { data, stats } = normalizeChannels(await loadData(o.dataset, o.dataDir, limit));
  const recipe = describeRecipe({
    batchSize: o.batchSize,
    epochs: o.epochs,
    bnMomentum: EXPERIMENT_BN_MOMENTUM,
    normalization: describeStats(stats),
    augmentation: AUGMENTATION,
  });
  mkdirSync(o.out, { recursive: true });
  writeFileSync(
    join(o.out, 'experiment.json'),
    `${JSON.stringify(
      {
        experiment: 'degradation',
        dataset: o.dataset,
        limit: o.limit,
        testLimit: o.testLimit,
        epochs: o.epochs,
        batchSize: o.batchSize,
        seed: o.seed,
        nets: o.nets,
        recipe,
        normalization: stats,
      },
      null,
      2,
    )}\n`,
  );
  const results: NetResult[] = [];
  for (const net of o.nets) results.push(await trainNet(net, data, stats, o));
  return { results, recipe };
}

async function trainNet(net: DegradationNet, data: LoadedData, stats: ChannelStats, o: DegradationOptions): Promise<NetResult> {
  const dir = join(o.out, net);
  mkdirSync(dir, { recursive: true });
  const csv = join(dir, 'iterations.csv');
  const snap = readPointer(dir) ? loadCheckpoint(dir) : undefined;
  const done = snap?.state.epoch ?? 0;
  IterationLog.truncate(csv, done);
  const samples = (data.train.x as { shape: number[] }).shape[0]!;
  const steps = Math.ceil(samples / o.batchSize);
  const spec = snap?.spec ?? netSpec(net, data);
  const training = snap?.state.training ?? heRecipe(steps * o.epochs, Number(net.replace(/\D/g, '')));
  const started = Date.now();
  const { model, choice } = await openModel(spec, { backend: o.backend, training, seed: o.seed, ...(snap ? { weights: snap.weights } : {}) });
  try {
    if (snap?.optimizer) await model.setOptimizerState(snap.optimizer);
    o.io.out(`\n${net}: ${done >= o.epochs ? 'already trained' : done > 0 ? `resuming after epoch ${done}` : 'training'} on ${choice}`);
    const callbacks: Callback[] = [
      new IterationLog(csv, join(o.out, 'tensorboard', net, 'iterations')),
      new CsvLogger(join(dir, 'training-log.csv'), { append: Boolean(snap) }),
      new TensorBoard(join(o.out, 'tensorboard', net)),
      new ModelCheckpoint({
        dir,
        seed: o.seed,
        training,
        keep: 1,
        extra: { experiment: 'degradation', net, dataset: o.dataset, batchSize: o.batchSize, backend: model.backend, normalization: stats },
      }),
      new ProgressBar({ line: (t) => o.io.out(t) }),
    ];
    const history =
      done >= o.epochs && snap
        ? snap.state.history
        : await fit(model, data.train, {
            epochs: o.epochs,
            batchSize: o.batchSize,
            validationData: data.test, // the paper's solid curves are test error
            seed: o.seed,
            initialEpoch: done,
            ...(snap ? { initialHistory: snap.state.history } : {}),
            callbacks,
          }).catch((e: unknown) => {
            throw isEngineAbort(e) ? engineAbortError(e, { backend: model.backend, batchSize: o.batchSize, checkpoint: dir }) : e;
          });
    const last = (k: string) => history.history[k]?.at(-1) ?? NaN;
    const iterations = readIterations(csv);
    return {
      net,
      backend: model.backend,
      iterations,
      history,
      finalTrainError: finalTrainError(iterations),
      finalTestError: 1 - last('val_accuracy'),
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    model.dispose();
  }
}
