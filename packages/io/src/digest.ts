// The sha256 that pins files: weights' npm sources check it on fetch and load, train's checkpoints record it per file.
// Node entry only (node:crypto); a page checks its files with crypto.subtle.
import { createHash } from 'node:crypto';

/** Lowercase hex sha256 of the bytes (a string is hashed as UTF-8). */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
