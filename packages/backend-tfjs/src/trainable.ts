// A TfjsModel that trains: losses per output (weighted), gradients by tfjs autodiff, our own Adam/SGD, BatchNorm
// moving statistics updated from the same forward pass.
import type * as tfc from '@tensorflow/tfjs-core';
import {
  BackendError,
  checkInputs,
  checkTargets,
  formatShape,
  optimizerSlots,
  outputActivation,
  sameShape,
  type CompileOptions,
  type ModelInput,
  type ModelTarget,
  type OptimizerState,
  type ResolvedLosses,
  type ResolvedOptimizer,
  type StepResult,
  type TrainableModel,
  type WeightMap,
} from '@convzoo/backend';
import type { ActivationName, CompiledSpec } from '@convzoo/models';
import type { TF } from './engine.js';
import { forward } from './forward.js';
import { outputLoss } from './losses.js';
import { TfjsModel, toBoundary } from './model.js';
import { Optimizer } from './optimizers.js';

export class TfjsTrainableModel extends TfjsModel implements TrainableModel {
  private readonly losses: ResolvedLosses;
  private readonly activations: ActivationName[];
  private readonly optimizer: Optimizer;
  private readonly trainable = new Map<string, tfc.Variable>();

  constructor(
    tf: TF,
    compiled: CompiledSpec,
    backend: string,
    tfBackend: string,
    weights: WeightMap,
    options: CompileOptions,
    resolved: { losses: ResolvedLosses; optimizer: ResolvedOptimizer },
  ) {
    super(tf, compiled, backend, tfBackend, weights, options);
    const { spec } = compiled;
    this.losses = resolved.losses;
    this.activations = spec.outputs.map((o) => outputActivation(spec, o));
    for (const p of this.infos) if (p.trainable) this.trainable.set(p.name, this.params.get(p.name)!);
    this.optimizer = new Optimizer(tf, resolved.optimizer, this.trainable);
  }

  /** Weighted total and per-output losses. Call inside tidy/variableGrads. */
  private lossOf(outputs: tfc.Tensor[], targets: tfc.Tensor[]): { total: tfc.Scalar; each: tfc.Scalar[] } {
    const { tf } = this;
    const each = outputs.map((o, i) => outputLoss(tf, this.losses.losses[i]!, this.activations[i]!, o, targets[i]!));
    const total = each.reduce<tfc.Scalar>((acc, l, i) => tf.add(acc, tf.mul(l, this.losses.weights[i]!)), tf.scalar(0));
    return { total, each };
  }

  private checked(x: ModelInput, y: ModelTarget) {
    const { tensors, batch } = checkInputs(this.spec, x, this.inputShapes);
    const targets = checkTargets(this.spec, y, batch, this.losses.losses, this.outputShapes);
    return { tensors, targets };
  }

  private async result(total: tfc.Tensor, each: tfc.Tensor[], outputs: tfc.Tensor[]): Promise<StepResult> {
    const [loss, ...losses] = await Promise.all([total, ...each].map(async (t) => (await t.data())[0]!));
    return { loss: loss!, losses, outputs: await Promise.all(outputs.map(toBoundary)) };
  }

  async trainStep(x: ModelInput, y: ModelTarget): Promise<StepResult> {
    const { tensors, targets } = this.checked(x, y);
    return this.run(async () => {
      const { tf } = this;
      const kept: tfc.Tensor[] = [];
      const keep = <T extends tfc.Tensor>(t: T): T => (kept.push(tf.keep(t)), t);
      let each: tfc.Scalar[] = [];
      let outputs: tfc.Tensor[] = [];
      let updates = new Map<string, tfc.Tensor>();
      const ins = this.toTf(tensors);
      const ys = this.toTf(targets);
      try {
        const { value, grads } = tf.variableGrads(() => {
          const r = forward(tf, this.compiled, this.params, ins, { training: true, seed: this.seed, step: this.optimizer.step });
          const loss = this.lossOf(r.outputs, ys);
          outputs = r.outputs.map(keep);
          each = loss.each.map(keep);
          updates = new Map([...r.updates].map(([k, v]) => [k, keep(v)]));
          return loss.total;
        }, [...this.trainable.values()]);
        kept.push(value);
        const byParam = new Map<string, tfc.Tensor>();
        for (const [name, v] of this.trainable) {
          const g = grads[v.name];
          if (g) byParam.set(name, g);
        }
        tf.tidy(() => this.optimizer.apply(this.trainable, byParam));
        tf.dispose(Object.values(grads).filter((g): g is tfc.Tensor => g !== null));
        for (const [name, t] of updates) this.params.get(name)!.assign(t);
        return await this.result(value, each, outputs);
      } finally {
        tf.dispose([...kept, ...ins, ...ys]);
      }
    });
  }

  async evaluateStep(x: ModelInput, y: ModelTarget): Promise<StepResult> {
    const { tensors, targets } = this.checked(x, y);
    return this.run(async () => {
      const { tf } = this;
      const r = tf.tidy(() => {
        const f = forward(tf, this.compiled, this.params, this.toTf(tensors), { training: false, seed: this.seed, step: 0 });
        const loss = this.lossOf(f.outputs, this.toTf(targets));
        return { total: loss.total, each: loss.each, outputs: f.outputs };
      });
      try {
        return await this.result(r.total, r.each, r.outputs);
      } finally {
        tf.dispose([r.total, ...r.each, ...r.outputs]);
      }
    });
  }

  async getOptimizerState(): Promise<OptimizerState> {
    return this.run(async () => {
      const slots: WeightMap = {};
      for (const [name, v] of this.optimizer.slots) slots[name] = await toBoundary(v);
      return { step: this.optimizer.step, slots };
    });
  }

  async setOptimizerState(state: OptimizerState): Promise<void> {
    const what = `optimizer state for model '${this.spec.name}'`;
    if (!Number.isInteger(state?.step) || state.step < 0) throw new BackendError('config', `${what}: step must be an integer >= 0, got ${state?.step}`);
    const expected = this.optimizer.slots;
    for (const [name, t] of Object.entries(state.slots ?? {})) {
      const v = expected.get(name);
      if (!v) {
        const names = optimizerSlots(this.optimizer.config);
        throw new BackendError(
          'config',
          `${what}: unknown slot '${name}' (${this.optimizer.config.kind} keeps ${names.length ? names.map((s) => `<param>/${s}`).join(', ') : 'no slots'})`,
        );
      }
      if (!sameShape(t.shape, v.shape) || t.data.length !== v.size) {
        throw new BackendError('config', `${what}: slot '${name}' has shape ${formatShape(t.shape)} but ${formatShape(v.shape)} is expected`);
      }
    }
    const missing = [...expected.keys()].find((k) => !(k in (state.slots ?? {})));
    if (missing !== undefined) throw new BackendError('config', `${what}: slot '${missing}' is missing`);
    return this.run(() => {
      const { tf } = this;
      for (const [name, t] of Object.entries(state.slots)) {
        const v = expected.get(name)!;
        tf.tidy(() => v.assign(tf.tensor(t.data, t.shape, 'float32')));
      }
      this.optimizer.step = state.step;
    });
  }

  protected override free(): void {
    super.free();
    this.optimizer.dispose();
  }
}
