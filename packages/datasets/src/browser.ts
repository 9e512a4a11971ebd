// The browser entry (@convzoo/datasets/browser): preprocessing of pixels already decoded (canvas ImageData), with
// the same resize/crop/normalisation code as the Node loaders (@convzoo/image), and IDX bytes already fetched. No fs,
// no sharp, no MNIST files.
export { DatasetError } from './errors.js';
export type { Features, ImageSet, Labels, Tensor } from './types.js';
// IDX bytes a page fetched (MNIST served with it), parsed as the Node loaders parse files; gunzip is the page's.
export { type IdxArray, type IdxData, type IdxDtype, type IdxExpectation, isGzip, parseIdx } from './idx-parse.js';
export { oneHot, sliceImageSet, toTensor } from './features.js';
export * from './image/pixels.js';
export { type MnistDigit, mnistStyleDigit } from './image/digit.js';
