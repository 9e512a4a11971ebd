// Layers that move, merge or resample values without parameters: zero padding, flatten, concat, add, resize.
import type { AttrValue } from '../export/graph-builder.js';
import { type LayerFamily, type ForwardResult, type BackwardResult, sumValues } from './emitter.js';

/** Keras Resizing (tf.image.resize, half-pixel centres, no antialias) along one axis as an [out, in] matrix. */
function resizeMatrix(inSize: number, out: number, method: 'bilinear' | 'nearest'): Float32Array {
  const m = new Float32Array(out * inSize);
  const scale = inSize / out;
  for (let i = 0; i < out; i++) {
    if (method === 'nearest') {
      m[i * inSize + Math.min(Math.floor((i + 0.5) * scale), inSize - 1)] = 1;
      continue;
    }
    const src = (i + 0.5) * scale - 0.5;
    const f = Math.floor(src);
    const lower = Math.max(f, 0);
    const upper = Math.min(Math.ceil(src), inSize - 1);
    const lerp = src - f;
    m[i * inSize + lower]! += 1 - lerp;
    m[i * inSize + upper]! += lerp;
  }
  return m;
}

function transpose2d(m: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(m.length);
  for (let r = 0; r < rows; r++) for (let k = 0; k < cols; k++) t[k * rows + r] = m[r * cols + k]!;
  return t;
}

export const SHAPE_FAMILY: LayerFamily<'zeroPad2d' | 'flatten' | 'concat' | 'add' | 'resize'> = {
  forward: {
    zeroPad2d(layer, c, _a, { x, n }): ForwardResult {
      const { top, bottom, left, right } = layer.padding;
      const pads = c.ints([0, 0, top, left, 0, 0, bottom, right], `${n}/pads`);
      return { output: c.op('Pad', `${n}/pad`, [x, pads], { mode: 'constant' }, 'layer'), saved: {} };
    },
    flatten(_layer, c, _a, { x, inShape, n }): ForwardResult {
      if (inShape.length !== 3) return { output: x, saved: {} };
      // Keras flattens NHWC in (h, w, c) order: go back to NHWC first so a following Dense keeps Keras' rows.
      const nhwc = c.op('Transpose', `${n}/nhwc`, [x], { perm: [0, 2, 3, 1] });
      return { output: c.op('Flatten', `${n}/flatten`, [nhwc], { axis: 1 }, 'layer'), saved: {} };
    },
    // The spec concatenates channels (axis -1 of NHWC): axis 1 both for NCHW images and [N, n] vectors.
    concat(_layer, c, a, { n }): ForwardResult {
      return { output: c.op('Concat', `${n}/concat`, a.inputs, { axis: 1 }, 'layer'), saved: {} };
    },
    add(_layer, c, a, { x, n }): ForwardResult {
      if (a.inputs.length === 1) return { output: x, saved: {} };
      if (c.graph === 'training') return { output: sumValues(c, `${n}/sum`, a.inputs), saved: {} };
      // The exported file adds pairwise, the last Add named after the layer.
      let acc = x;
      for (let i = 1; i < a.inputs.length; i++) acc = c.op('Add', `${n}/sum${i}`, [acc, a.inputs[i]!], {}, i === a.inputs.length - 1 ? 'layer' : undefined);
      return { output: acc, saved: {} };
    },
    resize(layer, c, _a, { x, inShape, n }): ForwardResult {
      if (c.graph === 'training') {
        // Separable interpolation matrices: y = Ah x Aw^T per channel; the backward pass uses their transposes.
        const [h, w] = inShape as [number, number, number];
        const [oh, ow] = layer.size;
        const awT = c.floats(`${n}/awT`, [w, ow], transpose2d(resizeMatrix(w, ow, layer.method), ow, w));
        const ah = c.floats(`${n}/ah`, [oh, h], resizeMatrix(h, oh, layer.method));
        return { output: c.op('MatMul', `${n}/rows`, [ah, c.op('MatMul', `${n}/cols`, [x, awT])]), saved: {} };
      }
      // Keras Resizing = tf.image.resize: half-pixel centres, no antialias. Nearest rounds floor((x + 0.5) * in/out),
      // which is ONNX half_pixel with round_prefer_ceil. Sizes need the (dynamic) batch: [N, C] from Shape + [h, w].
      const shape = c.op('Shape', `${n}/shape`, [x]);
      const nc = c.op('Slice', `${n}/nc`, [shape, c.ints([0], `${n}/nc_start`), c.ints([2], `${n}/nc_end`)]);
      const sizes = c.op('Concat', `${n}/sizes`, [nc, c.ints([...layer.size], `${n}/hw`)], { axis: 0 });
      const attrs: Record<string, AttrValue> =
        layer.method === 'bilinear'
          ? { mode: 'linear', coordinate_transformation_mode: 'half_pixel' }
          : { mode: 'nearest', coordinate_transformation_mode: 'half_pixel', nearest_mode: 'round_prefer_ceil' };
      return { output: c.op('Resize', `${n}/resize`, [x, '', '', sizes], attrs, 'layer'), saved: {} };
    },
  },
  backward: {
    zeroPad2d(layer, c, _a, { dy, inShape, n }): BackwardResult {
      const [h, w] = inShape as [number, number, number];
      const { top, left } = layer.padding;
      return { dx: [c.op('Slice', `${n}/dx`, [dy, c.ints([top, left]), c.ints([top + h, left + w]), c.ints([2, 3])])] };
    },
    flatten(_layer, c, _a, { dy, inShape, n }): BackwardResult {
      if (inShape.length !== 3) return { dx: [dy] };
      const [h, w, ch] = inShape as [number, number, number];
      const nhwc = c.op('Reshape', `${n}/nhwc`, [dy, c.ints([0, h, w, ch])]);
      return { dx: [c.op('Transpose', `${n}/dx`, [nhwc], { perm: [0, 3, 1, 2] })] };
    },
    concat(_layer, c, a, { dy, n }): BackwardResult {
      const sizes = a.inputShapes.map((s) => s[s.length - 1]!);
      return { dx: c.ops('Split', `${n}/split`, [dy, c.ints(sizes)], sizes.length, { axis: 1 }) };
    },
    add(_layer, _c, a, { dy }): BackwardResult {
      return { dx: a.inputs.map(() => dy) };
    },
    resize(layer, c, _a, { dy, inShape, n }): BackwardResult {
      const [h, w] = inShape as [number, number, number];
      const [oh, ow] = layer.size;
      const ahT = c.floats(`${n}/ahT`, [h, oh], transpose2d(resizeMatrix(h, oh, layer.method), oh, h));
      const aw = c.floats(`${n}/aw`, [ow, w], resizeMatrix(w, ow, layer.method));
      return { dx: [c.op('MatMul', `${n}/dx`, [c.op('MatMul', `${n}/drows`, [ahT, dy]), aw])] };
    },
  },
};
