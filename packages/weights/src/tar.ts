// Minimal reader for the gzip'd ustar archives `npm pack` produces: regular files only, names from the ustar
// prefix + name fields (and pax `path` records). Enough to take files out of an npm tarball without running any of
// its code and without a system `tar`.
import { gunzipSync } from 'node:zlib';

export interface TarFile {
  path: string;
  data: Uint8Array;
}

function field(block: Uint8Array, start: number, length: number): string {
  const slice = block.subarray(start, start + length);
  const end = slice.indexOf(0);
  return new TextDecoder().decode(end < 0 ? slice : slice.subarray(0, end));
}

function octal(block: Uint8Array, start: number, length: number, source: string): number {
  const text = field(block, start, length).trim();
  const n = text === '' ? 0 : parseInt(text, 8);
  if (!Number.isFinite(n)) throw new Error(`${source}: corrupt tar header (size field '${text}')`);
  return n;
}

/** Lists the regular files of a .tgz, in archive order. */
export function readTgz(tgz: Uint8Array, source: string): TarFile[] {
  let tar: Uint8Array;
  try {
    tar = gunzipSync(tgz);
  } catch (e) {
    throw new Error(`${source}: not a gzip file (${(e as Error).message})`);
  }
  const files: TarFile[] = [];
  let pos = 0;
  let paxPath: string | undefined;
  while (pos + 512 <= tar.length) {
    const header = tar.subarray(pos, pos + 512);
    if (header.every((b) => b === 0)) break;
    const size = octal(header, 124, 12, source);
    const type = String.fromCharCode(header[156] || 48);
    const prefix = field(header, 345, 155);
    const name = paxPath ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    const data = tar.subarray(pos + 512, pos + 512 + size);
    if (data.length < size) throw new Error(`${source}: tar entry '${name}' is truncated`);
    paxPath = undefined;
    if (type === 'x') {
      // pax extended header: "<len> path=<value>\n" records apply to the next entry.
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(new TextDecoder().decode(data));
      if (m) paxPath = m[1];
    } else if (type === '0' || type === '7') {
      files.push({ path: name, data });
    }
    pos += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}
