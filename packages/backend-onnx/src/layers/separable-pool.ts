// Max pooling's gradient for overlapping windows on the CPU EP, without MaxPool's Indices output (a scalar loop) or a
// ScatterElements (one thread). Forward and backward of one pool, `python scripts/pool-separable.py ...` (Python ORT
// 1.30, 2 threads), MaxPool with Indices + ScatterElements against MaxPool + this: GoogLeNet's 3x3/1 pool on
// [64, 480, 28, 28] 844 -> 208 ms; its 3x3/2 stem pool on [64, 64, 112, 112] 473 -> 248 ms.
//
// A kh x kw max is a 1 x kw max along rows, then a kh x 1 max along columns of those row maxima. The first maximal
// cell in row-major order (TensorFlow's choice on ties) is then the first row whose row maximum equals y, and in that
// row the first cell equal to it; so dy goes back one axis at a time: per window tap, in order, the share of what is
// left of dy where that tap equals the window's value, the last tap taking the rest. Elementwise ops only (Equal, Mul,
// Sub, Pad, Slice, Add), which the CPU EP runs on all threads but Pad and Slice.
import type { TrainCtx } from './emitter.js';

/** One spatial axis of a pooling window on NCHW values. */
interface WindowAxis {
  axis: 2 | 3;
  size: number;
  kernel: number;
  stride: number;
  before: number;
  out: number;
  /** The tensors' size on the other spatial axis (for the interleave's Reshape). */
  other: number;
}

export interface PoolWindow {
  h: number;
  w: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  pt: number;
  pl: number;
  pr: number;
  ho: number;
  wo: number;
}

/** Per-sample input cells from which a strided pool takes this form (see separablePoolPays). */
export const STRIDED_MIN_CELLS = 1 << 19;

/**
 * Whether this form pays for a pool of overlapping windows: stride 1 always; strided pools (each axis's stride at
 * most its kernel) on large maps only. On small maps their strided Slices and interleave cost more than
 * ScatterElements, whose cost per cell grows with the map. GoogLeNet b64 (ms per step under ORT's profiler, mean of
 * 4 runs, Indices + ScatterElements -> this form):
 * 3x3/1 pools on 28x28x480 500 -> 130, 14x14x512 209 -> 77, 7x7x832 47 -> 44; 3x3/2 on 112x112x64 (803k cells a
 * sample) 458 -> 261, 56x56x192 (602k) 123 -> 124, 55x55x64 (194k) 52 -> 75, 14x14x832 (163k) 47 -> 84.
 */
export function separablePoolPays(g: Pick<PoolWindow, 'h' | 'w' | 'kh' | 'kw' | 'sh' | 'sw'>, channels: number): boolean {
  if (g.sh > g.kh || g.sw > g.kw) return false;
  return (g.sh === 1 && g.sw === 1) || g.h * g.w * channels >= STRIDED_MIN_CELLS;
}

/** Below every finite activation: padded cells never equal a window's maximum. */
const PAD_LOW = -3.4e38;

/** v moved by `before` cells along the axis (negative: towards the start), cut or filled to `length` cells. */
function shift(c: TrainCtx, name: string, v: string, ax: WindowAxis, before: number, length: number, size: number, low = false): string {
  const after = length - size - before;
  if (before === 0 && after === 0) return v;
  const pads = [0, 0, 0, 0, 0, 0, 0, 0];
  pads[ax.axis] = before;
  pads[4 + ax.axis] = after;
  return c.op('Pad', name, [v, c.ints(pads), ...(low ? [c.scalar(PAD_LOW)] : [])], { mode: 'constant' });
}

function addAll(c: TrainCtx, name: string, values: string[]): string {
  // Add, not Sum: ORT's CPU Sum runs on one thread (emitter.ts sumValues).
  return values.slice(1).reduce((acc, v, i) => c.op('Add', `${name}${i}`, [acc, v]), values[0]!);
}

/** The gradient along one axis: v (the pooled input), y = max over windows of v, dy at y's shape. */
function axisBackward(c: TrainCtx, n: string, v: string, y: string, dy: string, ax: WindowAxis): string {
  const { axis, size, kernel: k, stride: s, before, out } = ax;
  // Taps 0 .. k-2 in order, each taking its share of what is left; the last tap takes the rest.
  let rest = dy;
  const shares: string[] = [];
  let padded: string | undefined;
  for (let t = 0; t < k - 1; t++) {
    let vt: string;
    if (s === 1) vt = shift(c, `${n}/v${t}`, v, ax, before - t, out, size, true);
    else {
      // Strided taps read one -inf padded copy.
      const end = t + s * (out - 1) + 1;
      padded ??= shift(c, `${n}/vpad`, v, ax, before, Math.max(size + before, k - 1 + s * (out - 1)), size, true);
      vt = c.op('Slice', `${n}/v${t}`, [padded, c.ints([t]), c.ints([end]), c.ints([axis]), c.ints([s])]);
    }
    const hit = c.op('Cast', `${n}/hit${t}`, [c.op('Equal', `${n}/eq${t}`, [vt, y])], { to: 1 });
    const share = c.op('Mul', `${n}/g${t}`, [rest, hit]);
    shares.push(share);
    rest = c.op('Sub', `${n}/rest${t}`, [rest, share]);
  }
  shares.push(rest);
  if (s === 1)
    return addAll(
      c,
      `${n}/dx`,
      shares.map((g, t) => shift(c, `${n}/put${t}`, g, ax, t - before, size, out)),
    );
  // Stride s: input cell s*j + t - before gets tap t of window j. Per residue r = t mod s, the taps' shares placed at
  // j + (t - r) / s, then the s residues interleaved (a Concat on a new axis after this one) and the padding cut.
  const m = Math.max(Math.ceil((before + size) / s), out + Math.floor((k - 1) / s));
  const residues = Array.from({ length: s }, (_, r) => {
    const parts: string[] = [];
    for (let t = r; t < k; t += s) parts.push(shift(c, `${n}/put${t}`, shares[t]!, ax, (t - r) / s, m, out));
    return addAll(c, `${n}/r${r}`, parts);
  });
  const stacked = c.op(
    'Concat',
    `${n}/interleave`,
    residues.map((r, i) => c.op('Unsqueeze', `${n}/r${i}/5d`, [r, c.ints([axis + 1])])),
    { axis: axis + 1 },
  );
  const merged = c.op('Reshape', `${n}/merged`, [stacked, c.ints(axis === 2 ? [0, 0, m * s, ax.other] : [0, 0, ax.other, m * s])]);
  if (before === 0 && m * s === size) return merged;
  return c.op('Slice', `${n}/dx`, [merged, c.ints([before]), c.ints([before + size]), c.ints([axis])]);
}

/** dx of a max pool (geometry g, input x [N, C, h, w], output y, gradient dy), along columns then rows. */
export function separablePoolBackward(c: TrainCtx, n: string, g: PoolWindow, x: string, y: string, dy: string): string {
  // The row maxima, recomputed (MLAS MaxPool) rather than kept from the forward pass: they are x's size.
  const rowMax =
    g.kw === 1 && g.sw === 1 && g.pl === 0 && g.pr === 0
      ? x
      : c.op('MaxPool', `${n}/rowmax`, [x], { kernel_shape: [1, g.kw], strides: [1, g.sw], pads: [0, g.pl, 0, g.pr] });
  const cols: WindowAxis = { axis: 2, size: g.h, kernel: g.kh, stride: g.sh, before: g.pt, out: g.ho, other: g.wo };
  const rows: WindowAxis = { axis: 3, size: g.w, kernel: g.kw, stride: g.sw, before: g.pl, out: g.wo, other: g.h };
  const dRowMax = axisBackward(c, `${n}/cols`, rowMax, y, dy, cols);
  return axisBackward(c, `${n}/rows`, x, rowMax, dRowMax, rows);
}
