/**
 * A dense float32 tensor, row-major; images are NHWC. Structurally identical to `Tensor` in @convzoo/backend
 * (declared here so this package needs no dependency on the backend contract), so values pass across unchanged.
 */
export interface Tensor {
  shape: number[];
  data: Float32Array;
}

/**
 * Per-sample features, `shape` = [n, ...sampleShape], stored compactly: raw bytes stay bytes (60k MNIST images are
 * 47 MB as bytes, 188 MB as float32) and become float32 only batch by batch.
 */
export interface Features {
  shape: number[];
  data: Uint8Array | Float32Array;
  /**
   * The float32 feature is `data[i] / divisor`, rounded once to float32 — the same number NumPy gives for
   * `x.astype('float32') / 255`. 255 maps bytes to [0, 1]; absent or 1 keeps values as stored, so every Tensor is
   * also a Features.
   */
  divisor?: number;
}

/** Sparse class indices, one per sample. */
export type Labels = Uint8Array | Int32Array;

/** A labelled image set: NHWC images (`x.shape` = [n, h, w, c]), a class index per image, the class names. */
export interface ImageSet {
  x: Features;
  y: Labels;
  classNames: string[];
}

/** Train and test halves of a data set, as the Keras `load_data()` functions return them. */
export interface TrainTest {
  train: ImageSet;
  test: ImageSet;
}
