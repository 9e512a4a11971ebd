// Keras ResNet50 as saved by Keras <= 2.2.4 (keras.applications.resnet50 before the 2.3 rewrite) uses the original
// Caffe names: conv1, bn_conv1, res2a_branch2a, bn2a_branch2a, res2a_branch1, ..., fc1000. convzoo's keras-flavour
// ResNet50 spec uses the keras.applications >= 2.3 names: conv1_conv, conv1_bn, conv2_block1_1_conv, ...,
// conv2_block1_0_conv (projection shortcut), predictions. The layers are the same; only names (and the BatchNorm
// epsilon: 1e-3 then, 1.001e-5 now) differ.
import type { Tensor, WeightMap } from '@convzoo/backend';
import { WeightImportError } from './tfjs-layers.js';

const BRANCH2 = { a: 1, b: 2, c: 3 } as const;

/** Maps a Keras 2.2.4 ResNet layer name onto its keras.applications >= 2.3 name; null when it is not one. */
export function kerasLegacyResNetLayerName(layer: string): string | null {
  if (layer === 'conv1') return 'conv1_conv';
  if (layer === 'bn_conv1') return 'conv1_bn';
  if (layer === 'fc1000') return 'predictions';
  // res3b_branch2a, bn4f_branch2c, res5a_branch1 (stage 2..5, block letter a.., branch1 or branch2{a,b,c}).
  const m = /^(res|bn)([2-9])([a-z])_branch(1|2[abc])$/.exec(layer);
  if (!m) return null;
  const [, kind, stage, letter, branch] = m as unknown as [string, 'res' | 'bn', string, string, string];
  const block = letter.charCodeAt(0) - 'a'.charCodeAt(0) + 1;
  const unit = branch === '1' ? 0 : BRANCH2[branch[1] as 'a' | 'b' | 'c'];
  return `conv${stage}_block${block}_${unit}_${kind === 'res' ? 'conv' : 'bn'}`;
}

/** Renames `<legacy layer>/<param>` weights to keras.applications names, failing on the first unknown name. */
export function renameKerasLegacyResNet(weights: Map<string, Tensor>, source: string): WeightMap {
  const out: WeightMap = {};
  for (const [name, t] of weights) {
    const slash = name.lastIndexOf('/');
    const layer = name.slice(0, slash);
    const mapped = slash > 0 ? kerasLegacyResNetLayerName(layer) : null;
    if (mapped === null) throw new WeightImportError(`${source}: weight '${name}' is not a Keras 2.2.4 ResNet weight (no mapping for layer '${layer}')`);
    out[`${mapped}${name.slice(slash)}`] = t;
  }
  return out;
}

interface KerasLayerJson {
  class_name?: string;
  name?: string;
  config?: { epsilon?: unknown; name?: string };
}

/** The BatchNormalization epsilon of a Keras model.json topology; every BN layer must agree. */
export function kerasBatchNormEpsilon(modelTopology: unknown, source: string): number {
  const layers = (modelTopology as { model_config?: { config?: { layers?: KerasLayerJson[] } } } | undefined)?.model_config?.config?.layers;
  if (!Array.isArray(layers)) throw new WeightImportError(`${source}: modelTopology.model_config.config.layers is missing`);
  let epsilon: number | undefined;
  for (const l of layers) {
    if (l.class_name !== 'BatchNormalization') continue;
    const e = l.config?.epsilon;
    if (typeof e !== 'number') throw new WeightImportError(`${source}: BatchNormalization '${l.name}' has no numeric epsilon`);
    if (epsilon !== undefined && e !== epsilon) {
      throw new WeightImportError(`${source}: BatchNormalization '${l.name}' has epsilon ${e}, others ${epsilon}; convzoo's ResNet uses one epsilon`);
    }
    epsilon = e;
  }
  if (epsilon === undefined) throw new WeightImportError(`${source}: the topology has no BatchNormalization layer`);
  return epsilon;
}
