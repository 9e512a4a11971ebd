// The three moves a receptive field makes through a layer (a sliding window, the whole map, a resize): each kind's
// `receptiveField` rule in kinds.ts is built from them, and receptive.ts walks a spec with them.
import { slide, type Axis, type SlidingWindow } from './geometry.js';
import type { FeatureShape, Pair } from './fields.js';

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
