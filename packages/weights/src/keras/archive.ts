// The Keras 3 `.keras` archive: a zip (entries stored, as Keras writes them) of metadata.json, config.json (the
// model's config) and model.weights.h5. Written and read as bytes, so the same code runs in browsers; files are
// Node's business (the CLI reads and writes them).
import { strToU8, strFromU8, unzipSync, zipSync } from 'fflate';
import type { WeightMap } from '@convzoo/backend';
import { paramInfos, type ModelSpec } from '@convzoo/models';
import { assertWeightsMatchSpec } from '../match.js';
import { WeightImportError } from '../tfjs-layers.js';
import { specToKerasConfig, type KerasJson } from './config.js';
import { kerasConfigToSpec } from './from-config.js';
import { readKerasH5Config, readKerasWeights, writeH5, writeKerasWeightsGroups } from './hdf5.js';
import { containerKeys } from './naming.js';

/** The Keras version whose `.keras` layout convzoo writes (config.json keys, h5 group names). */
export const KERAS_LAYOUT_VERSION = '3.15.1';

export interface KerasArchiveOptions {
  /** Written into metadata.json as `convzoo_version` (the producer). */
  producer?: string;
  /** metadata.json's date_saved; default now. Fixed dates make byte-identical archives. */
  date?: Date;
}

const kerasDate = (d: Date) => {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}@${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
};

/** model.weights.h5 for a Keras config: every layer of config.layers gets its group, in Keras' naming order. */
async function weightsH5(spec: ModelSpec, config: KerasJson, weights: WeightMap): Promise<Uint8Array> {
  const layers = (config.config as { layers: { class_name: string; name: string }[] }).layers;
  const keys = containerKeys(layers.map((l) => l.class_name));
  const byLayer = new Map<string, string[]>();
  for (const p of paramInfos(spec)) byLayer.set(p.layer, [...(byLayer.get(p.layer) ?? []), p.name]);
  return writeH5((file) =>
    writeKerasWeightsGroups(
      file,
      spec.name,
      layers.map((l, i) => ({ key: keys[i]!, name: l.name, params: (byLayer.get(l.name) ?? []).map((n) => weights[n]!) })),
    ),
  );
}

/**
 * `spec` + canonical weights -> `.keras` archive bytes that keras.saving.load_model loads with built-in layers only.
 * Throws KerasExportError for layers Keras has no class for (see config.ts), WeightImportError for weights that do
 * not match the spec.
 */
export async function writeKerasArchive(spec: ModelSpec, weights: WeightMap, options: KerasArchiveOptions = {}): Promise<Uint8Array> {
  assertWeightsMatchSpec(spec, weights, `writeKerasArchive(${spec.name})`);
  const config = specToKerasConfig(spec);
  const metadata = {
    keras_version: KERAS_LAYOUT_VERSION,
    date_saved: kerasDate(options.date ?? new Date()),
    ...(options.producer ? { convzoo_version: options.producer } : {}),
  };
  const h5 = await weightsH5(spec, config, weights);
  // Zip entry times fixed at the format's epoch (as Keras does for its JSON entries): same model, same bytes.
  const mtime = new Date(1980, 0, 1);
  return zipSync(
    {
      'metadata.json': [strToU8(JSON.stringify(metadata)), { level: 0, mtime }],
      'config.json': [strToU8(JSON.stringify(config)), { level: 0, mtime }],
      'model.weights.h5': [h5, { level: 0, mtime }],
    },
    { level: 0 },
  );
}

export interface KerasArchive {
  spec: ModelSpec;
  weights: WeightMap;
  /** metadata.json as read (keras_version, date_saved, ...). */
  metadata: Record<string, unknown>;
  /** config.json as read. */
  config: unknown;
}

/** Unzips a `.keras` archive; `source` names it in errors. */
export function unzipKerasArchive(bytes: Uint8Array, source: string): Record<string, Uint8Array> {
  // Zip files start with PK\x03\x04.
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b || bytes[2] !== 0x03 || bytes[3] !== 0x04) {
    throw new WeightImportError(`${source}: not a .keras archive (not a zip file)`);
  }
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (e) {
    throw new WeightImportError(`${source}: damaged zip (${(e as Error).message})`);
  }
  for (const name of ['config.json', 'model.weights.h5']) {
    if (!files[name]) throw new WeightImportError(`${source}: the archive has no ${name} (entries: ${Object.keys(files).join(', ')})`);
  }
  return files;
}

function parseJson(bytes: Uint8Array | undefined, what: string): unknown {
  if (!bytes) return {};
  try {
    return JSON.parse(strFromU8(bytes));
  } catch (e) {
    throw new WeightImportError(`${what}: not valid JSON (${(e as Error).message})`);
  }
}

/**
 * Reads a `.keras` archive (saved by Keras 3 or by convzoo): the spec from config.json, the weights from
 * model.weights.h5 by layer name, every shape checked. With `spec` given, the weights are read into that spec instead
 * (its layer names must match the file's).
 */
export async function readKerasArchive(bytes: Uint8Array, source: string, spec?: ModelSpec): Promise<KerasArchive> {
  const files = unzipKerasArchive(bytes, source);
  const config = parseJson(files['config.json'], `${source}/config.json`);
  const metadata = parseJson(files['metadata.json'], `${source}/metadata.json`) as Record<string, unknown>;
  const target = spec ?? kerasConfigToSpec(config, `${source}/config.json`);
  // Older Keras 3 files may lack the `name` attribute on vars groups: map group keys to names with Keras' own naming.
  const layers = (config as { config?: { layers?: { class_name?: unknown; name?: unknown; config?: { name?: unknown } }[] } }).config?.layers ?? [];
  const keys = containerKeys(layers.map((l) => String(l.class_name)));
  const keyToName = new Map(layers.map((l, i) => [keys[i]!, String(l.config?.name ?? l.name)]));
  const weights = await readKerasWeights(files['model.weights.h5']!, target, `${source}/model.weights.h5`, keyToName);
  return { spec: target, weights, metadata, config };
}

/**
 * A Keras HDF5 file as a model: legacy full-model `.h5` files carry their config (spec from it); weights-only files
 * (`.weights.h5`, `save_weights`) need `spec`. Errors name the file.
 */
export async function readKerasH5Model(bytes: Uint8Array, source: string, spec?: ModelSpec): Promise<{ spec: ModelSpec; weights: WeightMap }> {
  let target = spec;
  if (!target) {
    const config = await readKerasH5Config(bytes, source);
    if (config === undefined) throw new WeightImportError(`${source}: a weights-only Keras file (no model_config); it needs a spec to load into`);
    target = kerasConfigToSpec(config, `${source} (model_config)`);
  }
  return { spec: target, weights: await readKerasWeights(bytes, target, source) };
}
