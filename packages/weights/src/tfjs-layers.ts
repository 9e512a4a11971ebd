// Weights saved in TensorFlow.js layers format (`tensorflowjs_converter`): model.json holds `weightsManifest`, a list
// of groups; each group's shard files, concatenated in order, hold that group's weights back to back (so a weight
// may start in one shard and end in the next). Quantised weights (tfjs-core io `quantization`) are dequantised:
// uint8/uint16 -> q * scale + min, float16 -> half precision. float32, int32 and bool become float32.
import type { Tensor } from '@convzoo/backend';
import { describeValue } from '@convzoo/models';
import { float16ToFloat32 } from '@convzoo/io/browser';

export class WeightImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WeightImportError';
  }
}

export interface TfjsQuantization {
  dtype: 'uint8' | 'uint16' | 'float16';
  scale?: number;
  min?: number;
}

export interface TfjsWeightEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: TfjsQuantization;
}

export interface TfjsWeightsGroup {
  paths: string[];
  weights: TfjsWeightEntry[];
}

/** The parts of a tfjs-layers model.json that weight import reads. */
export interface TfjsModelJson {
  format?: string;
  generatedBy?: string;
  modelTopology?: unknown;
  weightsManifest: TfjsWeightsGroup[];
}

/** Stored bytes per element of each dtype the format allows (before dequantisation). */
const STORED_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** Checks model.json's shape, naming `source` and the first thing wrong. */
export function parseTfjsModelJson(json: unknown, source: string): TfjsModelJson {
  const fail = (m: string): never => {
    throw new WeightImportError(`${source}: ${m}`);
  };
  if (typeof json !== 'object' || json === null) fail('model.json must be a JSON object');
  const manifest = (json as { weightsManifest?: unknown }).weightsManifest;
  if (!Array.isArray(manifest)) fail('weightsManifest is missing or not an array');
  (manifest as unknown[]).forEach((g, gi) => {
    const group = g as Partial<TfjsWeightsGroup>;
    if (!Array.isArray(group.paths) || !group.paths.every((p) => typeof p === 'string')) fail(`weightsManifest[${gi}].paths must be an array of file names`);
    if (!Array.isArray(group.weights)) fail(`weightsManifest[${gi}].weights must be an array`);
    for (const w of group.weights as Partial<TfjsWeightEntry>[]) {
      if (typeof w.name !== 'string') fail(`weightsManifest[${gi}] has a weight without a name`);
      if (!Array.isArray(w.shape) || !w.shape.every((d) => Number.isInteger(d) && d >= 0))
        fail(`weight '${w.name}': shape must be non-negative integers, got ${describeValue(w.shape)}`);
      if (typeof w.dtype !== 'string' || !(w.dtype in STORED_BYTES) || w.dtype === 'uint8' || w.dtype === 'uint16' || w.dtype === 'float16') {
        fail(`weight '${w.name}': dtype ${describeValue(w.dtype)} is not one of float32, int32, bool`);
      }
      const q = w.quantization;
      if (q !== undefined && (typeof q !== 'object' || q === null || Array.isArray(q)))
        fail(`weight '${w.name}': quantization must be an object, got ${describeValue(q)}`);
      if (q !== undefined) {
        if (!['uint8', 'uint16', 'float16'].includes(q.dtype))
          fail(`weight '${w.name}': quantization dtype ${describeValue(q.dtype)} is not uint8, uint16 or float16`);
        if (q.dtype !== 'float16' && (typeof q.scale !== 'number' || typeof q.min !== 'number'))
          fail(`weight '${w.name}': ${q.dtype} quantization needs numeric scale and min`);
      }
    }
  });
  return json as TfjsModelJson;
}

/**
 * Reads every weight of the manifest, in manifest order. `readShard(path)` returns a shard's bytes (paths as in the
 * manifest, relative to model.json). Errors name `source` and the weight or shard at fault.
 */
export async function readTfjsWeights(model: TfjsModelJson, readShard: (path: string) => Promise<Uint8Array>, source: string): Promise<Map<string, Tensor>> {
  const out = new Map<string, Tensor>();
  for (const [gi, group] of model.weightsManifest.entries()) {
    const shards = await Promise.all(
      group.paths.map((p) =>
        readShard(p).catch((e: unknown) => {
          if (e instanceof WeightImportError) throw e;
          throw new WeightImportError(`${source}: cannot read shard '${p}' of group ${gi} (${e instanceof Error ? e.message : String(e)})`);
        }),
      ),
    );
    const total = shards.reduce((a, s) => a + s.byteLength, 0);
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const s of shards) {
      bytes.set(s, at);
      at += s.byteLength;
    }
    let offset = 0;
    for (const w of group.weights) {
      if (out.has(w.name)) throw new WeightImportError(`${source}: weight '${w.name}' appears twice in weightsManifest`);
      const count = w.shape.reduce((a, b) => a * b, 1);
      const stored = w.quantization?.dtype ?? w.dtype;
      const size = count * STORED_BYTES[stored]!;
      if (offset + size > total) {
        throw new WeightImportError(
          `${source}: weight '${w.name}' needs bytes [${offset}, ${offset + size}) but the shards of group ${gi} (${group.paths.join(', ')}) hold ${total}`,
        );
      }
      out.set(w.name, { shape: [...w.shape], data: decodeWeight(w, bytes.subarray(offset, offset + size), count) });
      offset += size;
    }
    if (offset !== total) {
      throw new WeightImportError(`${source}: the shards of group ${gi} hold ${total} bytes but its weights describe ${offset}`);
    }
  }
  return out;
}

function decodeWeight(w: TfjsWeightEntry, raw: Uint8Array, count: number): Float32Array {
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Float32Array(count);
  const q = w.quantization;
  if (q?.dtype === 'float16') {
    for (let i = 0; i < count; i++) out[i] = float16ToFloat32(v.getUint16(i * 2, true));
  } else if (q) {
    const { scale = 1, min = 0 } = q;
    for (let i = 0; i < count; i++) out[i] = (q.dtype === 'uint8' ? v.getUint8(i) : v.getUint16(i * 2, true)) * scale + min;
  } else if (w.dtype === 'float32') {
    for (let i = 0; i < count; i++) out[i] = v.getFloat32(i * 4, true);
  } else if (w.dtype === 'int32') {
    for (let i = 0; i < count; i++) out[i] = v.getInt32(i * 4, true);
  } else {
    for (let i = 0; i < count; i++) out[i] = v.getUint8(i) === 0 ? 0 : 1;
  }
  // int32 weights quantised to uint8/uint16 are rounded back to integers, as tfjs does when it casts them.
  if (q && q.dtype !== 'float16' && w.dtype === 'int32') for (let i = 0; i < count; i++) out[i] = Math.round(out[i]!);
  return out;
}

/**
 * model.json text (or bytes) plus its shards -> weights: parses, checks and reads in one call, every error a
 * WeightImportError naming `source`.
 */
export async function readTfjsModel(
  modelJson: string | Uint8Array,
  readShard: (path: string) => Promise<Uint8Array>,
  source: string,
): Promise<{ model: TfjsModelJson; weights: Map<string, Tensor> }> {
  let json: unknown;
  try {
    json = JSON.parse(typeof modelJson === 'string' ? modelJson : new TextDecoder('utf-8', { fatal: true }).decode(modelJson));
  } catch (e) {
    throw new WeightImportError(`${source}: not valid UTF-8 JSON (${(e as Error).message})`);
  }
  const model = parseTfjsModelJson(json, source);
  return { model, weights: await readTfjsWeights(model, readShard, source) };
}
