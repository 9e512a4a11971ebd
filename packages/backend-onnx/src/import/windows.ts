// ONNX window attributes (pads, auto_pad, ceil_mode) -> convzoo padding, and the window's output size.
import { type Padding, type Shape3, slide } from '@convzoo/models';
import type { NodeContext } from './import-context.js';

export interface ResolvedWindow {
  padding: Padding;
  /** Output height and width. */
  out: [number, number];
}

/** Cells past the bottom/right that ceil_mode adds; ONNX Runtime drops a last window that starts past the padded input. */
function ceilExtra(size: number, extent: number, stride: number, before: number, after: number): number {
  let out = Math.ceil((size + before + after - extent) / stride) + 1;
  if ((out - 1) * stride >= size + before) out -= 1;
  return Math.max((out - 1) * stride + extent - (size + before + after), 0);
}

/**
 * The padding of a Conv or pool over an NCHW image `[h, w, c]`, as convzoo writes it: 'valid', 'same' (ONNX
 * SAME_UPPER is TensorFlow's 'same'), or explicit cells (SAME_LOWER, pads, and ceil_mode's extra bottom/right cells).
 */
export function resolveWindow(
  c: NodeContext,
  [h, w]: Shape3,
  kernel: [number, number],
  strides: [number, number],
  dilation: [number, number],
  padsOverride?: number[],
): ResolvedWindow {
  const autoPad = c.attrs.string('auto_pad', 'NOTSET');
  const ceil = c.attrs.int('ceil_mode', 0) === 1;
  const extent = (k: number, d: number) => (k - 1) * d + 1;
  let padding: Padding;
  if (autoPad === 'VALID') padding = 'valid';
  else if (autoPad === 'SAME_UPPER') padding = 'same';
  else if (autoPad === 'SAME_LOWER') {
    const lower = (size: number, a: 0 | 1) => {
      const out = Math.ceil(size / strides[a]);
      const total = Math.max((out - 1) * strides[a] + extent(kernel[a], dilation[a]) - size, 0);
      return [Math.ceil(total / 2), Math.floor(total / 2)] as const;
    };
    const [top, bottom] = lower(h, 0);
    const [left, right] = lower(w, 1);
    padding = { top, bottom, left, right };
  } else if (autoPad === 'NOTSET') {
    const pads = padsOverride ?? c.attrs.ints('pads', [0, 0, 0, 0]);
    if (pads.length !== 4) c.fail(`pads ${JSON.stringify(pads)}: only 2-D windows are supported`);
    const [top, left, bottom, right] = pads as [number, number, number, number];
    padding = { top, bottom, left, right };
  } else c.fail(`unknown auto_pad '${autoPad}'`);
  if (ceil) {
    if (typeof padding === 'string') c.fail(`ceil_mode with auto_pad ${autoPad} is not supported`);
    padding = {
      ...padding,
      bottom: padding.bottom + ceilExtra(h, extent(kernel[0], dilation[0]), strides[0], padding.top, padding.bottom),
      right: padding.right + ceilExtra(w, extent(kernel[1], dilation[1]), strides[1], padding.left, padding.right),
    };
  }
  if (typeof padding === 'object' && padding.top === 0 && padding.bottom === 0 && padding.left === 0 && padding.right === 0) padding = 'valid';
  const oh = slide(h, kernel[0], strides[0], dilation[0], padding, 0).out;
  const ow = slide(w, kernel[1], strides[1], dilation[1], padding, 1).out;
  if (oh < 1 || ow < 1) c.fail(`the ${kernel.join('x')} window does not fit the ${h}x${w} input`);
  return { padding, out: [oh, ow] };
}

/** Two ints of an attribute (kernel_shape, strides, dilations), refusing anything but 2-D windows. */
export function pair(c: NodeContext, name: string, fallback: [number, number]): [number, number] {
  const v = c.attrs.ints(name, fallback);
  if (v.length !== 2) c.fail(`${name} ${JSON.stringify(v)}: only 2-D windows are supported`);
  return [v[0]!, v[1]!];
}
