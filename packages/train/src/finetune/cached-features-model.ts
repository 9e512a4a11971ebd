// The trainable part of a cut network seen as the whole network: fit trains it on cached features, while callbacks
// (ModelCheckpoint above all) read the whole spec and all weights, so a checkpoint holds the complete fine-tuned model.
import type { ModelInput, ModelTarget, OptimizerState, StepResult, Tensor, TrainableModel, WeightMap } from '@convzoo/backend';
import type { ModelSpec } from '@convzoo/models';

export class CachedFeaturesModel implements TrainableModel {
  constructor(
    /** The whole network (frozen backbone + trainable layers + head). */
    readonly spec: ModelSpec,
    /** The part after the cut: its input is a cached feature, not an image. */
    readonly trainable: TrainableModel,
    /** The frozen part's weights, fixed. */
    private readonly frozenWeights: WeightMap,
  ) {}

  get backend(): string {
    return this.trainable.backend;
  }

  /** Predicts from cached features (the trainable part's input), not from images. */
  predict(x: ModelInput): Promise<Tensor[]> {
    return this.trainable.predict(x);
  }

  trainStep(x: ModelInput, y: ModelTarget): Promise<StepResult> {
    return this.trainable.trainStep(x, y);
  }

  evaluateStep(x: ModelInput, y: ModelTarget): Promise<StepResult> {
    return this.trainable.evaluateStep(x, y);
  }

  /** Every weight of the whole network: the frozen part's and the trained ones. */
  async getWeights(): Promise<WeightMap> {
    return { ...this.frozenWeights, ...(await this.trainable.getWeights()) };
  }

  /** Sets the trainable part's weights; the frozen part's are fixed (the features were computed with them). */
  async setWeights(weights: WeightMap): Promise<void> {
    const own = new Set(Object.keys(await this.trainable.getWeights()));
    const frozen = Object.keys(weights).find((k) => !own.has(k) && k in this.frozenWeights);
    if (frozen !== undefined) throw new Error(`'${frozen}' belongs to the frozen part of '${this.spec.name}': its cached features were computed with it`);
    await this.trainable.setWeights(weights);
  }

  getOptimizerState(): Promise<OptimizerState> {
    return this.trainable.getOptimizerState();
  }

  setOptimizerState(state: OptimizerState): Promise<void> {
    return this.trainable.setOptimizerState(state);
  }

  dispose(): void {
    this.trainable.dispose();
  }
}
