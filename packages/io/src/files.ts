// File helpers: safetensors to and from disk. Writes are atomic (temp file, fsync, rename) so a crash mid-save
// never leaves a truncated checkpoint under the final name.
import { readFile } from 'node:fs/promises';
import type { WeightMap } from '@convzoo/backend';
import { writeFileAtomic } from './atomic.js';
import { readSafetensors, writeSafetensors, type SafetensorsFile } from './safetensors.js';

export async function saveSafetensors(path: string, weights: WeightMap, metadata?: Record<string, string>): Promise<void> {
  await writeFileAtomic(path, writeSafetensors(weights, metadata));
}

export async function loadSafetensors(path: string): Promise<SafetensorsFile> {
  const bytes = await readFile(path);
  return readSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
}
