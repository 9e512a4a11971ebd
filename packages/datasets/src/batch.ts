// Mini-batches as float32 Tensors over compact storage: a view when the rows are contiguous float32, otherwise rows
// gathered into one buffer reused for every batch of the pass (so a 60k-sample epoch allocates one batch, not 469).
import { DatasetError } from './errors.js';
import { permutation, type Rng, mulberry32 } from './rng.js';
import { sampleCount, sampleSize } from './split.js';
import type { Features, ImageSet, Labels, Tensor } from './types.js';

/** Rows `order[from..to)` (or from..to when `order` is absent) of `x` as float32, written into `out`. */
export function gatherRows(x: Features, from: number, to: number, order: Uint32Array | undefined, out: Float32Array): void {
  const size = sampleSize(x);
  const divisor = x.divisor ?? 1;
  const lut = x.data instanceof Uint8Array ? byteTable(divisor) : undefined;
  for (let r = from; r < to; r++) {
    const src = (order ? (order[r] as number) : r) * size;
    const dst = (r - from) * size;
    if (lut) {
      for (let k = 0; k < size; k++) out[dst + k] = lut[x.data[src + k] as number] as number;
    } else if (divisor === 1) {
      out.set(x.data.subarray(src, src + size), dst);
    } else {
      for (let k = 0; k < size; k++) out[dst + k] = (x.data[src + k] as number) / divisor;
    }
  }
}

// Float32 of byte/divisor: one division per byte value instead of one per pixel.
const tables = new Map<number, Float32Array>();
function byteTable(divisor: number): Float32Array {
  let table = tables.get(divisor);
  if (!table) {
    table = Float32Array.from({ length: 256 }, (_, v) => v / divisor);
    tables.set(divisor, table);
  }
  return table;
}

/** All samples as one float32 Tensor (a copy unless `x` is already float32 with divisor 1). */
export function toTensor(x: Features): Tensor {
  if (x.data instanceof Float32Array && (x.divisor ?? 1) === 1) return { shape: [...x.shape], data: x.data };
  const n = sampleCount(x);
  const out = new Float32Array(n * sampleSize(x));
  gatherRows(x, 0, n, undefined, out);
  return { shape: [...x.shape], data: out };
}

function checkLabel(label: number, index: number, numClasses: number): void {
  if (!(label >= 0 && label < numClasses)) {
    throw new DatasetError(`label ${label} at index ${index} is outside 0..${numClasses - 1} (numClasses ${numClasses})`);
  }
}

/** One-hot rows [n, numClasses] (Keras `to_categorical`). */
export function oneHot(labels: Labels | ArrayLike<number>, numClasses: number): Tensor {
  const out = new Float32Array(labels.length * numClasses);
  writeOneHot(labels, 0, labels.length, undefined, numClasses, out);
  return { shape: [labels.length, numClasses], data: out };
}

function writeOneHot(labels: ArrayLike<number>, from: number, to: number, order: Uint32Array | undefined, numClasses: number, out: Float32Array): void {
  out.fill(0, 0, (to - from) * numClasses);
  for (let r = from; r < to; r++) {
    const i = order ? (order[r] as number) : r;
    const label = labels[i] as number;
    checkLabel(label, i, numClasses);
    out[(r - from) * numClasses + label] = 1;
  }
}

export interface BatchOptions {
  batchSize: number;
  /** Shuffle the sample order for this pass (default false). */
  shuffle?: boolean;
  /** Draws the permutation; pass the same Rng to successive epochs for a different, reproducible order each. */
  rng?: Rng;
  /** Used when `shuffle` is true and no `rng` is given: `mulberry32(seed)` (default seed 0). */
  seed?: number;
  /**
   * How integer labels become `y`: 'onehot' rows [b, numClasses] (categorical cross-entropy) or 'sparse' class
   * indices [b] as float32 (sparse categorical cross-entropy). Ignored when the targets are Features.
   */
  labels?: 'onehot' | 'sparse';
  /** Required for one-hot labels unless the source is an ImageSet (then classNames.length). */
  numClasses?: number;
}

export interface Batch {
  /** Valid until the generator resumes: shuffled batches share one buffer. Copy `data` to keep it. */
  x: Tensor;
  y: Tensor;
  /** Position of the batch's first sample in this pass's order. */
  start: number;
}

/** Number of batches in one pass, the last one partial (Keras `steps_per_epoch` for arrays). */
export function batchCount(n: number, batchSize: number): number {
  return Math.ceil(n / batchSize);
}

/**
 * One pass over (x, y) in batches of `batchSize`, the last one partial when n is not a multiple. Without shuffling,
 * float32 rows are views (no copy); otherwise rows are gathered into a buffer reused by every batch of the pass.
 */
export function* batches(x: Features, y: Labels | Features, options: BatchOptions): Generator<Batch, void, undefined> {
  const { batchSize } = options;
  if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new DatasetError(`batchSize must be a positive integer, got ${batchSize}`);
  const n = sampleCount(x);
  const yIsLabels = ArrayBuffer.isView(y);
  const ny = yIsLabels ? y.length : sampleCount(y);
  if (ny !== n) throw new DatasetError(`${ny} targets for ${n} samples`);
  const order = options.shuffle ? permutation(n, options.rng ?? mulberry32(options.seed ?? 0)) : undefined;
  const labelMode = options.labels ?? 'onehot';
  const numClasses = options.numClasses ?? 0;
  if (yIsLabels && labelMode === 'onehot' && !(Number.isInteger(numClasses) && numClasses > 0)) {
    throw new DatasetError('one-hot labels need numClasses (a positive integer)');
  }

  const xSize = sampleSize(x);
  const xView = !order && x.data instanceof Float32Array && (x.divisor ?? 1) === 1;
  const xBuf = xView ? undefined : new Float32Array(Math.min(batchSize, n) * xSize);
  const yTail = yIsLabels ? (labelMode === 'onehot' ? [numClasses] : []) : y.shape.slice(1);
  const ySize = yTail.reduce((a, b) => a * b, 1);
  const yView = !order && !yIsLabels && y.data instanceof Float32Array && (y.divisor ?? 1) === 1;
  const yBuf = yView ? undefined : new Float32Array(Math.min(batchSize, n) * ySize);

  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(start + batchSize, n);
    const b = end - start;
    let xData: Float32Array;
    if (xBuf) {
      xData = xBuf.subarray(0, b * xSize);
      gatherRows(x, start, end, order, xData);
    } else {
      xData = (x.data as Float32Array).subarray(start * xSize, end * xSize);
    }
    let yData: Float32Array;
    if (!yBuf) {
      yData = ((y as Features).data as Float32Array).subarray(start * ySize, end * ySize);
    } else {
      yData = yBuf.subarray(0, b * ySize);
      if (!yIsLabels) gatherRows(y, start, end, order, yData);
      else if (labelMode === 'onehot') writeOneHot(y, start, end, order, numClasses, yData);
      else for (let r = start; r < end; r++) yData[r - start] = y[order ? (order[r] as number) : r] as number;
    }
    yield { x: { shape: [b, ...x.shape.slice(1)], data: xData }, y: { shape: [b, ...yTail], data: yData }, start };
  }
}

/** `batches` over an ImageSet; one-hot width defaults to the number of class names. */
export function imageSetBatches(set: ImageSet, options: BatchOptions): Generator<Batch, void, undefined> {
  return batches(set.x, set.y, { numClasses: set.classNames.length, ...options });
}
