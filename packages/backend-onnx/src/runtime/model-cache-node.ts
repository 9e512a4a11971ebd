// Exported ONNX models cached on disk (Node): a second compile of the same spec and weights hands the runtime a file
// path, so neither the weights nor the ONNX bytes are ever held in JS (a bare onnxruntime session's footprint).
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelCache } from './host.js';

const fileOf = (dir: string, keyParts: readonly string[]) => {
  const h = createHash('sha256');
  for (const part of keyParts) h.update(`${part.length}:${part}`);
  return join(dir, `${h.digest('hex')}.onnx`);
};

export const nodeModelCache: ModelCache = {
  async find(dir, keyParts) {
    const file = fileOf(dir, keyParts);
    try {
      return (await stat(file)).isFile() ? file : undefined;
    } catch {
      return undefined;
    }
  },
  async store(dir, keyParts, bytes) {
    const file = fileOf(dir, keyParts);
    await mkdir(dir, { recursive: true });
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    // @convzoo/io's writeFileAtomic does this, but an adapter depends on models and backend only (io sits beside the
    // adapters, above backend), so the steps are here. The data is fsynced before the rename: after a crash the
    // renamed file could otherwise be empty or hold zeroed blocks, which may still load as a model with wrong weights
    // (only a file the runtime rejects is rebuilt). The directory is not fsynced: a lost rename is a cache miss.
    try {
      const fh = await open(tmp, 'w');
      try {
        await fh.writeFile(bytes);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, file);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    return file;
  },
  async drop(dir, keyParts) {
    await rm(fileOf(dir, keyParts), { force: true });
  },
};
