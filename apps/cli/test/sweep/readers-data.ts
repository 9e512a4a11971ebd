// One seeded sweep per data-file reader (IDX, CIFAR-10 binary, images). Each starts from a valid file in the real
// format and mutates it; each returns one ReaderSweep (its fields repeat by interface, make() differs).
import { gzipSync } from 'node:zlib';
import { decodeImage, maybeGunzip, parseCifarRecords, parseIdx } from '@convzoo/datasets';
import sharp from 'sharp';
import { idxHead } from '../train-fixtures.js';
import { appendJunk, flipBits, scribble, truncate } from './mutate.js';
import type { ReaderSweep } from './runner.js';
import { bytesCase } from './cases.js';

// ---------- IDX ----------
function idxFloat32(): Uint8Array {
  const out = new Uint8Array(4 + 8 + 6 * 4);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0x00000d02);
  v.setUint32(4, 2);
  v.setUint32(8, 3);
  for (let i = 0; i < 6; i++) v.setFloat32(12 + 4 * i, i - 2.5);
  return out;
}

export function idxSweep(cases: number): ReaderSweep {
  const images = idxHead('train-images-idx3-ubyte', 8);
  const labels = idxHead('train-labels-idx1-ubyte', 8);
  const floats = idxFloat32();
  // A gzip "bomb": 128 MiB of zeros (130 KB compressed) whose trailer claims 1,000 bytes.
  const bomb = gzipSync(new Uint8Array(128 * 2 ** 20), { level: 9 });
  new DataView(bomb.buffer, bomb.byteOffset).setUint32(bomb.length - 4, 1000, true);
  const bases = [images, labels, floats];
  return {
    reader: 'IDX (datasets)',
    seed: 1,
    cases,
    errors: ['DatasetError'],
    make(r, i) {
      const base = r.pick(bases);
      const src = `case-${i}.idx`;
      const read = (b: Uint8Array) => parseIdx(maybeGunzip(b, src), src, base === images ? { dtype: 'uint8', shape: [null, 28, 28] } : {});
      const m = r.int(9);
      switch (m) {
        case 0:
          return bytesCase('truncate', src, truncate(base, r), read);
        case 1:
          return bytesCase('flip header bits', src, flipBits(base, r, 0, 16), read);
        case 2:
          return bytesCase('flip bits', src, flipBits(base, r), read);
        case 3: {
          const b = base.slice();
          const dims = b[3]!;
          const huge = r.pick([0xffffffff, 0x80000000, 0x7fffffff, 1e9, 65536, 0]);
          new DataView(b.buffer).setUint32(4 + 4 * r.int(Math.max(1, dims)), huge);
          return bytesCase(`declared dimension ${huge}`, src, b, read);
        }
        case 4: {
          const b = base.slice();
          b[2] = r.int(256);
          b[3] = r.int(256);
          return bytesCase(`dtype ${b[2]} ndim ${b[3]}`, src, b, read);
        }
        case 5:
          return bytesCase('trailing junk', src, appendJunk(base, r), read);
        case 6:
          return bytesCase('gzip of a truncated file', src, gzipSync(truncate(base, r)), read);
        case 7:
          return bytesCase('truncated gzip', src, truncate(gzipSync(base), r), read);
        default:
          return bytesCase('gzip bomb (128 MiB, trailer says 1000 bytes)', src, bomb, read);
      }
    },
  };
}

// ---------- CIFAR-10 binary ----------
export function cifarSweep(cases: number): ReaderSweep {
  const base = new Uint8Array(4 * 3073).map((_, k) => (k % 3073 === 0 ? (k / 3073) % 10 : (k * 7) % 256));
  return {
    reader: 'CIFAR-10 binary (datasets)',
    seed: 2,
    cases,
    errors: ['DatasetError'],
    make(r, i) {
      const src = `data_batch_${i}.bin`;
      const read = (b: Uint8Array) => parseCifarRecords(b, src);
      switch (r.int(5)) {
        case 0:
          return bytesCase('truncate', src, truncate(base, r), read);
        case 1:
          return bytesCase('flip bits', src, flipBits(base, r), read);
        case 2:
          return bytesCase('trailing junk', src, appendJunk(base, r), read);
        case 3: {
          const b = base.slice();
          b[3073 * r.int(4)] = 10 + r.int(246);
          return bytesCase('label out of range', src, b, read);
        }
        default:
          return bytesCase('empty', src, new Uint8Array(0), read);
      }
    },
  };
}

// ---------- images (sharp) ----------
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** PNG with IHDR width/height rewritten and its CRC fixed, so only the declared size is wrong. */
function pngWithSize(png: Uint8Array, w: number, h: number): Uint8Array {
  const b = png.slice();
  const v = new DataView(b.buffer);
  v.setUint32(16, w);
  v.setUint32(20, h);
  v.setUint32(29, crc32(b.subarray(12, 29)));
  return b;
}

/** JPEG with the SOF0 frame's height/width rewritten. */
function jpegWithSize(jpg: Uint8Array, w: number, h: number): Uint8Array {
  const b = jpg.slice();
  for (let i = 2; i < b.length - 9; i++) {
    if (b[i] === 0xff && (b[i + 1] === 0xc0 || b[i + 1] === 0xc2)) {
      const v = new DataView(b.buffer);
      v.setUint16(i + 5, h);
      v.setUint16(i + 7, w);
      return b;
    }
  }
  throw new Error('no SOF marker');
}

export async function imageSweep(cases: number): Promise<ReaderSweep> {
  const raw = Buffer.from(new Uint8Array(16 * 16 * 3).map((_, k) => (k * 13) % 256));
  const img = () => sharp(raw, { raw: { width: 16, height: 16, channels: 3 } });
  const png = new Uint8Array(await img().png().toBuffer());
  const jpg = new Uint8Array(await img().jpeg({ quality: 90 }).toBuffer());
  return {
    reader: 'images (datasets, sharp)',
    seed: 3,
    cases,
    errors: ['DatasetError'],
    make(r, i) {
      const isPng = r.int(2) === 0;
      const base = isPng ? png : jpg;
      const src = `photo-${i}.${isPng ? 'png' : 'jpg'}`;
      const read = (b: Uint8Array) => decodeImage(b, src);
      switch (r.int(6)) {
        case 0:
          return bytesCase('truncate', src, truncate(base, r), read);
        case 1:
          return bytesCase('flip header bits', src, flipBits(base, r, 0, Math.min(base.length, 64)), read);
        case 2:
          return bytesCase('flip bits', src, flipBits(base, r), read);
        case 3:
          return bytesCase('scribble', src, scribble(base, r), read);
        case 4: {
          const [w, h] = r.pick([
            [0x7fffffff, 0x7fffffff],
            [65535, 65535],
            [1_000_000, 1],
            [0, 16],
            [50_000, 50_000],
          ] as const);
          const b = isPng ? pngWithSize(png, w, h) : jpegWithSize(jpg, Math.min(w, 65535), Math.min(h, 65535));
          return bytesCase(`declared size ${w}x${h}`, src, b, read);
        }
        default:
          return bytesCase('not an image', src, new TextEncoder().encode('<html>not an image</html>'), read);
      }
    },
  };
}
