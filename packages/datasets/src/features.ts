// From compact storage to what a model takes: a whole set as one float32 Tensor, labels as one-hot rows, and views
// over the leading (sample) axis. Batching, shuffling and validation splits are the sample pipeline's
// (@convzoo/backend: splitValidation, epochPermutation, gatherSamples), which train's fit uses.
import { DatasetError } from './errors.js';
import type { Features, ImageSet, Labels, Tensor } from './types.js';

/** Images and labels start..end-1 as views sharing the set's memory. */
export function sliceImageSet(set: ImageSet, start: number, end: number): ImageSet {
  const n = set.x.shape[0] ?? 0;
  if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= n)) {
    throw new DatasetError(`slice [${start}, ${end}) is outside the ${n} samples`);
  }
  const size = set.x.shape.slice(1).reduce((a, b) => a * b, 1); // values per sample
  const x = { ...set.x, shape: [end - start, ...set.x.shape.slice(1)], data: set.x.data.subarray(start * size, end * size) };
  return { x, y: set.y.subarray(start, end) as Labels, classNames: set.classNames };
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
  const divisor = x.divisor ?? 1;
  if (x.data instanceof Float32Array && divisor === 1) return { shape: [...x.shape], data: x.data };
  const out = new Float32Array(x.data.length);
  if (x.data instanceof Uint8Array) {
    const lut = byteTable(divisor);
    for (let k = 0; k < out.length; k++) out[k] = lut[x.data[k] as number] as number;
  } else {
    for (let k = 0; k < out.length; k++) out[k] = (x.data[k] as number) / divisor;
  }
  return { shape: [...x.shape], data: out };
}

/** One-hot rows [n, numClasses] (Keras `to_categorical`). */
export function oneHot(labels: Labels | ArrayLike<number>, numClasses: number): Tensor {
  const out = new Float32Array(labels.length * numClasses);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as number;
    if (!(label >= 0 && label < numClasses)) {
      throw new DatasetError(`label ${label} at index ${i} is outside 0..${numClasses - 1} (numClasses ${numClasses})`);
    }
    out[i * numClasses + label] = 1;
  }
  return { shape: [labels.length, numClasses], data: out };
}
