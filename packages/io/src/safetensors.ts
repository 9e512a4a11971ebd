// safetensors (https://github.com/huggingface/safetensors), convzoo's checkpoint format.
// Layout: u64 little-endian header length N, N bytes of UTF-8 JSON header, then the tensor bytes.
// Header: { "<name>": { dtype, shape, data_offsets: [begin, end] }, "__metadata__"?: { str: str } },
// offsets relative to the end of the header. Rules enforced like the reference reader (safetensors/src/tensor.rs):
// header at most 100 MB and inside the file, valid JSON object, known dtype, shape × dtype size == byte length,
// offsets in range and the tensors tiling the data area exactly (no overlap, no gap, nothing after the last one).
//
// Dtypes: we write F32 only (convzoo's Tensor is float32). We read F32 natively and convert F16, BF16, F64, I8, I16,
// I32, I64, U8, U16, U32, U64 and BOOL to float32 (values outside float32's exact range round). F8 variants and any
// other dtype are rejected with a SafetensorsError naming the tensor.
import type { Tensor, WeightMap } from '@convzoo/backend';
import { describeValue } from '@convzoo/models';
import { float16ToFloat32 } from './float16.js';

/** Largest header the reference implementation accepts (safetensors MAX_HEADER_SIZE). */
export const MAX_HEADER_BYTES = 100_000_000;

export class SafetensorsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SafetensorsError';
  }
}

export interface SafetensorsFile {
  weights: WeightMap;
  /** The `__metadata__` string map (empty when absent). */
  metadata: Record<string, string>;
}

const DTYPE_BYTES: Record<string, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U64: 8,
  U32: 4,
  U16: 2,
  U8: 1,
  BOOL: 1,
};

/** Serialises float32 tensors (in the map's key order) with optional string metadata. */
export function writeSafetensors(weights: WeightMap, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new SafetensorsError(`metadata '${k}' must be a string, got ${typeof v}`);
    }
    header.__metadata__ = metadata;
  }
  let offset = 0;
  const entries = Object.entries(weights);
  for (const [name, t] of entries) {
    if (name === '__metadata__') throw new SafetensorsError(`tensor name '__metadata__' is reserved`);
    checkTensor(name, t);
    const bytes = t.data.length * 4;
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  // Pad with spaces so the data starts 8-byte aligned (the reference writer does the same).
  const headerLen = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLen + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerLen), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLen);
  let pos = 8 + headerLen;
  for (const [, t] of entries) {
    // Copy through a little-endian view so the file is right on any host byte order.
    const dst = new DataView(out.buffer, pos, t.data.length * 4);
    for (let i = 0; i < t.data.length; i++) dst.setFloat32(i * 4, t.data[i]!, true);
    pos += t.data.length * 4;
  }
  return out;
}

function checkTensor(name: string, t: Tensor): void {
  if (!(t.data instanceof Float32Array)) throw new SafetensorsError(`tensor '${name}': data must be a Float32Array`);
  if (!t.shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new SafetensorsError(`tensor '${name}': shape [${t.shape.join(', ')}] must hold non-negative integers`);
  }
  const n = t.shape.reduce((a, b) => a * b, 1);
  if (n !== t.data.length) {
    throw new SafetensorsError(`tensor '${name}': shape [${t.shape.join(', ')}] holds ${n} values but data has ${t.data.length}`);
  }
}

interface HeaderEntry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

/**
 * Parses a safetensors file. `source` (a path or label) prefixes every error message.
 * Tensors come back in header order of their offsets, as float32.
 */
export function readSafetensors(bytes: Uint8Array, source = '<safetensors>'): SafetensorsFile {
  const fail = (msg: string): never => {
    throw new SafetensorsError(`${source}: ${msg}`);
  };
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes, shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n64 = view.getBigUint64(0, true);
  if (n64 > BigInt(MAX_HEADER_BYTES)) fail(`header length ${n64} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  const n = Number(n64);
  if (8 + n > bytes.length) fail(`header length ${n} runs past the end of the file (${bytes.length} bytes)`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    fail(`header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail('header must be a JSON object');
  const header = parsed as Record<string, unknown>;

  const metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(`__metadata__ must be an object of strings`);
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`__metadata__['${k}'] must be a string, got ${describeValue(v)}`);
        metadata[k] = v as string;
      }
      continue;
    }
    entries.push(parseEntry(name, raw, fail));
  }

  // The data area must be tiled exactly: sorted by begin, each starts where the previous ended.
  const dataStart = 8 + n;
  const dataLen = bytes.length - dataStart;
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const e of sorted) {
    if (e.end > dataLen) fail(`tensor '${e.name}': data_offsets [${e.begin}, ${e.end}] run past the data area (${dataLen} bytes)`);
    if (e.begin < expected) fail(`tensor '${e.name}': data_offsets [${e.begin}, ${e.end}] overlap the previous tensor (which ends at ${expected})`);
    if (e.begin > expected) fail(`tensor '${e.name}': data_offsets [${e.begin}, ${e.end}] leave a gap after byte ${expected}`);
    expected = e.end;
  }
  if (expected !== dataLen) fail(`${dataLen - expected} bytes after the last tensor are not described by the header`);

  const weights: WeightMap = {};
  for (const e of sorted) {
    weights[e.name] = { shape: e.shape, data: decode(e, bytes.subarray(dataStart + e.begin, dataStart + e.end)) };
  }
  return { weights, metadata };
}

function parseEntry(name: string, raw: unknown, fail: (m: string) => never): HeaderEntry {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(`tensor '${name}': header entry must be an object`);
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (typeof dtype !== 'string') fail(`tensor '${name}': dtype missing`);
  const size = DTYPE_BYTES[dtype as string];
  if (size === undefined) {
    fail(`tensor '${name}': unsupported dtype '${String(dtype)}' (convzoo reads ${Object.keys(DTYPE_BYTES).join(', ')})`);
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    fail(`tensor '${name}': shape must be an array of non-negative integers, got ${describeValue(shape)}`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    fail(`tensor '${name}': data_offsets must be [begin, end] non-negative integers, got ${describeValue(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) fail(`tensor '${name}': data_offsets [${begin}, ${end}] end before they begin`);
  const count = (shape as number[]).reduce((a, b) => a * b, 1);
  if (count * size! !== end - begin) {
    fail(
      `tensor '${name}': shape [${(shape as number[]).join(', ')}] × ${dtype} needs ${count * size!} bytes but data_offsets [${begin}, ${end}] span ${end - begin}`,
    );
  }
  return { name, dtype: dtype as string, shape: shape as number[], begin, end };
}

function decode(e: HeaderEntry, raw: Uint8Array): Float32Array {
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const n = raw.byteLength / DTYPE_BYTES[e.dtype]!;
  const out = new Float32Array(n);
  const read = READERS[e.dtype]!;
  for (let i = 0; i < n; i++) out[i] = read(v, i);
  return out;
}

const READERS: Record<string, (v: DataView, i: number) => number> = {
  F32: (v, i) => v.getFloat32(i * 4, true),
  F64: (v, i) => v.getFloat64(i * 8, true),
  F16: (v, i) => float16ToFloat32(v.getUint16(i * 2, true)),
  // bfloat16 is the top half of a float32.
  BF16: (v, i) => bf16(v.getUint16(i * 2, true)),
  I8: (v, i) => v.getInt8(i),
  I16: (v, i) => v.getInt16(i * 2, true),
  I32: (v, i) => v.getInt32(i * 4, true),
  I64: (v, i) => Number(v.getBigInt64(i * 8, true)),
  U8: (v, i) => v.getUint8(i),
  U16: (v, i) => v.getUint16(i * 2, true),
  U32: (v, i) => v.getUint32(i * 4, true),
  U64: (v, i) => Number(v.getBigUint64(i * 8, true)),
  BOOL: (v, i) => (v.getUint8(i) === 0 ? 0 : 1),
};

const bf16Scratch = new DataView(new ArrayBuffer(4));
function bf16(bits: number): number {
  bf16Scratch.setUint32(0, bits << 16, false);
  return bf16Scratch.getFloat32(0, false);
}
