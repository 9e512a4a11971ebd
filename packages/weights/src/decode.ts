// Keras' decode_predictions: the top-k classes of a probability vector, with their labels.

export interface Prediction {
  /** Class index in the model's output. */
  index: number;
  label: string;
  probability: number;
}

/**
 * The `k` largest entries of `probs` (ties: lower index first), labelled from `labels`. `probs` holds one image's
 * scores; its length must equal the number of labels.
 */
export function decodePredictions(probs: Float32Array, labels: readonly string[], k = 5): Prediction[] {
  if (probs.length !== labels.length) {
    throw new Error(`decodePredictions: ${probs.length} scores but ${labels.length} labels`);
  }
  if (!Number.isInteger(k) || k < 1) throw new Error(`decodePredictions: k must be an integer >= 1, got ${k}`);
  const order = Array.from(probs.keys()).sort((a, b) => probs[b]! - probs[a]! || a - b);
  return order.slice(0, Math.min(k, probs.length)).map((index) => ({ index, label: labels[index]!, probability: probs[index]! }));
}
