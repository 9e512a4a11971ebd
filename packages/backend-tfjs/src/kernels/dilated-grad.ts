// tfjs-core's Conv2D gradient rejects dilation > 1 before any kernel runs. The replacement kernels accept a
// `dilations` attribute, so a dilated conv can train on cpu and wasm through tf.customGrad with this gradient.
import type * as tfc from '@tensorflow/tfjs-core';

export interface DilatedConvGradArgs {
  x: tfc.Tensor4D;
  filter: tfc.Tensor4D;
  dy: tfc.Tensor4D;
  strides: [number, number];
  pad: 'valid' | 'same' | [[number, number], [number, number], [number, number], [number, number]];
  dilations: [number, number];
}

/** { dx, dFilter } of conv2d(x, filter, strides, pad, 'NHWC', dilations), on a backend with convzoo's kernels. */
export function conv2dGradients(
  tf: typeof tfc,
  replaced: (backendName: string) => string[],
  a: DilatedConvGradArgs,
): { dx: tfc.Tensor4D; dFilter: tfc.Tensor4D } {
  const backend = tf.getBackend();
  const have = replaced(backend);
  if (!have.includes('Conv2DBackpropFilter') || !have.includes('Conv2DBackpropInput')) {
    throw new Error(`conv2dGradients: backend '${backend}' has no convzoo conv kernels (they exist for cpu and wasm); its stock kernels ignore dilations`);
  }
  const attrs = { strides: a.strides, pad: a.pad, dataFormat: 'NHWC', dilations: a.dilations };
  const dx = tf.engine().runKernel('Conv2DBackpropInput', { dy: a.dy, filter: a.filter }, {
    ...attrs,
    inputShape: a.x.shape,
  } as unknown as tfc.NamedAttrMap) as tfc.Tensor4D;
  const dFilter = tf.engine().runKernel('Conv2DBackpropFilter', { x: a.x, dy: a.dy }, {
    ...attrs,
    filterShape: a.filter.shape,
  } as unknown as tfc.NamedAttrMap) as tfc.Tensor4D;
  return { dx, dFilter };
}
