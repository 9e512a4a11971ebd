import { describe, expect, it } from 'vitest';
import { WeightImportError, parseTfjsModelJson, readTfjsWeights, type TfjsModelJson } from '../src/index.js';

/** Little-endian bytes of values in a dtype. */
function bytesOf(kind: 'f32' | 'i32' | 'u8' | 'u16', values: number[]): Uint8Array {
  const size = kind === 'u8' ? 1 : kind === 'u16' ? 2 : 4;
  const out = new Uint8Array(values.length * size);
  const v = new DataView(out.buffer);
  values.forEach((x, i) => {
    if (kind === 'f32') v.setFloat32(i * 4, x, true);
    else if (kind === 'i32') v.setInt32(i * 4, x, true);
    else if (kind === 'u16') v.setUint16(i * 2, x, true);
    else v.setUint8(i, x);
  });
  return out;
}

const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

describe('readTfjsWeights', () => {
  it('reads weights spanning shard boundaries and dequantises uint8, uint16, float16 and int32', async () => {
    const group1 = concat(
      bytesOf('f32', [1.5, -2, 3.25, 4, 5, 6]), // a: 2x3 float32
      bytesOf('u8', [0, 10, 255]), // q8: scale 0.5 min -1
      bytesOf('u16', [0, 1000]), // q16: scale 0.001 min 2
      bytesOf('u16', [0x3c00, 0xc000, 0x7bff]), // h: float16 1, -2, 65504
      bytesOf('i32', [-7, 9]), // n: int32
    );
    // Cut into 7-byte shards so weights straddle shard boundaries.
    const shards = new Map<string, Uint8Array>();
    const paths: string[] = [];
    for (let i = 0; i * 7 < group1.length; i++) {
      paths.push(`g1-shard${i + 1}`);
      shards.set(`g1-shard${i + 1}`, group1.subarray(i * 7, i * 7 + 7));
    }
    shards.set('g2', bytesOf('f32', [42]));
    const model: TfjsModelJson = parseTfjsModelJson(
      {
        weightsManifest: [
          {
            paths,
            weights: [
              { name: 'a', shape: [2, 3], dtype: 'float32' },
              { name: 'q8', shape: [3], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } },
              { name: 'q16', shape: [2], dtype: 'float32', quantization: { dtype: 'uint16', scale: 0.001, min: 2 } },
              { name: 'h', shape: [3], dtype: 'float32', quantization: { dtype: 'float16' } },
              { name: 'n', shape: [2], dtype: 'int32' },
            ],
          },
          { paths: ['g2'], weights: [{ name: 'b', shape: [], dtype: 'float32' }] },
        ],
      },
      'model.json',
    );
    const w = await readTfjsWeights(model, async (p) => shards.get(p)!, 'model.json');
    expect([...w.keys()]).toEqual(['a', 'q8', 'q16', 'h', 'n', 'b']);
    expect(w.get('a')!.shape).toEqual([2, 3]);
    expect(Array.from(w.get('a')!.data)).toEqual([1.5, -2, 3.25, 4, 5, 6]);
    expect(Array.from(w.get('q8')!.data)).toEqual([-1, 4, 126.5]);
    expect(Array.from(w.get('q16')!.data)).toEqual([2, Math.fround(1000 * 0.001 + 2)]);
    expect(Array.from(w.get('h')!.data)).toEqual([1, -2, 65504]);
    expect(Array.from(w.get('n')!.data)).toEqual([-7, 9]);
    expect(w.get('b')!.shape).toEqual([]);
    expect(Array.from(w.get('b')!.data)).toEqual([42]);
  });

  it('fails naming the weight when the shards are too short, and when bytes are left over', async () => {
    const model = parseTfjsModelJson({ weightsManifest: [{ paths: ['s1'], weights: [{ name: 'k', shape: [3], dtype: 'float32' }] }] }, 'm.json');
    await expect(readTfjsWeights(model, async () => new Uint8Array(8), 'm.json')).rejects.toThrow(
      /m\.json: weight 'k' needs bytes \[0, 12\) but the shards of group 0 \(s1\) hold 8/,
    );
    await expect(readTfjsWeights(model, async () => new Uint8Array(16), 'm.json')).rejects.toThrow(/group 0 hold 16 bytes but its weights describe 12/);
  });

  it('rejects duplicate names', async () => {
    const model = parseTfjsModelJson(
      {
        weightsManifest: [
          {
            paths: ['s'],
            weights: [
              { name: 'k', shape: [1], dtype: 'float32' },
              { name: 'k', shape: [1], dtype: 'float32' },
            ],
          },
        ],
      },
      'm.json',
    );
    await expect(readTfjsWeights(model, async () => new Uint8Array(8), 'm.json')).rejects.toThrow(/weight 'k' appears twice/);
  });
});

describe('parseTfjsModelJson', () => {
  const bad: [string, unknown, RegExp][] = [
    ['no manifest', {}, /weightsManifest is missing/],
    [
      'a string dtype',
      { weightsManifest: [{ paths: [], weights: [{ name: 's', shape: [1], dtype: 'string' }] }] },
      /weight 's': dtype "string" is not one of float32, int32, bool/,
    ],
    [
      'an unknown quantization',
      { weightsManifest: [{ paths: [], weights: [{ name: 'q', shape: [1], dtype: 'float32', quantization: { dtype: 'int4' } }] }] },
      /weight 'q': quantization dtype "int4"/,
    ],
    [
      'uint8 without scale',
      { weightsManifest: [{ paths: [], weights: [{ name: 'q', shape: [1], dtype: 'float32', quantization: { dtype: 'uint8' } }] }] },
      /weight 'q': uint8 quantization needs numeric scale and min/,
    ],
    [
      'a bad shape',
      { weightsManifest: [{ paths: [], weights: [{ name: 'x', shape: [-2], dtype: 'float32' }] }] },
      /weight 'x': shape must be non-negative integers/,
    ],
  ];
  for (const [what, json, message] of bad) {
    it(`rejects ${what}`, () => {
      expect(() => parseTfjsModelJson(json, 'm.json')).toThrow(WeightImportError);
      expect(() => parseTfjsModelJson(json, 'm.json')).toThrow(message);
    });
  }
});
