// One seeded sweep per model-file reader (safetensors, tfjs-layers, spec JSON, checkpoint directories). Each starts
// from a valid file in the real format and mutates it; each returns one ReaderSweep (fields repeat by interface).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initialWeights, type WeightMap } from '@convzoo/backend';
import { getModel, specFromJSON, specToJSON, type ModelSpec } from '@convzoo/models';
import { DIGESTS_FILE, loadCheckpoint, saveSnapshot } from '@convzoo/train';
import { readSafetensors, readTfjsModel, writeSafetensors } from '@convzoo/weights';
import { appendJunk, BAD_NUMBERS, deepJson, flipBits, mutateJson, mutateJsonText, scribble, truncate } from './mutate.js';
import type { ReaderSweep, SweepCase } from './runner.js';
import { bytesCase, jsonWithInfinity } from './cases.js';

// ---------- safetensors ----------
function safetensorsWithHeader(header: string, data: Uint8Array, declared?: bigint): Uint8Array {
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, declared ?? BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

export function safetensorsSweep(cases: number): ReaderSweep {
  const weights: WeightMap = {
    'conv/kernel': { shape: [3, 3, 1, 2], data: Float32Array.from({ length: 18 }, (_, k) => k / 7 - 1) },
    'conv/bias': { shape: [2], data: Float32Array.from([0.5, -0.5]) },
    'dense/kernel': { shape: [4, 3], data: Float32Array.from({ length: 12 }, (_, k) => k) },
  };
  const base = writeSafetensors(weights, { format: 'convzoo.weights/1' });
  const n = Number(new DataView(base.buffer).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(base.subarray(8, 8 + n))) as Record<string, unknown>;
  const data = base.subarray(8 + n);
  return {
    reader: 'safetensors (weights)',
    seed: 4,
    cases,
    errors: ['SafetensorsError'],
    // The reader returns a file's values as they are (checkpoint loading refuses NaN/Inf); bit flips in the data can
    // make them too.
    mayHoldNonFinite: (c) => c.what === 'NaN/Inf value',
    make(r, i) {
      const src = `weights-${i}.safetensors`;
      const read = (b: Uint8Array) => readSafetensors(b, src);
      switch (r.int(9)) {
        case 0:
          return bytesCase('truncate', src, truncate(base, r), read);
        case 1:
          return bytesCase('flip length/header bits', src, flipBits(base, r, 0, 8 + n), read);
        case 2:
          return bytesCase('flip bits', src, flipBits(base, r), read);
        case 3: {
          const declared = r.pick([2n ** 64n - 1n, 2n ** 53n + 1n, 100_000_001n, BigInt(n + 1), 0n]);
          return bytesCase(`header length ${declared}`, src, safetensorsWithHeader(JSON.stringify(header), data, declared), read);
        }
        case 4: {
          const { value, path } = mutateJson(header, r);
          return bytesCase(`header ${path}`, src, safetensorsWithHeader(jsonWithInfinity(value), data), read);
        }
        case 5: {
          const h = structuredClone(header) as Record<string, { dtype: string; shape: number[]; data_offsets: number[] }>;
          const e = h[r.pick(Object.keys(weights))]!;
          const how = r.int(3);
          if (how === 0) e.dtype = r.pick(['F8_E4M3', 'F8_E5M2', 'C64', 'STR', 'f32', 'I64', 'F16', 'BOOL']);
          else if (how === 1) e.shape = [r.pick(BAD_NUMBERS), r.pick(BAD_NUMBERS)];
          else e.data_offsets = [r.pick(BAD_NUMBERS), r.pick(BAD_NUMBERS)];
          return bytesCase(
            `entry ${how === 0 ? `dtype ${e.dtype}` : how === 1 ? `shape ${e.shape}` : `offsets ${e.data_offsets}`}`,
            src,
            safetensorsWithHeader(jsonWithInfinity(h), data),
            read,
          );
        }
        case 6: {
          const deep = r.int(2) ? deepJson(1000 + r.int(100_000)) : mutateJsonText(JSON.stringify(header), r);
          return bytesCase('header text (deep JSON, truncation, edits)', src, safetensorsWithHeader(deep, data), read);
        }
        case 7: {
          // NaN/Inf values: a valid file; the reader returns them, checkpoint loading refuses them.
          const b = base.slice();
          new DataView(b.buffer).setFloat32(8 + n + 4 * r.int(data.length / 4), r.pick([NaN, Infinity, -Infinity]), true);
          return bytesCase('NaN/Inf value', src, b, read);
        }
        default:
          return bytesCase('scribble', src, scribble(base, r), read);
      }
    },
  };
}

// ---------- tfjs-layers model.json + shards ----------
export function tfjsSweep(cases: number): ReaderSweep {
  const shard = new Uint8Array(4 * 6 + 4 + 2 * 3 + 4 * 2).map((_, k) => (k * 37) % 256);
  const model = {
    format: 'layers-model',
    modelTopology: {},
    weightsManifest: [
      {
        paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'],
        weights: [
          { name: 'conv/kernel', shape: [1, 1, 2, 3], dtype: 'float32' },
          { name: 'conv/bias', shape: [4], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.1, min: -1 } },
          { name: 'bn/gamma', shape: [3], dtype: 'float32', quantization: { dtype: 'float16' } },
          { name: 'steps', shape: [2], dtype: 'int32' },
        ],
      },
    ],
  };
  const shards: Record<string, Uint8Array> = { 'group1-shard1of2.bin': shard.subarray(0, 20), 'group1-shard2of2.bin': shard.subarray(20) };
  const text = JSON.stringify(model);
  return {
    reader: 'tfjs-layers model.json + shards (weights)',
    seed: 5,
    cases,
    errors: ['WeightImportError'],
    make(r, i) {
      const src = `model-${i}/model.json`;
      let json = text;
      let files = shards;
      let what: string;
      switch (r.int(6)) {
        case 0: {
          const m = mutateJson(model, r);
          json = jsonWithInfinity(m.value);
          what = `model.json ${m.path}`;
          break;
        }
        case 1:
          json = mutateJsonText(text, r);
          what = 'model.json text';
          break;
        case 2: {
          const name = r.pick(Object.keys(shards));
          files = { ...shards, [name]: r.int(2) ? truncate(shards[name]!, r) : appendJunk(shards[name]!, r) };
          what = `shard ${name} resized`;
          break;
        }
        case 3: {
          const m = structuredClone(model);
          m.weightsManifest[0]!.weights[r.int(4)]!.shape = [r.pick(BAD_NUMBERS), r.pick(BAD_NUMBERS)];
          json = jsonWithInfinity(m);
          what = 'huge or bad declared shape';
          break;
        }
        case 4: {
          const m = structuredClone(model) as { weightsManifest: { weights: Record<string, unknown>[] }[] };
          const w = m.weightsManifest[0]!.weights[r.int(4)]!;
          if (r.int(2)) w.dtype = r.pick(['float64', 'string', 'complex64', 'uint8', 7]);
          else w.quantization = r.pick([{ dtype: 'uint8' }, { dtype: 'int4', scale: 1, min: 0 }, { dtype: 'uint16', scale: '1', min: 0 }, 'x', null]);
          json = JSON.stringify(m);
          what = `dtype/quantization ${JSON.stringify(w.dtype)} ${JSON.stringify(w.quantization)}`;
          break;
        }
        default: {
          const name = r.pick(Object.keys(shards));
          files = { ...shards };
          delete files[name];
          what = `shard ${name} missing`;
        }
      }
      const readShard = async (p: string) => {
        const b = files[p];
        if (!b) throw Object.assign(new Error(`ENOENT: no such file '${p}'`), { code: 'ENOENT' });
        return b;
      };
      return { what, source: src, bytes: json.length + shard.length, run: () => readTfjsModel(json, readShard, src) };
    },
  };
}

// ---------- spec JSON ----------
export function specJsonSweep(cases: number): ReaderSweep {
  const specs = [getModel('lenet'), getModel('googlenet', { inputShape: [75, 75, 3], classes: 10 })];
  const texts = specs.map((s) => specToJSON(s));
  // A huge but valid spec: 2,000 layers in a chain (validation is linear: 10,000 take ~0.3 s).
  const chain: ModelSpec = structuredClone(specs[0]!);
  chain.layers = [
    chain.layers[0]!,
    ...Array.from({ length: 2000 }, (_, k) => ({
      kind: 'activation' as const,
      name: `a${k}`,
      inputs: [k === 0 ? chain.layers[0]!.name : `a${k - 1}`],
      activation: 'relu' as const,
    })),
  ];
  chain.outputs = ['a1999'];
  const chainText = JSON.stringify(chain);
  return {
    reader: 'spec JSON (spec specFromJSON/validate)',
    seed: 6,
    cases,
    errors: ['SpecError'],
    make(r, i) {
      const src = `spec-${i}.json`;
      const k = r.int(specs.length);
      const read = (t: string) => () => specFromJSON(t, src);
      const mk = (what: string, t: string): SweepCase => ({ what, source: src, bytes: t.length, run: read(t) });
      switch (r.int(5)) {
        case 0:
        case 1: {
          const m = mutateJson(specs[k], r);
          return mk(`field ${m.path}`, jsonWithInfinity(m.value));
        }
        case 2:
          return mk('text', mutateJsonText(texts[k]!, r));
        case 3: {
          const s = structuredClone(specs[k]!) as unknown as { layers: Record<string, unknown>[] };
          const conv = s.layers.find((l) => l.kind === 'conv2d' || l.kind === 'dense')!;
          conv[conv.kind === 'conv2d' ? 'filters' : 'units'] = r.pick([1e12, 2 ** 31, 1e9, 1e300]);
          return mk(`${String(conv.name)} huge width`, JSON.stringify(s));
        }
        default: {
          // Big inputs are slow by nature (~0.1 s each); a few cases of each are enough.
          const k2 = r.int(6);
          if (k2 === 0) return mk('2,000-layer chain', chainText);
          if (k2 === 1) return mk('deep JSON', deepJson(1000 + r.int(100_000)));
          return mk('text', mutateJsonText(texts[k]!, r));
        }
      }
    },
  };
}

// ---------- checkpoint directories ----------
const TINY: ModelSpec = {
  format: 'convzoo.spec/1',
  name: 'tiny',
  inputs: ['in'],
  outputs: ['dense'],
  layers: [
    { kind: 'input', name: 'in', inputs: [], shape: [8, 8, 1] },
    {
      kind: 'conv2d',
      name: 'conv',
      inputs: ['in'],
      filters: 4,
      kernelSize: [3, 3],
      strides: [1, 1],
      padding: 'valid',
      dilation: [1, 1],
      groups: 1,
      useBias: true,
      activation: 'relu',
    },
    { kind: 'flatten', name: 'flat', inputs: ['conv'] },
    { kind: 'dense', name: 'dense', inputs: ['flat'], units: 10, useBias: true, activation: 'softmax' },
  ],
};

export function checkpointSweep(cases: number, verified: boolean): ReaderSweep {
  const root = mkdtempSync(join(tmpdir(), 'sweep-ckpt-'));
  const base = join(root, 'base');
  const weights = initialWeights(TINY, { seed: 1 });
  const slots = Object.fromEntries(
    Object.entries(weights).flatMap(([k, t]) => [
      [`${k}/m`, t],
      [`${k}/v`, t],
    ]),
  );
  const snapDir = saveSnapshot(base, {
    spec: TINY,
    weights,
    optimizer: { step: 12, slots },
    state: { format: 'convzoo.train-state/1', epoch: 1, history: { epoch: [0], history: { loss: [0.7] } }, seed: 3, extra: { dataset: 'mnist' } },
  });
  if (!verified) rmSync(join(snapDir, DIGESTS_FILE));
  const snapName = 'epoch-0001';
  const files = [
    'checkpoint.json',
    `${snapName}/spec.json`,
    `${snapName}/weights.safetensors`,
    `${snapName}/optimizer.safetensors`,
    `${snapName}/state.json`,
    ...(verified ? [`${snapName}/${DIGESTS_FILE}`] : []),
  ];
  const digested = new Set(verified ? files.filter((f) => f.startsWith(snapName) && !f.endsWith(DIGESTS_FILE)) : []);
  let damagedDigested = false;
  return {
    reader: `checkpoint dirs (train), ${verified ? 'with digests' : 'pre-digest (unverified)'}`,
    seed: verified ? 7 : 8,
    cases,
    errors: ['CheckpointError', 'CheckpointIntegrityError', 'SpecError', 'SafetensorsError', 'BackendError'],
    mustReject: () => damagedDigested,
    make(r, i) {
      const dir = join(root, `case-${i}`);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir);
      cpSync(base, dir, { recursive: true });
      const file = r.pick(files);
      const path = join(dir, file);
      const old = new Uint8Array(readFileSync(path));
      let b: Uint8Array | undefined;
      let what: string;
      const m = r.int(file.endsWith('.json') ? 6 : 5);
      if (m === 0) [b, what] = [truncate(old, r), 'truncate'];
      else if (m === 1) [b, what] = [flipBits(old, r), 'flip bits'];
      else if (m === 2) [b, what] = [scribble(old, r), 'scribble'];
      else if (m === 3) [b, what] = [undefined, 'delete'];
      else if (m === 4 && !file.endsWith('.json')) {
        // NaN/Inf inside the tensor data: the file stays well-formed.
        b = old.slice();
        const n = Number(new DataView(b.buffer).getBigUint64(0, true));
        const count = (b.length - 8 - n) / 4;
        new DataView(b.buffer).setFloat32(8 + n + 4 * r.int(count), r.pick([NaN, Infinity, -Infinity]), true);
        what = 'NaN/Inf value';
      } else {
        const mutated = mutateJson(JSON.parse(new TextDecoder().decode(old)), r);
        b = new TextEncoder().encode(jsonWithInfinity(mutated.value));
        what = `field ${mutated.path}`;
      }
      if (b === undefined) rmSync(path);
      else writeFileSync(path, b);
      damagedDigested = digested.has(file) && (b === undefined || Buffer.compare(Buffer.from(b), Buffer.from(old)) !== 0);
      return { what: `${file}: ${what}`, source: dir, bytes: 64 * 1024, run: () => loadCheckpoint(dir) };
    },
  };
}
