// The tutorial LeNet training step written directly in tfjs ops (conv 20 5x5 relu, maxpool 2, conv 50 5x5 relu,
// maxpool 2, flatten, dense 500 relu, dense 10 softmax; categorical cross-entropy; Adam with Keras defaults).
// It needs no convzoo compile, so it can time tfjs' STOCK kernels before the replacements are installed.
import type * as tfc from '@tensorflow/tfjs-core';

export interface DirectStep {
  step(x: tfc.Tensor4D, y: tfc.Tensor2D): void;
  dispose(): void;
}

export function lenetDirect(tf: typeof tfc, seed = 1): DirectStep {
  const glorot = (shape: number[], fanIn: number, fanOut: number, s: number) =>
    tf.variable(tf.randomUniform(shape, -Math.sqrt(6 / (fanIn + fanOut)), Math.sqrt(6 / (fanIn + fanOut)), 'float32', seed + s));
  const vars = [
    glorot([5, 5, 1, 20], 25, 500, 1),
    tf.variable(tf.zeros([20])),
    glorot([5, 5, 20, 50], 500, 1250, 2),
    tf.variable(tf.zeros([50])),
    glorot([800, 500], 800, 500, 3),
    tf.variable(tf.zeros([500])),
    glorot([500, 10], 500, 10, 4),
    tf.variable(tf.zeros([10])),
  ];
  const [k1, b1, k2, b2, k3, b3, k4, b4] = vars as [
    tfc.Variable<tfc.Rank.R4>,
    tfc.Variable,
    tfc.Variable<tfc.Rank.R4>,
    tfc.Variable,
    tfc.Variable<tfc.Rank.R2>,
    tfc.Variable,
    tfc.Variable<tfc.Rank.R2>,
    tfc.Variable,
  ];
  const optimizer = tf.train.adam(1e-3, 0.9, 0.999, 1e-7);
  const loss = (x: tfc.Tensor4D, y: tfc.Tensor2D) => {
    let h = tf.relu(tf.add(tf.conv2d(x, k1, 1, 'valid'), b1)) as tfc.Tensor4D;
    h = tf.maxPool(h, 2, 2, 'valid');
    h = tf.relu(tf.add(tf.conv2d(h, k2, 1, 'valid'), b2)) as tfc.Tensor4D;
    h = tf.maxPool(h, 2, 2, 'valid');
    const f = tf.reshape(h, [h.shape[0], 800]) as tfc.Tensor2D;
    const d = tf.relu(tf.add(tf.matMul(f, k3), b3)) as tfc.Tensor2D;
    const logits = tf.add(tf.matMul(d, k4), b4) as tfc.Tensor2D;
    return tf.losses.softmaxCrossEntropy(y, logits) as tfc.Scalar;
  };
  return {
    step(x, y) {
      const l = optimizer.minimize(() => loss(x, y), true, vars);
      l?.dataSync();
      l?.dispose();
    },
    dispose() {
      tf.dispose(vars);
      optimizer.dispose();
    },
  };
}
