// A TrainingSession-shaped API over importOnnx, for users of onnxruntime-web's removed training API: one ONNX file
// in (no offline artifact generation), trainStep / evalStep / weights / exportModelForInference out, on any registered
// backend that trains (onnx-cpu, onnx-wasm, onnx-webgpu, tfjs-*).
import { compile, type LossName, type OptimizerConfig, type StepResult, type Tensor, type TrainableModel, type WeightMap } from '@convzoo/backend';
import type { ModelSpec } from '@convzoo/models';
import { toOnnx } from '../export/to-onnx.js';
import { importOnnx } from './import-onnx.js';
import { withSoftmaxOutput } from './softmax-output.js';

export interface OnnxTrainingSessionOptions {
  /** A registered backend that trains (register it first: registerOnnxBackends()). Default 'onnx-cpu'. */
  backend?: string;
  /** Default 'sparseCategoricalCrossentropy' (labels as class indices). */
  loss?: LossName;
  optimizer: OptimizerConfig;
}

/** NCHW -> NHWC (the layout convzoo computes in). */
export function nchwToNhwc(t: Tensor): Tensor {
  const [n, c, h, w] = t.shape as [number, number, number, number];
  const data = new Float32Array(t.data.length);
  for (let b = 0; b < n; b++)
    for (let z = 0; z < c; z++)
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[((b * h + y) * w + x) * c + z] = t.data[((b * c + z) * h + y) * w + x]!;
  return { shape: [n, h, w, c], data };
}

export class OnnxTrainingSession {
  private constructor(
    private readonly model: TrainableModel,
    /** The imported spec (the file's outputs, logits or probabilities). */
    readonly spec: ModelSpec,
    /** The layout `trainStep`/`evalStep` take images in: the ONNX file's. */
    readonly inputLayout: 'NCHW' | 'NHWC',
  ) {}

  /**
   * From ONNX bytes (torch.onnx.export, Keras' export): imports the model, and when its output is not a softmax (logits),
   * trains through an appended softmax, as the cross-entropies read probabilities (PyTorch's CrossEntropyLoss on logits).
   */
  static async create(bytes: Uint8Array, options: OnnxTrainingSessionOptions): Promise<OnnxTrainingSession> {
    const { spec, weights, inputLayout } = importOnnx(bytes);
    const trained = withSoftmaxOutput(spec);
    const model = (await compile(trained, {
      backend: options.backend ?? 'onnx-cpu',
      weights,
      strictWeights: true,
      training: { loss: options.loss ?? 'sparseCategoricalCrossentropy', optimizer: options.optimizer },
    })) as TrainableModel;
    return new OnnxTrainingSession(model, spec, inputLayout);
  }

  private input(x: Tensor): Tensor {
    return this.inputLayout === 'NCHW' ? nchwToNhwc(x) : x;
  }

  /** One optimizer update (BatchNorm on batch statistics, dropout on); `y` holds class indices for the default loss. */
  trainStep(x: Tensor, y: Tensor): Promise<StepResult> {
    return this.model.trainStep(this.input(x), y);
  }

  /** Loss and (probability) outputs in inference mode, no update. */
  evalStep(x: Tensor, y: Tensor): Promise<StepResult> {
    return this.model.evaluateStep(this.input(x), y);
  }

  getWeights(): Promise<WeightMap> {
    return this.model.getWeights();
  }

  setWeights(weights: WeightMap): Promise<void> {
    return this.model.setWeights(weights);
  }

  /** The trained model as ONNX bytes with the imported outputs; its input is NHWC (convzoo's interface), opset 13. */
  async exportModelForInference(): Promise<Uint8Array> {
    return toOnnx(this.spec, await this.model.getWeights());
  }

  release(): void {
    this.model.dispose();
  }
}
