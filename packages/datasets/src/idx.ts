// The IDX format of MNIST (http://yann.lecun.com/exdb/mnist/): a 4-byte magic [0, 0, dtype code, ndim], ndim
// big-endian uint32 dimensions, then the values, big-endian, row-major. Files may be gzip-compressed.
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { DatasetError } from './errors.js';
import { isGzip, parseIdx, type IdxExpectation, type IdxArray } from './idx-parse.js';

export { isGzip, parseIdx, type IdxArray, type IdxData, type IdxDtype, type IdxExpectation } from './idx-parse.js';

/**
 * Decompresses gzip bytes (recognised by their magic, whatever the file name says); other bytes pass through.
 * The output may not exceed the size the gzip trailer declares (ISIZE, the length mod 2^32; IDX files are far
 * below 4 GiB), so a "gzip bomb" whose trailer lies is refused before it inflates, not after.
 */
export function maybeGunzip(bytes: Uint8Array, source: string): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  // Shorter than a gzip header + trailer: gunzip below names it as truncated.
  const declared = bytes.length >= 18 ? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(bytes.length - 4, true) : undefined;
  try {
    return gunzipSync(bytes, declared !== undefined ? { maxOutputLength: Math.max(1, declared) } : {});
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new DatasetError(`${source}: gzip data inflates past the ${declared} bytes its trailer declares (corrupt, or a decompression bomb)`, source, {
        cause: err,
      });
    }
    throw new DatasetError(`${source}: corrupt or truncated gzip data (${reason})`, source, { cause: err });
  }
}

/** Reads an IDX file, raw or gzip-compressed. */
export async function readIdx(path: string, expect: IdxExpectation = {}): Promise<IdxArray> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new DatasetError(`${path}: cannot read IDX file (${reason})`, path, { cause: err });
  }
  return parseIdx(maybeGunzip(bytes, path), path, expect);
}
