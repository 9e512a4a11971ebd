// Parsing IDX bytes already in memory (no fs, no zlib): the Node loaders (idx.ts) and a page that fetched the
// files (@convzoo/datasets/browser) share it. Format: a 4-byte magic [0, 0, dtype code, ndim], ndim big-endian
// uint32 dimensions, then the values, big-endian, row-major.
import { DatasetError } from './errors.js';

export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  dtype: IdxDtype;
  shape: number[];
  data: IdxData;
}

/** What a caller requires of a file; a mismatch is a DatasetError naming the file, the expected and found values. */
export interface IdxExpectation {
  dtype?: IdxDtype;
  ndim?: number;
  /** Required dimensions; `null` accepts any size on that axis. */
  shape?: (number | null)[];
}

const DTYPES: Record<number, { name: IdxDtype; bytes: number }> = {
  8: { name: 'uint8', bytes: 1 },
  9: { name: 'int8', bytes: 1 },
  11: { name: 'int16', bytes: 2 },
  12: { name: 'int32', bytes: 4 },
  13: { name: 'float32', bytes: 4 },
  14: { name: 'float64', bytes: 8 },
};

const hex = (v: number, width = 2): string => `0x${v.toString(16).padStart(width, '0')}`;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Parses IDX bytes (already decompressed). `source` names the file in errors. */
export function parseIdx(bytes: Uint8Array, source: string, expect: IdxExpectation = {}): IdxArray {
  if (bytes.length < 4) {
    throw new DatasetError(`${source}: IDX file too short: expected at least a 4-byte header, found ${bytes.length} bytes`, source);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const code = bytes[2] ?? 0;
  const ndim = bytes[3] ?? 0;
  const dtype = DTYPES[code];
  if (bytes[0] !== 0 || bytes[1] !== 0 || !dtype) {
    const known = Object.entries(DTYPES)
      .map(([c, d]) => `${hex(Number(c))} ${d.name}`)
      .join(', ');
    throw new DatasetError(
      `${source}: not an IDX file: magic number ${hex(magic, 8)}; expected 0x0000TTNN with type code TT one of ` +
        `${known} (MNIST images are 0x00000803, labels 0x00000801)`,
      source,
    );
  }
  if (expect.dtype && expect.dtype !== dtype.name) {
    throw new DatasetError(`${source}: expected IDX type ${expect.dtype}, found ${dtype.name} (code ${hex(code)})`, source);
  }
  const wantNdim = expect.ndim ?? expect.shape?.length;
  if (wantNdim !== undefined && ndim !== wantNdim) {
    throw new DatasetError(
      `${source}: expected ${wantNdim} dimensions (magic ${hex(((code << 8) | wantNdim) >>> 0, 8)}), found ${ndim} (magic ${hex(magic, 8)})`,
      source,
    );
  }
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < headerBytes) {
    throw new DatasetError(`${source}: truncated IDX header: expected ${headerBytes} bytes for ${ndim} dimensions, found ${bytes.length}`, source);
  }
  const shape: number[] = [];
  for (let i = 0; i < ndim; i++) shape.push(view.getUint32(4 + 4 * i));
  expect.shape?.forEach((want, axis) => {
    if (want !== null && shape[axis] !== want) {
      throw new DatasetError(`${source}: expected shape [${expect.shape?.map((d) => d ?? '*').join(', ')}], found [${shape.join(', ')}]`, source);
    }
  });
  const count = shape.reduce((a, b) => a * b, 1);
  const expectedBytes = headerBytes + count * dtype.bytes;
  if (bytes.length !== expectedBytes) {
    const what = bytes.length < expectedBytes ? 'truncated' : 'has trailing bytes';
    throw new DatasetError(
      `${source}: IDX file ${what}: header says [${shape.join(', ')}] ${dtype.name} = ${expectedBytes} bytes, found ${bytes.length} bytes`,
      source,
    );
  }
  return { dtype: dtype.name, shape, data: decodeValues(bytes, headerBytes, count, dtype.name) };
}

// Bytes are returned as a view (no copy); wider types are big-endian on disk and decoded into a native array.
function decodeValues(bytes: Uint8Array, offset: number, count: number, dtype: IdxDtype): IdxData {
  if (dtype === 'uint8') return bytes.subarray(offset, offset + count);
  if (dtype === 'int8') return new Int8Array(bytes.buffer, bytes.byteOffset + offset, count);
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset);
  switch (dtype) {
    case 'int16':
      return Int16Array.from({ length: count }, (_, i) => view.getInt16(2 * i));
    case 'int32':
      return Int32Array.from({ length: count }, (_, i) => view.getInt32(4 * i));
    case 'float32':
      return Float32Array.from({ length: count }, (_, i) => view.getFloat32(4 * i));
    case 'float64':
      return Float64Array.from({ length: count }, (_, i) => view.getFloat64(8 * i));
  }
}
