// File helpers: safetensors to and from disk. Writes are atomic (temp file, fsync, rename) so a crash mid-save
// never leaves a truncated checkpoint under the final name.
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { WeightMap } from '@convzoo/backend';
import { readSafetensors, writeSafetensors, type SafetensorsFile } from './safetensors.js';

/** Writes `bytes` to `path` atomically: a temp file in the same directory, fsync, then rename over `path`. */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  // fsync the directory too, so the rename itself survives a crash (best effort: not every platform allows it).
  try {
    const dir = await open(dirname(path), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch {
    /* directories cannot be opened for sync on some systems (Windows); the data itself is already synced */
  }
}

export async function saveSafetensors(path: string, weights: WeightMap, metadata?: Record<string, string>): Promise<void> {
  await writeFileAtomic(path, writeSafetensors(weights, metadata));
}

export async function loadSafetensors(path: string): Promise<SafetensorsFile> {
  const bytes = await readFile(path);
  return readSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
}
