// The analysed spec: everything derived from a spec that every consumer needs (output shapes, parameter tensors,
// explicit window paddings), computed ONCE, after validation. The backend registry compiles a spec into this and
// hands it to the factory; adapters read it instead of re-deriving shapes, parameters or TensorFlow's 'same' pads.
import { axisPadding } from './geometry.js';
import { kindOf, type SlidingWindow } from './kinds.js';
import { checkAllocatable } from './limits.js';
import { paramInfos } from './params.js';
import { inferShapes } from './shapes.js';
import type { FeatureShape, Layer, ModelSpec, ParamInfo } from './types.js';

/** Padding of a sliding window resolved against its input: TensorFlow's 'same' split, or the explicit box. */
export interface WindowPads {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

export interface CompiledLayer<L extends Layer = Layer> {
  readonly layer: L;
  /** Shapes (no batch) of the layer's inputs, in `layer.inputs` order. */
  readonly inputShapes: FeatureShape[];
  readonly outputShape: FeatureShape;
  /** This layer's parameter tensors, in Keras' weight order. */
  readonly params: ParamInfo[];
  /** conv2d, maxPool2d, avgPool2d: the window's padding, resolved. */
  readonly pads?: WindowPads;
}

export interface CompiledSpec {
  readonly spec: ModelSpec;
  /** One entry per spec layer, in the spec's (topological) order. */
  readonly layers: CompiledLayer[];
  /** Output shape of every layer by name. */
  readonly shapes: Map<string, FeatureShape>;
  /** Every parameter tensor, layer by layer, in Keras' weight order. */
  readonly params: ParamInfo[];
  /** Shapes of the model inputs and outputs, in `spec.inputs` / `spec.outputs` order. */
  readonly inputShapes: FeatureShape[];
  readonly outputShapes: FeatureShape[];
  /** The compiled layer of that name (throws on an unknown name: callers look up names from the spec). */
  layer(name: string): CompiledLayer;
}

/** The window of a sliding-window layer (conv2d, pooling), from its kind's entry; undefined for other kinds. */
export function layerWindow(layer: Layer): SlidingWindow | undefined {
  return kindOf(layer).window?.(layer);
}

/** The resolved padding of a sliding-window layer on an input of shape [h, w, ...]. */
export function windowPads(layer: Layer, [h, w]: FeatureShape): WindowPads | undefined {
  const win = layerWindow(layer);
  if (!win) return undefined;
  const extent = (axis: 0 | 1) => (win.kernel[axis] - 1) * win.dilation[axis] + 1;
  const [top, bottom] = axisPadding(win.padding, 0, h!, extent(0), win.strides[0]);
  const [left, right] = axisPadding(win.padding, 1, w!, extent(1), win.strides[1]);
  return { top, bottom, left, right };
}

const COMPILED = Symbol('convzoo.compiledSpec');

/** Whether `x` is the result of compileSpec (and not a plain spec). */
export function isCompiledSpec(x: ModelSpec | CompiledSpec): x is CompiledSpec {
  return (x as { [COMPILED]?: true })[COMPILED] === true;
}

/**
 * Validates `spec` (structure, shapes, allocatable sizes; a SpecError names the layer and the rule) and derives what
 * every adapter needs, running shape inference exactly once.
 */
export function compileSpec(spec: ModelSpec): CompiledSpec {
  const shapes = inferShapes(spec);
  const params = paramInfos(spec, shapes);
  checkAllocatable(spec, shapes, params);
  const byLayer = new Map<string, ParamInfo[]>(spec.layers.map((l) => [l.name, []]));
  for (const p of params) byLayer.get(p.layer)!.push(p);
  const layers = spec.layers.map((layer): CompiledLayer => {
    const inputShapes = layer.inputs.map((n) => shapes.get(n)!);
    const pads = inputShapes[0] ? windowPads(layer, inputShapes[0]) : undefined;
    return { layer, inputShapes, outputShape: shapes.get(layer.name)!, params: byLayer.get(layer.name)!, ...(pads ? { pads } : {}) };
  });
  const byName = new Map(layers.map((l) => [l.layer.name, l]));
  const compiled: CompiledSpec & { [COMPILED]: true } = {
    [COMPILED]: true,
    spec,
    layers,
    shapes,
    params,
    inputShapes: spec.inputs.map((n) => shapes.get(n)!),
    outputShapes: spec.outputs.map((n) => shapes.get(n)!),
    layer(name) {
      const l = byName.get(name);
      if (!l) throw new Error(`model '${spec.name}' has no layer '${name}'`);
      return l;
    },
  };
  return compiled;
}

/** A compiled spec as is, or a plain spec compiled now: for functions that accept either. */
export function asCompiled(x: ModelSpec | CompiledSpec): CompiledSpec {
  return isCompiledSpec(x) ? x : compileSpec(x);
}

/** Throws a SpecError naming the layer and the rule when the spec is not a valid network. */
export function validate(spec: ModelSpec): void {
  compileSpec(spec);
}
