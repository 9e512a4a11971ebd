// Keras' Adam and SGD written with tf ops on our own slot variables, so the optimizer state can be exported and
// restored exactly (OptimizerState: step + `<param>/<slot>` tensors).
import type * as tfc from '@tensorflow/tfjs-core';
import { learningRateAt, optimizerSlots, type ResolvedOptimizer } from '@convzoo/backend';
import type { TF } from './engine.js';

export class Optimizer {
  /** Keras `iterations`: updates applied so far. */
  step = 0;
  /** Slot variables by `<param>/<slot>`. */
  readonly slots = new Map<string, tfc.Variable>();

  constructor(
    private readonly tf: TF,
    readonly config: ResolvedOptimizer,
    params: ReadonlyMap<string, tfc.Variable>,
  ) {
    const names = optimizerSlots(config);
    for (const [name, v] of params) {
      for (const s of names)
        this.slots.set(
          `${name}/${s}`,
          tf.tidy(() => tf.variable(tf.zerosLike(v), false)),
        );
    }
  }

  /** One update of every parameter that has a gradient. Call inside tf.tidy. */
  apply(params: ReadonlyMap<string, tfc.Variable>, grads: ReadonlyMap<string, tfc.Tensor>): void {
    const { tf, config: c } = this;
    const t = this.step + 1;
    const base = learningRateAt(c, this.step);
    for (const [name, grad] of grads) {
      const p = params.get(name)!;
      // PyTorch-style coupled weight decay (SGD only): the decay term joins the gradient before momentum.
      const g = c.kind === 'sgd' && c.weightDecay > 0 ? tf.add(grad, tf.mul(p, c.weightDecay)) : grad;
      if (c.kind === 'adam') {
        // Keras: lr_t = lr * sqrt(1 - b2^t) / (1 - b1^t); m += (g - m)(1 - b1); v += (g^2 - v)(1 - b2);
        // p -= lr_t * m / (sqrt(v) + eps).
        const lrT = (base * Math.sqrt(1 - c.beta2 ** t)) / (1 - c.beta1 ** t);
        const m = this.slots.get(`${name}/m`)!;
        const v = this.slots.get(`${name}/v`)!;
        m.assign(tf.add(m, tf.mul(tf.sub(g, m), 1 - c.beta1)));
        v.assign(tf.add(v, tf.mul(tf.sub(tf.square(g), v), 1 - c.beta2)));
        p.assign(tf.sub(p, tf.div(tf.mul(m, lrT), tf.add(tf.sqrt(v), c.epsilon))));
      } else {
        // Keras 2 time decay on the iteration count before this update.
        const lr = base / (1 + c.decay * this.step);
        if (c.momentum > 0) {
          const v = this.slots.get(`${name}/momentum`)!;
          v.assign(tf.sub(tf.mul(v, c.momentum), tf.mul(g, lr)));
          p.assign(c.nesterov ? tf.add(p, tf.sub(tf.mul(v, c.momentum), tf.mul(g, lr))) : tf.add(p, v));
        } else {
          p.assign(tf.sub(p, tf.mul(g, lr)));
        }
      }
    }
    this.step = t;
  }

  dispose(): void {
    for (const v of this.slots.values()) v.dispose();
    this.slots.clear();
  }
}
