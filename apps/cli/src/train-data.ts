// Data sets as tensors for `convzoo train`/`eval`: loading (with --limit), resizing to a model's input, one target
// per model output, and the accuracy to report.
import type { Tensor } from '@convzoo/backend';
import type { ModelSpec } from '@convzoo/models';
import { loadDataset, oneHot, resizeBilinearFloat, sliceImageSet, toTensor, DATASET_NAMES, type ImageSet } from '@convzoo/datasets';
import type { Samples } from '@convzoo/train';
import { existsSync } from 'node:fs';
import { CliError } from './command.js';

/** Every output learns the same labels (auxiliary classifiers), as Keras does with `y=[y, y, y]`. */
export function targetsPerOutput(data: Samples, outputs: number): Samples {
  if (outputs === 1 || Array.isArray(data.y)) return data;
  return { x: data.x, y: Array.from({ length: outputs }, () => data.y as Tensor) };
}

/** The accuracy to report: `accuracy`, or the main (first) output's for multi-output models. */
export function mainAccuracy(logs: Record<string, number>, spec: ModelSpec): number | undefined {
  return logs.accuracy ?? logs[`${spec.outputs[0]}_accuracy`];
}

export interface LoadedData {
  train: Samples;
  test: Samples;
  classNames: string[];
  /** [h, w, c] of one image. */
  imageShape: [number, number, number];
}

function toSamples(set: ImageSet): Samples {
  return { x: toTensor(set.x) as Tensor, y: oneHot(set.y, set.classNames.length) as Tensor };
}

/**
 * Loads a data set by name as float32 tensors (images /255 as in the tutorial, one-hot labels). `limit` keeps only the
 * first samples of each half (quick checks).
 */
export async function loadData(dataset: string, dataDir: string | undefined, limit?: { train?: number; test?: number }): Promise<LoadedData> {
  if (!(DATASET_NAMES as readonly string[]).includes(dataset)) {
    throw new CliError(`--dataset must be one of ${DATASET_NAMES.join(', ')}, got '${dataset}'`);
  }
  // A directory that is not there is the command line's mistake (exit 2); damaged files in one that is, bad data (1).
  if (dataDir !== undefined && !existsSync(dataDir)) throw new CliError(`--data-dir ${dataDir}: no such directory`);
  const { train, test } = await loadDataset(dataset, dataDir !== undefined ? { dir: dataDir } : {});
  const cut = (set: ImageSet, n: number | undefined) => (n === undefined ? set : sliceImageSet(set, 0, Math.min(n, set.y.length)));
  const t = cut(train, limit?.train);
  const s = cut(test, limit?.test);
  const [, h, w, c] = t.x.shape;
  return { train: toSamples(t), test: toSamples(s), classNames: t.classNames, imageShape: [h!, w!, c!] };
}

/**
 * Images resized (bilinear, as Pillow) to a model's input size, grey replicated to RGB: MNIST-sized data through a
 * network at its native 224x224x3 (memory checks, benchmarks). Returns `data` unchanged when the shapes agree.
 */
export function resizeData(data: LoadedData, shape: [number, number, number]): LoadedData {
  const [h, w, c] = shape;
  const [ih, iw, ic] = data.imageShape;
  if (h === ih && w === iw && c === ic) return data;
  if (ic !== c && !(ic === 1 && c === 3)) throw new CliError(`cannot feed ${ic}-channel images to a ${c}-channel input ${h}x${w}x${c}`);
  const resize = (t: Tensor): Tensor => {
    const n = t.shape[0]!;
    const out = new Float32Array(n * h * w * c);
    for (let i = 0; i < n; i++) {
      const img = resizeBilinearFloat({ width: iw, height: ih, channels: ic, data: t.data.subarray(i * ih * iw * ic, (i + 1) * ih * iw * ic) }, w, h).data;
      for (let p = 0; p < h * w; p++) for (let k = 0; k < c; k++) out[(i * h * w + p) * c + k] = img[p * ic + (ic === 1 ? 0 : k)]!;
    }
    return { shape: [n, h, w, c], data: out };
  };
  const on = (s: Samples): Samples => ({ x: resize(s.x as Tensor), y: s.y });
  return { ...data, train: on(data.train), test: on(data.test), imageShape: [h, w, c] };
}

/** `--limit N` (quick runs): N training samples and at most N test samples. */
export function parseLimit(value: string | undefined): { train?: number; test?: number } | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`--limit must be an integer >= 1, got '${value}'`);
  return { train: n, test: n };
}
