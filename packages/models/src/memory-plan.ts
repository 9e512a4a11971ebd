// What a batch of a network needs in memory, from the spec alone: the fixed part (weights, gradients, optimizer
// slots) and the part that grows with the batch (every layer's output, which training keeps for the backward pass,
// and the largest im2col patch matrix a convolution's gradient builds). Backends turn this into bytes of their own
// with measured factors (@convzoo/backend's memory check); the arithmetic here is exact.
import { analyze, BYTES_PER_FLOAT } from './analysis.js';
import { asCompiled, type CompiledSpec } from './compiled.js';
import type { ModelSpec } from './types.js';

export interface MemoryPlanOptions {
  batchSize: number;
  /** Training keeps activations for the backward pass and holds gradients and optimizer slots. */
  training: boolean;
  /** Optimizer slot tensors per trainable parameter (Adam 2, SGD with momentum 1). Default 2. */
  optimizerSlots?: number;
}

export interface MemoryPlan {
  batchSize: number;
  training: boolean;
  weightBytes: number;
  gradientBytes: number;
  optimizerBytes: number;
  /** Every layer's output for the whole batch, the input included. */
  activationBytes: number;
  /** The largest single layer output for the batch. */
  largestActivationBytes: number;
  /** The largest convolution patch matrix (im2col) for the batch: batch x oh x ow x kh*kw*cin/groups floats. */
  largestTemporaryBytes: number;
  /** Its layer, for messages. */
  largestTemporaryLayer?: string;
}

export function memoryPlan(specOrCompiled: ModelSpec | CompiledSpec, options: MemoryPlanOptions): MemoryPlan {
  const { batchSize: b, training } = options;
  if (!Number.isInteger(b) || b < 1) throw new RangeError(`batchSize must be an integer >= 1, got ${b}`);
  const compiled = asCompiled(specOrCompiled);
  const { spec, shapes } = compiled;
  const a = analyze(compiled);
  let temp = 0;
  let tempLayer: string | undefined;
  for (const layer of spec.layers) {
    if (layer.kind !== 'conv2d') continue;
    const [kh, kw] = layer.kernelSize;
    const input = shapes.get(layer.inputs[0]!)!;
    const [oh, ow] = shapes.get(layer.name)!;
    if (kh * kw === 1) continue; // a 1x1 conv is a plain matrix product, no patches
    const floats = oh! * ow! * kh * kw * (input[2]! / layer.groups);
    if (floats > temp) [temp, tempLayer] = [floats, layer.name];
  }
  const slots = options.optimizerSlots ?? 2;
  const largest = Math.max(...a.layers.map((l) => l.activations));
  return {
    batchSize: b,
    training,
    weightBytes: a.totals.paramBytes,
    gradientBytes: training ? a.totals.trainableParams * BYTES_PER_FLOAT : 0,
    optimizerBytes: training ? a.totals.trainableParams * BYTES_PER_FLOAT * slots : 0,
    activationBytes: a.totals.activations * BYTES_PER_FLOAT * b,
    largestActivationBytes: largest * BYTES_PER_FLOAT * b,
    largestTemporaryBytes: temp * BYTES_PER_FLOAT * b,
    ...(tempLayer ? { largestTemporaryLayer: tempLayer } : {}),
  };
}
