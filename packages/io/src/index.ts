// The I/O room: the file formats and writes that train (checkpoints) and weights (imports, exports) both use, so
// neither imports the other for them. Node entry; @convzoo/io/browser has the codec alone.
export * from './browser.js';
export { saveSafetensors, loadSafetensors } from './files.js';
export { sha256Hex } from './digest.js';
export { TEMP_PREFIX, fsyncDir, tempNameFor, writeFileAtomic, writeFileAtomicSync, writeFileSynced } from './atomic.js';
