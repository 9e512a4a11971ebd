// Pooling: max and average pooling (forward, with the arg-max the backward pass needs in training) and global average
// pooling.
import type { FeatureShape, LayerOf, WindowPads } from '@convzoo/models';
import { phasedPoolBackward, phasedPoolForward } from './phased-pool.js';
import { reluGrad } from './activation.js';
import { separablePoolBackward, separablePoolPays } from './separable-pool.js';
import {
  type ForwardArgs,
  type ForwardCtx,
  type ForwardLocals,
  type ForwardResult,
  type LayerFamily,
  type TrainCtx,
  onnxPadsAttr,
  windowOutSize,
  type BackwardResult,
} from './emitter.js';

type PoolLayer = LayerOf<'maxPool2d' | 'avgPool2d'>;

/**
 * WebGPU binds each input and output of a kernel as a storage buffer, and browsers grant 8 per shader stage by
 * default: past that, onnxruntime-web's kernel computes nothing, without an error (a 3x3 max pool's 9-way Concat did).
 * Every node of a training graph stays within it (test/webgpu-graphs.test.ts).
 */
export const WEBGPU_MAX_BINDINGS = 8;

/** Concat along `axis`, as a tree of Concats that each bind at most WEBGPU_MAX_BINDINGS tensors. */
function concatTree(c: TrainCtx, values: string[], axis: number, name: string): string {
  const wide = WEBGPU_MAX_BINDINGS - 1;
  if (values.length <= wide) return c.op('Concat', name, values, { axis });
  const groups = Array.from({ length: Math.ceil(values.length / wide) }, (_, i) => values.slice(i * wide, (i + 1) * wide));
  return concatTree(
    c,
    groups.map((g, i) => (g.length === 1 ? g[0]! : c.op('Concat', `${name}/${i}`, g, { axis }))),
    axis,
    name,
  );
}

/** Max pooling whose windows tile the input exactly (stride = pool size, no padding, sizes divide). */
function tiles(layer: PoolLayer, [h, w]: FeatureShape, pads: number[]): boolean {
  const [kh, kw] = layer.poolSize;
  return layer.strides[0] === kh && layer.strides[1] === kw && pads.every((p) => p === 0) && h! % kh === 0 && w! % kw === 0;
}

/** Cells of [0, size) each window of an (unpadded-count) pool covers: TensorFlow's average divisor. */
function windowCounts(size: number, kernel: number, stride: number, padBefore: number, outSize: number): number[] {
  return Array.from({ length: outSize }, (_, o) => {
    const start = o * stride - padBefore;
    return Math.min(start + kernel, size) - Math.max(start, 0);
  });
}

/** A pooling window's geometry on its input, and the ConvTranspose attributes that spread window values back. */
function poolGeometry(layer: PoolLayer, inShape: FeatureShape, resolved: WindowPads | undefined) {
  const [h, w, ch] = inShape as [number, number, number];
  const [kh, kw] = layer.poolSize;
  const [sh, sw] = layer.strides;
  const pads = onnxPadsAttr(layer.name, resolved);
  const [pt, pl, pb, pr] = pads;
  const ho = windowOutSize(h, kh, sh, 1, pt, pb);
  const wo = windowOutSize(w, kw, sw, 1, pl, pr);
  const outputPadding = [h - (sh * (ho - 1) + kh - pt - pb), w - (sw * (wo - 1) + kw - pl - pr)];
  /** A grouped ConvTranspose that puts each window's values back on the input cells it covered (overlaps add). */
  const spread = { kernel_shape: [kh, kw], strides: [sh, sw], group: ch, pads, output_padding: outputPadding };
  return { h, w, ch, kh, kw, sh, sw, pads, pt, pl, pb, pr, ho, wo, spread };
}

function poolForward(layer: PoolLayer, c: ForwardCtx, a: ForwardArgs, { x, inShape, n }: ForwardLocals): ForwardResult {
  const pads = onnxPadsAttr(n, a.pads);
  const attrs = { kernel_shape: [...layer.poolSize], strides: [...layer.strides], pads };
  // TensorFlow averages over the real cells only: padded cells are not counted.
  if (layer.kind === 'avgPool2d') return { output: c.op('AveragePool', `${n}/avgpool`, [x], { ...attrs, count_include_pad: 0 }, 'layer'), saved: {} };
  if (!a.training) return { output: c.op('MaxPool', `${n}/maxpool`, [x], attrs, 'layer'), saved: {} };
  if (a.phased) return phasedPoolForward(c, n, x);
  const disjoint = layer.strides[0] >= layer.poolSize[0] && layer.strides[1] >= layer.poolSize[1];
  if (a.poolIndices === 'unpool' && !disjoint && separablePoolPays(poolGeometry(layer, inShape, a.pads), inShape[2]!)) {
    // Overlapping windows on the CPU EP: MLAS MaxPool, and the gradient one axis at a time (separable-pool.ts). `x`
    // only marks the form: the backward pass reads x and y.
    return { output: c.op('MaxPool', `${n}/maxpool`, [x], attrs), saved: { separable: x } };
  }
  if (a.poolIndices) {
    // The runtime's own arg-max (flat NCHW index of the first maximal cell, TensorFlow's choice on ties): the
    // backward pass scatters dy there, one op, overlapping windows adding up.
    const [y, indices] = c.ops('MaxPool', `${n}/maxpool`, [x], 2, attrs);
    // Windows that do not overlap: each input cell wins at most one window, so MaxUnpool (one write per pooled cell
    // into zeros) is the whole gradient.
    return { output: y!, saved: a.poolIndices === 'unpool' && disjoint ? { unpool: indices! } : { indices: indices! } };
  }
  if (tiles(layer, inShape, pads)) {
    // Non-overlapping windows that tile the input: MLAS MaxPool for y, and the first arg-max of each window
    // (TensorFlow's choice on ties) from a [N, C, Ho, Wo, kh*kw] view, for the backward pass.
    const [h, w, ch] = inShape as [number, number, number];
    const [kh, kw] = layer.poolSize;
    const win = c.op('Reshape', `${n}/win`, [
      c.op('Transpose', `${n}/winT`, [c.op('Reshape', `${n}/blocks`, [x, c.ints([0, ch, h / kh, kh, w / kw, kw])])], { perm: [0, 1, 2, 4, 3, 5] }),
      c.ints([0, ch, h / kh, w / kw, kh * kw]),
    ]);
    const arg = c.op('ArgMax', `${n}/argmax`, [win], { axis: -1, keepdims: 1, select_last_index: 0 });
    return { output: c.op('MaxPool', `${n}/maxpool`, [x], attrs), saved: { arg } };
  }
  // Overlapping or padded windows: the backward pass recomputes which cell won (no Indices output: WebGPU has none).
  return { output: c.op('MaxPool', `${n}/maxpool`, [x], attrs), saved: {} };
}

export const POOL_FAMILY: LayerFamily<'maxPool2d' | 'avgPool2d' | 'globalAvgPool2d'> = {
  forward: {
    maxPool2d: poolForward,
    avgPool2d: poolForward,
    globalAvgPool2d(_layer, c, _a, { x, n }): ForwardResult {
      const nc11 = c.op('GlobalAveragePool', `${n}/nc11`, [x], {}, 'layer');
      return { output: c.op('Flatten', `${n}/flatten`, [nc11], { axis: 1 }), saved: {} };
    },
  },
  backward: {
    // PoolLayer, not the table's LayerOf<'maxPool2d'>: that Extract is never, as Pool2DLayer's kind is a union.
    maxPool2d(layer: PoolLayer, c, a, { dy: dyIn, x, inShape, n }): BackwardResult {
      let dy = dyIn;
      // Every path below routes dy to arg-max cells only, where the input equals y: relu's mask there is sign(y).
      if (a.foldRelu) dy = reluGrad(c, a.output, dy, n);
      if (a.phased) return { dx: [phasedPoolBackward(c, n, dy, a.saved.phase!)] };
      if (a.saved.separable) return { dx: [separablePoolBackward(c, n, poolGeometry(layer, inShape, a.pads), x, a.output, dy)] };
      if (a.saved.unpool) {
        const { kh, kw, sh, sw, pads } = poolGeometry(layer, inShape, a.pads);
        return {
          dx: [c.op('MaxUnpool', `${n}/dx`, [dy, a.saved.unpool, c.op('Shape', `${n}/shape`, [x])], { kernel_shape: [kh, kw], strides: [sh, sw], pads })],
        };
      }
      if (a.saved.indices) {
        const flat = c.op('Reshape', `${n}/xflat`, [x, c.ints([-1])]);
        const zeros = c.op('Expand', `${n}/zeros`, [c.scalar(0), c.op('Shape', `${n}/size`, [flat])]);
        const scattered = c.op(
          'ScatterElements',
          `${n}/scatter`,
          [zeros, c.op('Reshape', `${n}/iflat`, [a.saved.indices, c.ints([-1])]), c.op('Reshape', `${n}/dyflat`, [dy, c.ints([-1])])],
          { axis: 0, reduction: 'add' },
        );
        return { dx: [c.op('Reshape', `${n}/dx`, [scattered, c.op('Shape', `${n}/shape`, [x])])] };
      }
      if (a.saved.arg) {
        const [h, w, ch] = inShape as [number, number, number];
        const [kh, kw] = layer.poolSize;
        const kk = Float32Array.from({ length: kh * kw }, (_, i) => i);
        const hot = c.floatEqual(`${n}/is_arg`, c.op('Cast', `${n}/argf`, [a.saved.arg], { to: 1 }), c.floats(`${n}/range`, [kh * kw], kk));
        const spread = c.op('Mul', `${n}/spread`, [hot, c.op('Unsqueeze', `${n}/dy5`, [dy, c.ints([4])])]);
        const blocks = c.op('Reshape', `${n}/blocks`, [spread, c.ints([0, ch, h / kh, w / kw, kh, kw])]);
        return { dx: [c.op('Reshape', `${n}/dx`, [c.op('Transpose', `${n}/unT`, [blocks], { perm: [0, 1, 2, 4, 3, 5] }), c.ints([0, ch, h, w])])] };
      }
      // Each window's gradient goes to its first maximal cell (row-major, as TensorFlow and tfjs choose on ties).
      // Per window offset k: the strided slice of the (-inf padded) input that offset reads, equal to y and not
      // claimed by an earlier offset. The kh*kw masked gradients become channels and one grouped ConvTranspose with
      // one-hot kernels puts each back at its offset (overlaps add up).
      const { ch, kh, kw, sh, sw, pads, pt, pl, pb, pr, ho, wo, spread } = poolGeometry(layer, inShape, a.pads);
      const xp = pads.some((v) => v > 0) ? c.op('Pad', `${n}/xpad`, [x, c.ints([0, 0, pt, pl, 0, 0, pb, pr]), c.scalar(-3.4e38)], { mode: 'constant' }) : x;
      let claimed: string | undefined;
      const parts: string[] = [];
      for (let ky = 0; ky < kh; ky++) {
        for (let kx = 0; kx < kw; kx++) {
          const k = `${ky}_${kx}`;
          const xs = c.op('Slice', `${n}/x${k}`, [
            xp,
            c.ints([ky, kx]),
            c.ints([ky + (ho - 1) * sh + 1, kx + (wo - 1) * sw + 1]),
            c.ints([2, 3]),
            c.ints([sh, sw]),
          ]);
          // 0/1 floats: hit = (xs == y) and not yet claimed; claimed stays 0 or 1.
          let hit = c.floatEqual(`${n}/x${k}`, xs, a.output);
          if (claimed) hit = c.op('Mul', `${n}/first${k}`, [hit, c.op('Sub', `${n}/free${k}`, [c.scalar(1), claimed])]);
          claimed = claimed ? c.op('Add', `${n}/claimed${k}`, [claimed, hit]) : hit;
          parts.push(c.op('Unsqueeze', `${n}/g5${k}`, [c.op('Mul', `${n}/g${k}`, [dy, hit]), c.ints([2])]));
        }
      }
      const kk = kh * kw;
      const stacked = c.op('Reshape', `${n}/stacked`, [concatTree(c, parts, 2, `${n}/cat`), c.ints([0, ch * kk, ho, wo])]);
      const onehot = new Float32Array(ch * kk * kk);
      for (let cc = 0; cc < ch; cc++) for (let q = 0; q < kk; q++) onehot[(cc * kk + q) * kk + q] = 1;
      const dx = c.op('ConvTranspose', `${n}/dx`, [stacked, c.floats(`${n}/onehot`, [ch * kk, 1, kh, kw], onehot)], spread);
      return { dx: [dx] };
    },
    avgPool2d(layer: PoolLayer, c, a, { dy, inShape, n }): BackwardResult {
      const { h, w, ch, kh, kw, sh, sw, pt, pl, ho, wo, spread } = poolGeometry(layer, inShape, a.pads);
      const rows = windowCounts(h, kh, sh, pt, ho);
      const cols = windowCounts(w, kw, sw, pl, wo);
      const inv = new Float32Array(ho * wo);
      for (let i = 0; i < ho; i++) for (let j = 0; j < wo; j++) inv[i * wo + j] = 1 / (rows[i]! * cols[j]!);
      const scaled = c.op('Mul', `${n}/dy/count`, [dy, c.floats(`${n}/inv_count`, [1, 1, ho, wo], inv)]);
      const ones = c.floats(`${n}/ones`, [ch, 1, kh, kw], new Float32Array(ch * kh * kw).fill(1));
      const dx = c.op('ConvTranspose', `${n}/dx`, [scaled, ones], spread);
      return { dx: [dx] };
    },
    globalAvgPool2d(_layer, c, _a, { dy, x, inShape, n }): BackwardResult {
      const [h, w] = inShape as [number, number, number];
      const nc11 = c.op('Unsqueeze', `${n}/nc11`, [dy, c.ints([2, 3])]);
      const spread = c.op('Expand', `${n}/expand`, [nc11, c.op('Shape', `${n}/shape`, [x])]);
      return { dx: [c.op('Mul', `${n}/dx`, [spread, c.scalar(1 / (h * w))])] };
    },
  },
};
