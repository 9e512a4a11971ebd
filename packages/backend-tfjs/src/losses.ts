// Keras' cross-entropies. An output made by softmax/sigmoid is read as probabilities: normalised (categorical),
// clipped to [1e-7, 1 - 1e-7] and logged, as Keras does with from_logits=False. Any other output is read as logits.
// Tensor ops, not @convzoo/backend's crossEntropySum, because autodiff must see them; EPSILON is the shared one.
import type * as tfc from '@tensorflow/tfjs-core';
import { EPSILON, type LossName } from '@convzoo/backend';
import type { ActivationName } from '@convzoo/models';
import type { TF } from './engine.js';

const probabilities = (a: ActivationName) => a === 'softmax' || a === 'sigmoid';

/** Mean over the batch (and any other leading axes) of a per-sample loss: Keras' sum_over_batch_size. */
export function outputLoss(tf: TF, loss: LossName, activation: ActivationName, output: tfc.Tensor, target: tfc.Tensor): tfc.Scalar {
  const last = output.rank - 1;
  if (loss === 'binaryCrossentropy') {
    let perCell: tfc.Tensor;
    if (probabilities(activation)) {
      const p = tf.clipByValue(output, EPSILON, 1 - EPSILON);
      perCell = tf.neg(tf.add(tf.mul(target, tf.log(p)), tf.mul(tf.sub(1, target), tf.log(tf.sub(1, p)))));
    } else {
      // sigmoid_cross_entropy_with_logits: max(z, 0) - z * t + log(1 + exp(-|z|)).
      perCell = tf.add(tf.sub(tf.relu(output), tf.mul(output, target)), tf.log1p(tf.exp(tf.neg(tf.abs(output)))));
    }
    return tf.mean(tf.mean(perCell, last));
  }
  const classes = output.shape[last]!;
  const oneHot = loss === 'sparseCategoricalCrossentropy' ? tf.oneHot(tf.cast(tf.reshape(target, [-1]), 'int32'), classes) : target;
  let logp: tfc.Tensor;
  if (probabilities(activation)) {
    const p = tf.clipByValue(tf.div(output, tf.sum(output, last, true)), EPSILON, 1 - EPSILON);
    logp = tf.log(p);
  } else {
    logp = tf.logSoftmax(output);
  }
  return tf.mean(tf.neg(tf.sum(tf.mul(tf.reshape(oneHot, output.shape), logp), last)));
}
