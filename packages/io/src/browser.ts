// The browser entry (@convzoo/io/browser): the safetensors codec on bytes already in memory. No fs.
export { writeSafetensors, readSafetensors, SafetensorsError, MAX_HEADER_BYTES } from './safetensors.js';
export type { SafetensorsFile } from './safetensors.js';
export { float16ToFloat32 } from './float16.js';
