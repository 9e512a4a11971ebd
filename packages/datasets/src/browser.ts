// The browser entry (@convzoo/datasets/browser): preprocessing of pixels already decoded (canvas ImageData), with
// the same resize/crop/normalisation code as the Node loaders (@convzoo/image). No fs, no sharp, no MNIST files.
export { DatasetError } from './errors.js';
export type { Tensor } from './types.js';
export * from './image/pixels.js';
export { type MnistDigit, mnistStyleDigit } from './image/digit.js';
