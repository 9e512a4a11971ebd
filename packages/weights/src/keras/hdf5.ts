// Keras weight files in HDF5, through h5wasm (the HDF5 C library compiled to WebAssembly; runs in Node and browsers
// on an in-memory file system, so everything here works on bytes). Loaded lazily: only Keras users pay for it.
//
// Layouts read:
// - Keras 3 (`model.weights.h5` inside .keras, and `.weights.h5`): /layers/<class_snake[_n]>/vars/<0..n-1>, the
//   `vars` group carrying the layer's name as attribute `name`; variables in the layer's own order (Conv2D/Dense:
//   kernel, bias; BatchNormalization: gamma, beta, moving_mean, moving_variance).
// - Keras 2 / tf.keras (`model.save_weights('x.h5')`, `model.save('x.h5')` under /model_weights): root attribute
//   `layer_names`, each layer group with attribute `weight_names` (`conv2d/kernel:0`, ...).
import type { Tensor, WeightMap } from '@convzoo/backend';
import { paramInfos, type ModelSpec, type ParamInfo } from '@convzoo/models';
import { float16ToFloat32 } from '@convzoo/io/browser';
import { assertWeightsMatchSpec } from '../match.js';
import { WeightImportError } from '../tfjs-layers.js';

type H5 = typeof import('h5wasm').default;
type H5Group = import('h5wasm').Group;
type H5Dataset = import('h5wasm').Dataset;

let loading: Promise<{ h5: H5; FS: NonNullable<Awaited<H5['ready']>['FS']> }> | undefined;
let counter = 0;

async function h5wasm() {
  loading ??= (async () => {
    const mod = await import('h5wasm');
    const h5 = (mod.default ?? mod) as H5;
    const { FS } = await h5.ready;
    if (!FS) throw new Error('h5wasm started without a file system');
    return { h5, FS };
  })();
  return loading;
}

/** Builds an HDF5 file with `fill` in h5wasm's in-memory file system and returns its bytes. */
export async function writeH5(fill: (file: H5Group) => void): Promise<Uint8Array> {
  const { h5, FS } = await h5wasm();
  const path = `/convzoo-write-${++counter}.h5`;
  const file = new h5.File(path, 'w');
  try {
    fill(file);
  } finally {
    file.close();
  }
  try {
    return new Uint8Array(FS.readFile(path));
  } finally {
    FS.unlink(path);
  }
}

/** Opens HDF5 bytes read-only for `read`; `source` names the file in errors. */
export async function readH5<T>(bytes: Uint8Array, source: string, read: (file: H5Group) => T): Promise<T> {
  const { h5, FS } = await h5wasm();
  // HDF5 files start with the 8-byte signature \x89HDF\r\n\x1a\n (at offset 0 for files Keras writes).
  const SIG = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 8 || SIG.some((b, i) => bytes[i] !== b)) throw new WeightImportError(`${source}: not an HDF5 file (no HDF5 signature)`);
  const path = `/convzoo-read-${++counter}.h5`;
  FS.writeFile(path, bytes);
  try {
    const file = new h5.File(path, 'r');
    try {
      return read(file);
    } finally {
      file.close();
    }
  } finally {
    FS.unlink(path);
  }
}

/** Creates `path` (slash-separated) group by group; h5wasm creates one level at a time. */
export function ensureGroup(root: H5Group, path: string): H5Group {
  let g = root;
  for (const part of path.split('/')) g = g.keys().includes(part) ? (g.get(part) as H5Group) : g.create_group(part);
  return g;
}

/** Keras 3 layout: h5 group key of each layer (see naming.ts) -> its parameters in Keras order. */
export function writeKerasWeightsGroups(file: H5Group, modelName: string, layers: { key: string; name: string; params: Tensor[] }[]): void {
  for (const l of layers) {
    const vars = ensureGroup(file, `layers/${l.key}/vars`);
    vars.create_attribute('name', l.name);
    l.params.forEach((t, i) => vars.create_dataset({ name: String(i), data: t.data, shape: t.shape, dtype: '<f' }));
  }
  ensureGroup(file, 'vars').create_attribute('name', modelName);
}

function toFloat32(ds: H5Dataset, where: string): Tensor {
  const shape = ds.shape ?? [];
  const v = ds.value as unknown;
  const meta = ds.metadata;
  let data: Float32Array;
  if (v instanceof Float32Array) data = v;
  else if (meta.type === 1 /* H5T_FLOAT */ && meta.size === 2 && v instanceof Uint16Array) data = Float32Array.from(v, float16ToFloat32);
  else if (ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array))
    data = Float32Array.from(v as unknown as ArrayLike<number>);
  else throw new WeightImportError(`${where}: dataset is not numeric (HDF5 type ${meta.type}, size ${meta.size})`);
  return { shape: [...shape], data };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v instanceof Uint8Array ? new TextDecoder().decode(v) : String(v));
const strList = (v: unknown): string[] => (Array.isArray(v) || ArrayBuffer.isView(v) ? Array.from(v as ArrayLike<unknown>, str) : [str(v)]);

/** Raw per-layer tensors of a Keras weights file: layer name -> { params by name, or by position }. */
interface RawLayer {
  byName?: Map<string, Tensor>;
  byIndex?: Tensor[];
}

function readKeras3(root: H5Group, source: string, keyToName?: Map<string, string>): Map<string, RawLayer> {
  const out = new Map<string, RawLayer>();
  const layers = root.get('layers') as H5Group | null;
  if (!layers) return out;
  for (const key of layers.keys()) {
    const vars = layers.get(`${key}/vars`) as H5Group | null;
    if (!vars) continue;
    const attr = vars.attrs.name?.value;
    const name = attr != null ? str(attr) : keyToName?.get(key);
    if (name === undefined) throw new WeightImportError(`${source}: group layers/${key}/vars has no 'name' attribute and no config.json maps it to a layer`);
    const n = vars.keys().length;
    const byIndex: Tensor[] = [];
    for (let i = 0; i < n; i++) {
      const ds = vars.get(String(i)) as H5Dataset | null;
      if (!ds) throw new WeightImportError(`${source}: layers/${key}/vars has ${n} entries but no '${i}'`);
      byIndex.push(toFloat32(ds, `${source}: layers/${key}/vars/${i} (layer '${name}')`));
    }
    if (n > 0) out.set(name, { byIndex });
  }
  return out;
}

function readKeras2(root: H5Group, source: string): Map<string, RawLayer> {
  const out = new Map<string, RawLayer>();
  for (const layer of strList(root.attrs.layer_names!.value)) {
    const g = root.get(layer) as H5Group | null;
    if (!g) throw new WeightImportError(`${source}: layer_names lists '${layer}' but the file has no group of that name`);
    const names = g.attrs.weight_names ? strList(g.attrs.weight_names.value) : [];
    if (names.length === 0) continue;
    const byName = new Map<string, Tensor>();
    for (const w of names) {
      const ds = g.get(w) as H5Dataset | null;
      if (!ds) throw new WeightImportError(`${source}: layer '${layer}' lists weight '${w}' but has no such dataset`);
      // 'conv2d/kernel:0' -> 'kernel'
      const param = w.split('/').pop()!.replace(/:\d+$/, '');
      byName.set(param, toFloat32(ds, `${source}: ${layer}/${w}`));
    }
    out.set(layer, { byName });
  }
  return out;
}

/**
 * Reads a Keras weights file (Keras 3 `.weights.h5` / `model.weights.h5`, or Keras 2 `.h5`) into `spec`'s weights,
 * by layer name, checking every shape; errors name the file, the layer and the parameter.
 */
export async function readKerasWeights(bytes: Uint8Array, spec: ModelSpec, source: string, keyToName?: Map<string, string>): Promise<WeightMap> {
  const raw = await readH5(bytes, source, (file) => {
    const root = file.keys().includes('model_weights') ? (file.get('model_weights') as H5Group) : file;
    if (root.attrs.layer_names) return readKeras2(root, source);
    if (root.keys().includes('layers')) return readKeras3(root, source, keyToName);
    throw new WeightImportError(`${source}: neither a Keras 3 weights file (no /layers group) nor a Keras 2 one (no layer_names attribute)`);
  });
  const byLayer = new Map<string, ParamInfo[]>();
  for (const p of paramInfos(spec)) byLayer.set(p.layer, [...(byLayer.get(p.layer) ?? []), p]);
  const weights: WeightMap = {};
  for (const [layer, got] of raw) {
    const params = byLayer.get(layer);
    if (!params)
      throw new WeightImportError(`${source}: the file has weights for layer '${layer}', which spec '${spec.name}' lacks (or which has no parameters there)`);
    if (got.byIndex) {
      if (got.byIndex.length !== params.length) {
        throw new WeightImportError(
          `${source}: layer '${layer}' has ${got.byIndex.length} variables in the file but spec '${spec.name}' expects ${params.length} (${params.map((p) => p.param).join(', ')})`,
        );
      }
      params.forEach((p, i) => (weights[p.name] = got.byIndex![i]!));
    } else {
      for (const [param, t] of got.byName!) weights[`${layer}/${param}`] = t;
    }
  }
  assertWeightsMatchSpec(spec, weights, source);
  return weights;
}

/** The model config stored in a legacy full-model `.h5` (`model.save('x.h5')`), or undefined for weights-only files. */
export async function readKerasH5Config(bytes: Uint8Array, source: string): Promise<unknown | undefined> {
  return readH5(bytes, source, (file) => {
    const attr = file.attrs.model_config?.value;
    if (attr == null) return undefined;
    try {
      return JSON.parse(str(attr));
    } catch (e) {
      throw new WeightImportError(`${source}: attribute model_config is not valid JSON (${(e as Error).message})`);
    }
  });
}
