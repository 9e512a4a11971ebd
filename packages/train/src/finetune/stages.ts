// A backbone's stages and where a network can be cut in two (the frozen part that runs once per image, and the part
// that trains on its cached output). Browser-safe: plain spec surgery, no engine.
import { inferShapes, paramInfos, type Layer, type ModelSpec, type Shape3 } from '@convzoo/models';
import { FinetuneError } from './errors.js';

/** A run of layers sharing the Keras name prefix before the first `_` (ResNet's conv1..conv5, VGG's block1..block5). */
export interface Stage {
  name: string;
  /** Its layers, in spec order. */
  layers: string[];
  /** Its last layer: the tensor the next stage reads. */
  end: string;
}

// ONNX exporters name nodes by module path (`/layer4/layer4.1/conv1/Conv`, imported as layer names): the first module.
const stageOf = (layer: Layer): string => (layer.name.startsWith('/') ? layer.name.split('/')[1] : layer.name.split('_')[0]) ?? layer.name;

/**
 * The stages of a backbone that hold parameters, in order. Keras names every layer of keras.applications' ResNet and
 * VGG `<stage>_...` (conv2_block1_1_conv, block5_pool), PyTorch's exports `/<module>/...` (/layer4/...: torchvision's
 * ResNet has stages conv1, bn1, layer1..layer4); a stage must be one contiguous run of the spec.
 */
export function backboneStages(spec: ModelSpec): Stage[] {
  const withParams = new Set(paramInfos(spec).map((p) => p.layer));
  const runs: Stage[] = [];
  for (const layer of spec.layers) {
    const name = stageOf(layer);
    const last = runs.at(-1);
    if (last && last.name === name) {
      last.layers.push(layer.name);
      last.end = layer.name;
    } else {
      if (runs.some((r) => r.name === name)) {
        throw new FinetuneError(
          `model '${spec.name}': stage '${name}' is not one contiguous run of layers (at '${layer.name}'), so it cannot be unfrozen alone`,
        );
      }
      runs.push({ name, layers: [layer.name], end: layer.name });
    }
  }
  return runs.filter((r) => r.layers.some((l) => withParams.has(l)));
}

/** A network cut at one layer: `frozen` ends with it, `trainable` starts from an input layer of the same name. */
export interface SplitSpec {
  frozen: ModelSpec;
  trainable: ModelSpec;
  /** The cut layer and its output shape (the shape of one cached feature). */
  cut: string;
  featureShape: number[];
}

/**
 * Cuts `spec` after layer `cut`, which must be the only tensor crossing the cut (a stage end: no residual shortcut
 * jumps over it). The trainable part reads the cut layer's output under the same name, so its layers keep their
 * names and parameter names.
 */
export function splitSpec(spec: ModelSpec, cut: string): SplitSpec {
  const at = spec.layers.findIndex((l) => l.name === cut);
  if (at < 0) throw new FinetuneError(`model '${spec.name}' has no layer '${cut}' to cut at`);
  const before = new Set(spec.layers.slice(0, at).map((l) => l.name));
  const after = spec.layers.slice(at + 1);
  for (const layer of after) {
    const crossing = layer.inputs.find((i) => before.has(i));
    if (crossing !== undefined) {
      throw new FinetuneError(`model '${spec.name}' cannot be cut at '${cut}': layer '${layer.name}' reads '${crossing}', from before the cut`);
    }
  }
  const shape = inferShapes(spec).get(cut)!;
  if (shape.length !== 3)
    throw new FinetuneError(`model '${spec.name}': the cut layer '${cut}' gives a ${shape.length}-D output; cut at an image-shaped (h, w, c) layer`);
  const frozen: ModelSpec = { ...spec, name: `${spec.name}_frozen`, outputs: [cut], layers: spec.layers.slice(0, at + 1) };
  const input = { kind: 'input', name: cut, inputs: [], shape: [...shape] as Shape3 } as Layer;
  const trainable: ModelSpec = { ...spec, name: `${spec.name}_trainable`, inputs: [cut], layers: [input, ...after] };
  return { frozen, trainable, cut, featureShape: [...shape] };
}
