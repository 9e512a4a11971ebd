// The Node entry: the browser entry plus decoding files with sharp (loaded lazily, on the first decode).
export * from './browser.js';
export { decodeImage, loadSharp, type SharpModule } from './decode.js';
export { loadImage } from './load.js';
export { type FileImageTransforms, fileTransforms } from './file-transforms.js';
