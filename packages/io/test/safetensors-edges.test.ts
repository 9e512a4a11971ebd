// safetensors edge cases the round trip and the Python fixture do not reach: files with no tensors, empty tensors
// between others, every integer dtype at its limits, float16/float64 special values, headers padded by other writers,
// views into a larger buffer, and each header field malformed (an error naming the file and the tensor).
import { describe, expect, it } from 'vitest';
import { readSafetensors, SafetensorsError, writeSafetensors } from '../src/index.js';

/** A file from header text and data bytes (the header length as given, or the text's). */
function file(headerText: string, data: Uint8Array = new Uint8Array(), declared?: number): Uint8Array {
  const json = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(declared ?? json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** One tensor `t` of `dtype` and shape [n] over little-endian bytes written by `put`. */
function oneTensor(dtype: string, bytesPer: number, values: number[] | bigint[], put: (v: DataView, i: number, x: never) => void) {
  const data = new Uint8Array(bytesPer * values.length);
  const view = new DataView(data.buffer);
  values.forEach((x, i) => put(view, i, x as never));
  const header = JSON.stringify({ t: { dtype, shape: [values.length], data_offsets: [0, data.length] } });
  return [...readSafetensors(file(header, data), 'mem').weights.t!.data];
}

const message = (bytes: Uint8Array) => {
  try {
    readSafetensors(bytes, 'edge.safetensors');
  } catch (e) {
    expect(e).toBeInstanceOf(SafetensorsError);
    return (e as Error).message;
  }
  throw new Error('read without an error');
};

describe('safetensors: files at the edges', () => {
  it('a file with no tensors: written as an 8-byte-padded "{}" and read back empty; metadata alone too', () => {
    const bytes = writeSafetensors({});
    expect(bytes.length).toBe(16);
    expect(new TextDecoder().decode(bytes.subarray(8))).toBe('{}      ');
    expect(readSafetensors(bytes)).toEqual({ weights: {}, metadata: {} });
    expect(readSafetensors(writeSafetensors({}, { note: 'only metadata' }))).toEqual({ weights: {}, metadata: { note: 'only metadata' } });
  });

  it('empty tensors take no bytes, wherever they sit among the others', () => {
    const weights = {
      a: { shape: [0], data: new Float32Array() },
      b: { shape: [2], data: Float32Array.of(1, 2) },
      c: { shape: [3, 0, 2], data: new Float32Array() },
      d: { shape: [1], data: Float32Array.of(3) },
    };
    const back = readSafetensors(writeSafetensors(weights)).weights;
    expect(Object.fromEntries(Object.entries(back).map(([k, t]) => [k, { shape: t.shape, data: [...t.data] }]))).toEqual({
      a: { shape: [0], data: [] },
      b: { shape: [2], data: [1, 2] },
      c: { shape: [3, 0, 2], data: [] },
      d: { shape: [1], data: [3] },
    });
    // A hand-written header with an empty tensor at [8, 8] between two others.
    const data = new Uint8Array(12);
    const header = {
      x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
      e: { dtype: 'F32', shape: [0, 5], data_offsets: [8, 8] },
      y: { dtype: 'F32', shape: [], data_offsets: [8, 12] },
    };
    expect(Object.keys(readSafetensors(file(JSON.stringify(header), data)).weights)).toEqual(['x', 'e', 'y']);
  });

  it('F32 values come back bit for bit: -0, NaN, ±Infinity and subnormals (checkpoint loading refuses non-finite ones)', () => {
    const values = [-0, Number.NaN, Infinity, -Infinity, 2 ** -149, Math.fround(3.4e38)];
    const back = readSafetensors(writeSafetensors({ v: { shape: [6], data: Float32Array.from(values) } })).weights.v!.data;
    expect([...back]).toEqual(values);
    expect(Object.is(back[0], -0)).toBe(true);
  });

  it('every integer dtype at its limits, converted to float32 (rounded where float32 cannot hold them)', () => {
    expect(oneTensor('I8', 1, [-128, 127, -1], (v, i, x) => v.setInt8(i, x))).toEqual([-128, 127, -1]);
    expect(oneTensor('U8', 1, [0, 255], (v, i, x) => v.setUint8(i, x))).toEqual([0, 255]);
    expect(oneTensor('I16', 2, [-32768, 32767], (v, i, x) => v.setInt16(2 * i, x, true))).toEqual([-32768, 32767]);
    expect(oneTensor('U16', 2, [65535, 1], (v, i, x) => v.setUint16(2 * i, x, true))).toEqual([65535, 1]);
    expect(oneTensor('I32', 4, [-(2 ** 31), 2 ** 31 - 1], (v, i, x) => v.setInt32(4 * i, x, true))).toEqual([-(2 ** 31), 2 ** 31]);
    expect(oneTensor('U32', 4, [2 ** 32 - 1, 16777217], (v, i, x) => v.setUint32(4 * i, x, true))).toEqual([2 ** 32, 16777216]);
    expect(oneTensor('I64', 8, [-(2n ** 63n), 5n], (v, i, x) => v.setBigInt64(8 * i, x, true))).toEqual([-(2 ** 63), 5]);
    expect(oneTensor('U64', 8, [2n ** 64n - 1n, 0n], (v, i, x) => v.setBigUint64(8 * i, x, true))).toEqual([2 ** 64, 0]);
    // BOOL: any non-zero byte is true.
    expect(oneTensor('BOOL', 1, [0, 1, 2, 255], (v, i, x) => v.setUint8(i, x))).toEqual([0, 1, 1, 1]);
  });

  it('float16 and float64 special values: infinities, NaN, -0, subnormals, overflow', () => {
    const half = oneTensor('F16', 2, [0x7c00, 0xfc00, 0x7e00, 0x8000, 0x0001, 0x3c00], (v, i, x) => v.setUint16(2 * i, x, true));
    expect(half).toEqual([Infinity, -Infinity, Number.NaN, -0, 2 ** -24, 1]);
    expect(Object.is(half[3], -0)).toBe(true);
    const double = oneTensor('F64', 8, [1e300, -1e-300, 0.1], (v, i, x) => v.setFloat64(8 * i, x, true));
    expect(double).toEqual([Infinity, -0, Math.fround(0.1)]);
    // bfloat16 NaN and infinity are float32's top halves.
    expect(oneTensor('BF16', 2, [0x7f80, 0xffc0], (v, i, x) => v.setUint16(2 * i, x, true))).toEqual([Infinity, Number.NaN]);
  });

  it('reads headers padded with spaces, tabs or newlines (other writers pad), and not with NUL bytes', () => {
    const data = new Uint8Array(4);
    new DataView(data.buffer).setFloat32(0, 1.5, true);
    const entry = JSON.stringify({ w: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } });
    for (const pad of ['   ', '\n\t  \r\n', '']) expect([...readSafetensors(file(entry + pad, data)).weights.w!.data]).toEqual([1.5]);
    expect(message(file(`${entry}\0\0\0`, data))).toMatch(/^edge\.safetensors: header is not valid UTF-8 JSON/);
  });

  it('reads a file that is a view into a larger buffer (byteOffset not 0, not 4-aligned)', () => {
    const bytes = writeSafetensors({ w: { shape: [3], data: Float32Array.of(1, -2, 0.5) } }, { k: 'v' });
    const big = new Uint8Array(bytes.length + 7);
    big.set(bytes, 3);
    const back = readSafetensors(big.subarray(3, 3 + bytes.length));
    expect([...back.weights.w!.data]).toEqual([1, -2, 0.5]);
    expect(back.metadata).toEqual({ k: 'v' });
  });

  it('keeps names with slashes, dots, spaces and non-ASCII letters; metadata values may be any string', () => {
    const names = ['block.1/conv 2/kernel', 'schicht/gewichtü', '层/偏置'];
    const weights = Object.fromEntries(names.map((n, i) => [n, { shape: [1], data: Float32Array.of(i) }]));
    const back = readSafetensors(writeSafetensors(weights, { '': '', json: '{"a": [1]}', multi: 'line\nbreak' }));
    expect(Object.keys(back.weights)).toEqual(names);
    expect(back.metadata).toEqual({ '': '', json: '{"a": [1]}', multi: 'line\nbreak' });
  });
});

describe('safetensors: malformed headers name the file and what is wrong', () => {
  const four = new Uint8Array(4);
  it.each<[string, Uint8Array, RegExp]>([
    ['an empty header (length 0)', file(''), /header is not valid UTF-8 JSON/],
    ['a header that is not UTF-8', file('{"w"', new Uint8Array(), undefined).map((b, i) => (i === 9 ? 0xff : b)), /header is not valid UTF-8 JSON/],
    ['a JSON string as the header', file('"tensors"'), /header must be a JSON object/],
    ['null as the header', file('null'), /header must be a JSON object/],
    ['__metadata__ null', file('{"__metadata__": null}'), /__metadata__ must be an object of strings/],
    ['__metadata__ an array', file('{"__metadata__": ["a"]}'), /__metadata__ must be an object of strings/],
    ['a metadata value null', file('{"__metadata__": {"epoch": null}}'), /__metadata__\['epoch'\] must be a string, got null/],
    ['an entry that is a number', file('{"w": 3}'), /tensor 'w': header entry must be an object/],
    ['an entry without a dtype', file('{"w": {"shape": [1], "data_offsets": [0, 4]}}', four), /tensor 'w': dtype missing/],
    ['a lower-case dtype', file('{"w": {"dtype": "f32", "shape": [1], "data_offsets": [0, 4]}}', four), /tensor 'w': unsupported dtype 'f32'/],
    ['a shape that is not an array', file('{"w": {"dtype": "F32", "shape": 1, "data_offsets": [0, 4]}}', four), /tensor 'w': shape must be an array/],
    ['a fractional dimension', file('{"w": {"dtype": "F32", "shape": [0.5], "data_offsets": [0, 4]}}', four), /tensor 'w': shape must be an array/],
    ['three data offsets', file('{"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4, 8]}}', four), /tensor 'w': data_offsets must be \[begin, end\]/],
    ['an offset past 2^53', file('{"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 9007199254740993]}}', four), /tensor 'w': data_offsets must be/],
    [
      'a shape whose byte size overflows',
      file('{"w": {"dtype": "F64", "shape": [4294967296, 4294967296], "data_offsets": [0, 4]}}', four),
      /tensor 'w': shape \[4294967296, 4294967296\] × F64 needs/,
    ],
  ])('%s', (_what, bytes, want) => {
    const m = message(bytes);
    expect(m).toMatch(/^edge\.safetensors: /);
    expect(m).toMatch(want);
  });

  it('refuses on write what it could not read back: non-float32 data, bad shapes, non-string metadata', () => {
    expect(() => writeSafetensors({ w: { shape: [1], data: Float64Array.of(1) as unknown as Float32Array } })).toThrow(
      /tensor 'w': data must be a Float32Array/,
    );
    expect(() => writeSafetensors({ w: { shape: [1.5], data: Float32Array.of(1) } })).toThrow(/tensor 'w': shape \[1.5\] must hold non-negative integers/);
    expect(() => writeSafetensors({ w: { shape: [-1], data: Float32Array.of(1) } })).toThrow(SafetensorsError);
    expect(() => writeSafetensors({}, { epoch: 3 as unknown as string })).toThrow(/metadata 'epoch' must be a string, got number/);
  });
});
