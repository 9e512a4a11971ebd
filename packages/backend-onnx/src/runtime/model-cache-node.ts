// Exported ONNX models cached on disk (Node): a second compile of the same spec and weights hands the runtime a file
// path, so neither the weights nor the ONNX bytes are ever held in JS (a bare onnxruntime session's footprint).
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelFileCache } from './host.js';

const fileOf = (dir: string, keyParts: readonly string[]) => {
  const h = createHash('sha256');
  for (const part of keyParts) h.update(`${part.length}:${part}`);
  return join(dir, `${h.digest('hex')}.onnx`);
};

export const nodeModelCache: ModelFileCache = {
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
    try {
      await writeFile(tmp, bytes);
      await rename(tmp, file);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    return file;
  },
  async drop(path) {
    await rm(path, { force: true });
  },
};
