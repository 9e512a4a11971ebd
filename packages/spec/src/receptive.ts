// Receptive field per layer, per axis, in input pixels: how many input pixels one output cell sees (size), how far
// apart neighbouring output cells are (jump, the product of strides), and where the first cell's field is centred
// (start; input pixel i is centred at i). The seed's argument for stacked 3x3 convs is this arithmetic.
import { slide, type Axis } from './geometry.js';
import type { FeatureShape, Layer, ModelSpec, Pair } from './types.js';

export interface ReceptiveField {
  size: Pair;
  jump: Pair;
  start: Pair;
}

const AXES: Axis[] = [0, 1];
const perAxis = (f: (axis: Axis) => number): Pair => [f(0), f(1)];

function throughWindow(rf: ReceptiveField, inShape: FeatureShape, layer: Layer): ReceptiveField {
  const window = (axis: Axis) => {
    const size = inShape[axis]!;
    switch (layer.kind) {
      case 'conv2d':
        return { ...slide(size, layer.kernelSize[axis], layer.strides[axis], layer.dilation[axis], layer.padding, axis), stride: layer.strides[axis] };
      case 'maxPool2d':
      case 'avgPool2d':
        return { ...slide(size, layer.poolSize[axis], layer.strides[axis], 1, layer.padding, axis), stride: layer.strides[axis] };
      default:
        // global pooling and flatten: one window spanning the whole map
        return { extent: size, before: 0, after: 0, out: 1, stride: size };
    }
  };
  const w = AXES.map(window);
  return {
    size: perAxis((a) => rf.size[a] + (w[a]!.extent - 1) * rf.jump[a]),
    jump: perAxis((a) => rf.jump[a] * w[a]!.stride),
    start: perAxis((a) => rf.start[a] + ((w[a]!.extent - 1) / 2 - w[a]!.before) * rf.jump[a]),
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
    const inShape = shapes.get(layer.inputs[0]!)!;
    let rf: ReceptiveField;
    switch (layer.kind) {
      case 'conv2d':
      case 'maxPool2d':
      case 'avgPool2d':
        rf = throughWindow(widest, inShape, layer);
        break;
      case 'globalAvgPool2d':
      case 'flatten':
        // a flat input (flatten after dense) already sees everything its input saw
        rf = inShape.length === 3 ? throughWindow(widest, inShape, layer) : widest;
        break;
      case 'zeroPad2d':
        rf = { ...widest, start: [widest.start[0] - layer.padding.top * widest.jump[0], widest.start[1] - layer.padding.left * widest.jump[1]] };
        break;
      case 'resize': {
        // half-pixel centres: output i samples input (i + 0.5) * in / out - 0.5; bilinear mixes two neighbours
        const scale = perAxis((a) => inShape[a]! / layer.size[a]);
        const taps = layer.method === 'bilinear' ? 1 : 0;
        rf = {
          size: perAxis((a) => widest.size[a] + taps * widest.jump[a]),
          jump: perAxis((a) => widest.jump[a] * scale[a]),
          start: perAxis((a) => widest.start[a] + (0.5 * scale[a] - 0.5) * widest.jump[a]),
        };
        break;
      }
      default:
        // dense on a flat input, and every element-wise or channel-wise layer, keep the field
        rf = widest;
    }
    fields.set(layer.name, rf);
  }
  return fields;
}
