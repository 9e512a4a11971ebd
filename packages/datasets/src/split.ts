// Views over the leading (sample) axis, and Keras' validation_split: no copies, only subarray views.
import { validationSplitIndex } from '@convzoo/backend';
import { DatasetError } from './errors.js';
import type { Features, ImageSet, Labels } from './types.js';

/** Number of samples (the leading axis). */
export function sampleCount(x: Features): number {
  return x.shape[0] ?? 0;
}

/** Values per sample (product of the non-leading axes). */
export function sampleSize(x: Features): number {
  return x.shape.slice(1).reduce((a, b) => a * b, 1);
}

/** Samples start..end-1 as a view sharing `x`'s memory. */
export function sliceFeatures<F extends Features>(x: F, start: number, end: number): F {
  const n = sampleCount(x);
  if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= n)) {
    throw new DatasetError(`slice [${start}, ${end}) is outside the ${n} samples`);
  }
  const size = sampleSize(x);
  return { ...x, shape: [end - start, ...x.shape.slice(1)], data: x.data.subarray(start * size, end * size) };
}

/** Images and labels start..end-1 as views sharing the set's memory. */
export function sliceImageSet(set: ImageSet, start: number, end: number): ImageSet {
  return { x: sliceFeatures(set.x, start, end), y: set.y.subarray(start, end) as Labels, classNames: set.classNames };
}

// Keras' split point: the sample pipeline's one rule (@convzoo/backend), which train's fit uses too.
export { validationSplitIndex } from '@convzoo/backend';

/**
 * Keras' `validation_split`: the validation set is the LAST fraction of the samples, taken before any shuffling
 * (Keras shuffles only the training part, each epoch). Both parts are views.
 */
export function trainValidationSplit(set: ImageSet, validationSplit: number): { train: ImageSet; validation: ImageSet } {
  const n = sampleCount(set.x);
  if (set.y.length !== n) throw new DatasetError(`${set.y.length} labels for ${n} samples`);
  const splitAt = validationSplitIndex(n, validationSplit);
  return { train: sliceImageSet(set, 0, splitAt), validation: sliceImageSet(set, splitAt, n) };
}

/** The same split for a features/targets pair (targets: labels or per-sample features such as one-hot rows). */
export function splitArrays<Y extends Features | Labels>(
  x: Features,
  y: Y,
  validationSplit: number,
): { train: { x: Features; y: Y }; validation: { x: Features; y: Y } } {
  const n = sampleCount(x);
  const ny = ArrayBuffer.isView(y) ? y.length : sampleCount(y);
  if (ny !== n) throw new DatasetError(`${ny} targets for ${n} samples`);
  const splitAt = validationSplitIndex(n, validationSplit);
  const sliceY = (start: number, end: number): Y => (ArrayBuffer.isView(y) ? y.subarray(start, end) : sliceFeatures(y, start, end)) as Y;
  return {
    train: { x: sliceFeatures(x, 0, splitAt), y: sliceY(0, splitAt) },
    validation: { x: sliceFeatures(x, splitAt, n), y: sliceY(splitAt, n) },
  };
}
