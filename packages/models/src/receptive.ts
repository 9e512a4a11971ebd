// Receptive field per layer, per axis, in input pixels: how many input pixels one output cell sees (size), how far
// apart neighbouring output cells are (jump, the product of strides), and where the first cell's field is centred
// (start; input pixel i is centred at i). The tutorial's argument for stacked 3x3 convs is this arithmetic. Each kind's
// rule is its `receptiveField` entry in kinds.ts, built from the three moves below.
import { slide, type Axis } from './geometry.js';
import { kindOf, type SlidingWindow } from './kinds.js';
import type { FeatureShape, ModelSpec, Pair } from './types.js';

export interface ReceptiveField {
  size: Pair;
  jump: Pair;
  start: Pair;
}

const AXES: Axis[] = [0, 1];
const perAxis = (f: (axis: Axis) => number): Pair => [f(0), f(1)];

interface AxisWindow {
  extent: number;
  before: number;
  stride: number;
}

function through(rf: ReceptiveField, w: AxisWindow[]): ReceptiveField {
  return {
    size: perAxis((a) => rf.size[a] + (w[a]!.extent - 1) * rf.jump[a]),
    jump: perAxis((a) => rf.jump[a] * w[a]!.stride),
    start: perAxis((a) => rf.start[a] + ((w[a]!.extent - 1) / 2 - w[a]!.before) * rf.jump[a]),
  };
}

/** Through a sliding window (conv, pooling) on an (h, w, c) input. */
export function throughWindow(rf: ReceptiveField, inShape: FeatureShape, win: SlidingWindow): ReceptiveField {
  return through(
    rf,
    AXES.map((axis) => ({ ...slide(inShape[axis]!, win.kernel[axis], win.strides[axis], win.dilation[axis], win.padding, axis), stride: win.strides[axis] })),
  );
}

/** Through one window spanning the whole map (global pooling, flatten of an image). */
export function throughWholeMap(rf: ReceptiveField, inShape: FeatureShape): ReceptiveField {
  return through(
    rf,
    AXES.map((axis) => ({ extent: inShape[axis]!, before: 0, stride: inShape[axis]! })),
  );
}

/** Through a resize with half-pixel centres: output i samples input (i + 0.5) * in / out - 0.5; bilinear mixes two. */
export function throughResize(rf: ReceptiveField, inShape: FeatureShape, size: Pair, method: 'bilinear' | 'nearest'): ReceptiveField {
  const scale = perAxis((a) => inShape[a]! / size[a]);
  const taps = method === 'bilinear' ? 1 : 0;
  return {
    size: perAxis((a) => rf.size[a] + taps * rf.jump[a]),
    jump: perAxis((a) => rf.jump[a] * scale[a]),
    start: perAxis((a) => rf.start[a] + (0.5 * scale[a] - 0.5) * rf.jump[a]),
  };
}

/** Receptive field of every layer; multi-input layers take the largest field among their inputs. */
export function receptiveFields(spec: ModelSpec, shapes: Map<string, FeatureShape>): Map<string, ReceptiveField> {
  const fields = new Map<string, ReceptiveField>();
  for (const layer of spec.layers) {
    if (layer.kind === 'input') {
      fields.set(layer.name, { size: [1, 1], jump: [1, 1], start: [0, 0] });
      continue;
    }
    const ins = layer.inputs.map((n) => fields.get(n)!);
    const widest = ins.reduce((a, b) => (b.size[0] * b.size[1] > a.size[0] * a.size[1] ? b : a));
    const def = kindOf(layer);
    const inShape = shapes.get(layer.inputs[0]!)!;
    const win = def.window?.(layer);
    fields.set(layer.name, def.receptiveField ? def.receptiveField(widest, layer, inShape) : win ? throughWindow(widest, inShape, win) : widest);
  }
  return fields;
}
