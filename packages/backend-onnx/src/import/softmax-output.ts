// convzoo's cross-entropies read probabilities; PyTorch files output logits (their CrossEntropyLoss adds the softmax).
// Training an imported classifier therefore goes through an appended softmax, unless its output already is one.
import type { ModelSpec } from '@convzoo/models';

/** Whether the spec's first output is a softmax (Keras exports) rather than logits (PyTorch exports). */
export function outputsProbabilities(spec: ModelSpec): boolean {
  const out = spec.layers.find((l) => l.name === spec.outputs[0]);
  return out?.kind === 'activation' && out.activation === 'softmax';
}

/** `spec` trained through a softmax after its first output (named `<output>/softmax`, the only output) when that output is logits; else `spec`. */
export function withSoftmaxOutput(spec: ModelSpec): ModelSpec {
  if (outputsProbabilities(spec)) return spec;
  const out = spec.outputs[0]!;
  const softmax = `${out}/softmax`;
  return {
    ...spec,
    layers: [...spec.layers, { kind: 'activation', name: softmax, inputs: [out], activation: 'softmax' }],
    outputs: [softmax],
  };
}
