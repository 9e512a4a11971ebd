export { writeSafetensors, readSafetensors, SafetensorsError, MAX_HEADER_BYTES } from './safetensors.js';
export type { SafetensorsFile } from './safetensors.js';
export { saveSafetensors, loadSafetensors, writeFileAtomic } from './files.js';
export { float16ToFloat32 } from './float16.js';
