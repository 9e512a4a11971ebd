// Sources of `convzoo export` beyond checkpoints and fresh specs: a Keras `.keras` archive (a model trained in Keras
// comes back), and `--weights TAG` from the registry's weight tags (resnet50.keras_imagenet), whose preprocessing
// recipe and labels travel with the exported file.
import { readFile } from 'node:fs/promises';
import type { WeightMap } from '@convzoo/backend';
import type { ModelSpec } from '@convzoo/models';
import { getPretrained, readKerasArchive, readKerasH5Model, type PretrainedMeta } from '@convzoo/weights';
import { CliError } from '../command.js';

export interface ExtraSource {
  spec: ModelSpec;
  weights: WeightMap;
  origin: string;
  /** Set for pretrained weights: how inputs must be prepared, and the class labels. */
  pretrained?: { id: string; tag: string; meta: PretrainedMeta };
}

/** `.keras` archives and Keras HDF5 files (`.h5`, `.weights.h5`, `.hdf5`). */
export const isKerasFile = (target: string) => /\.(keras|h5|hdf5)$/i.test(target);

/**
 * A `.keras` archive or a Keras HDF5 file as spec + weights (errors name the file, layer and parameter). Weights-only
 * HDF5 files need `spec` (the model they belong to); archives and full-model `.h5` files bring their own.
 */
export async function loadKerasFile(path: string, spec?: ModelSpec): Promise<ExtraSource> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new CliError(`cannot read '${path}': ${(e as Error).message}`);
  }
  const data = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!/\.keras$/i.test(path)) {
    const model = await readKerasH5Model(data, path, spec);
    return { ...model, origin: `weights of ${path} (Keras HDF5)` };
  }
  const archive = await readKerasArchive(data, path, spec);
  const version = typeof archive.metadata.keras_version === 'string' ? `Keras ${archive.metadata.keras_version}` : 'Keras';
  return { spec: archive.spec, weights: archive.weights, origin: `weights of ${path} (${version} archive)` };
}

/** `--weights TAG` for a registered model: the registry's weight tag (or its 0.1 alias), fetched beforehand. */
export async function loadPretrainedSource(model: string, weightsName: string, values: Record<string, unknown>): Promise<ExtraSource> {
  const clash = (['input', 'classes', 'flavour', 'seed'] as const).find((k) => values[k] !== undefined);
  if (clash) throw new CliError(`--${clash} cannot be combined with --weights ${weightsName}: the pretrained weights fix the architecture`);
  const entry = getPretrained(model, weightsName);
  const loaded = await entry.load();
  return {
    spec: loaded.spec,
    weights: loaded.weights,
    origin: `pretrained weights ${entry.model}/${entry.name} (${entry.source.package}@${entry.source.version})`,
    pretrained: { id: `${entry.model}/${entry.name}`, tag: entry.id, meta: entry.meta },
  };
}

/** ONNX metadata_props for pretrained weights: the recipe as JSON and in words, the labels. */
export function pretrainedMetadata(p: NonNullable<ExtraSource['pretrained']>): Record<string, string> {
  const r = p.meta.recipe;
  const [h, w, c] = r.inputShape;
  const steps = [
    `decode to RGB float32 0..255`,
    r.crop === 'center' ? `resize (${r.resize}) the shorter side to ${r.resizeShorter}, centre-crop ${h}x${w}` : `resize (${r.resize}) to ${h}x${w}`,
    r.preprocessing === 'caffe'
      ? `convert RGB to BGR, subtract the BGR mean [${r.mean!.join(', ')}], no scaling`
      : r.preprocessing === 'tf'
        ? 'scale to [-1, 1] (x / 127.5 - 1)'
        : 'scale to [0, 1], subtract ImageNet mean [0.485, 0.456, 0.406] and divide by std [0.229, 0.224, 0.225] (RGB)',
    `feed NHWC [batch, ${h}, ${w}, ${c}]; the output is softmax probabilities over ${p.meta.classes} classes (convzoo.labels)`,
  ];
  return {
    'convzoo.weights': p.id,
    'convzoo.weights_tag': p.tag,
    'convzoo.preprocessing': steps.join('; '),
    'convzoo.recipe': JSON.stringify(r),
    'convzoo.labels': JSON.stringify(p.meta.labels),
    'convzoo.license': p.meta.license,
  };
}
