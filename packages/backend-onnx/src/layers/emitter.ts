// The types every ONNX layer emitter shares. One forward emitter per layer kind serves both graphs convzoo writes:
// the exported inference file (src/export) and the training graphs (src/train: train, eval, predict). They differ in
// what a context provides (names, where weights come from) and in what the training graph adds (saved
// intermediates, BatchNorm updates, MaxPool indices, the phased first block), never in a second copy of a kind.
// Activations are NCHW ([N, C, H, W]) or [N, n]; shapes are the spec's (NHWC without batch).
import type { FeatureShape, KindTable, Layer, LayerKind, WindowPads } from '@convzoo/models';
import type { AttrValue, GraphBuilder } from '../export/graph-builder.js';

export type SpecLayer = Exclude<Layer, { kind: 'input' }>;
export type EmittedKind = Exclude<LayerKind, 'input'>;

/** What a forward emitter may do to the graph. */
export interface ForwardCtx {
  /**
   * 'export': the inference file, which uses ONNX's own inference operators (BatchNormalization, LRN, Resize, chained
   * Adds) with the weights as constants. 'training': the train/eval/predict graphs, whose weights are graph inputs and
   * which spell BatchNorm, LRN and Resize out in primitives the backward pass reads (and add with one Sum). Both forms
   * are kept as they were: merging them would change the exported files or the training graphs.
   */
  readonly graph: 'export' | 'training';
  /**
   * Adds a node whose one output is named `name` (the training graph makes it unique) and returns that output.
   * role 'layer': the layer's own node, named after the layer in an exported file (`conv2d` for its Conv).
   */
  op(type: string, name: string, inputs: string[], attrs?: Record<string, AttrValue>, role?: 'layer'): string;
  /** Adds a node with several outputs named `<name>/<i>`. */
  ops(type: string, name: string, inputs: string[], count: number, attrs?: Record<string, AttrValue>): string[];
  /** A float scalar constant; `name` names it in an exported file (training graphs share one per value). */
  scalar(v: number, name?: string): string;
  /** An int64 vector constant; `name` as for scalar. */
  ints(v: number[], name?: string): string;
  floats(name: string, dims: number[], data: Float32Array): string;
}

/** The training graph's context: the forward's, plus the builder and the helpers the gradients use. */
export interface TrainCtx extends ForwardCtx {
  readonly graph: 'training';
  g: GraphBuilder;
  /** As op, for an operator of another operator set than ONNX's (ONNX Runtime's contrib ops). */
  domainOp(domain: string, type: string, name: string, inputs: string[], attrs?: Record<string, AttrValue>): string;
  /** v where x is inside its clip (clipped = Clip(x) equals x), else 0: tf.clipByValue's gradient. */
  clipGrad(prefix: string, x: string, clipped: string, v: string): string;
  /** 1 where a == b, else 0, as float32 (see floatEqual). */
  floatEqual(prefix: string, a: string, b: string): string;
  /** The graph input of a parameter, by its full name (`<layer>/<param>`). */
  param(name: string): string;
}

/** How max pooling's backward pass finds each window's winner; false: recomputed from x and y. */
export type PoolIndices = false | 'scatter' | 'unpool';

export interface ForwardArgs {
  inputs: string[];
  /** From the analysed spec (CompiledLayer): input shapes and, for sliding windows, the resolved padding. */
  inputShapes: FeatureShape[];
  pads?: WindowPads;
  /** The graph value of one of this layer's parameters (`kernel`, `bias`, ...), conv kernels OIHW. */
  param(name: string): string;
  /** Training mode (the train graph): batch statistics, dropout masks, saved intermediates. */
  training: boolean;
  /** Name of this layer's dropout mask input (training). */
  mask?: string;
  /**
   * Max pooling may return its arg-max (MaxPool's Indices output; the WebGPU EP has none), for MaxUnpool where windows
   * do not overlap ('unpool': the CPU EP has it) or ScatterElements ('scatter', and overlapping windows).
   */
  poolIndices?: PoolIndices;
  /** A conv and the 2x2 max pool reading it, computed by window phases (phased-pool.ts; training on the CPU EP). */
  phased?: boolean;
  /**
   * BatchNorm in the eval and predict graphs as ONNX's BatchNormalization operator (one pass: CPU, WASM, CUDA); else
   * spelled out in elementwise ops (WebGPU, where the operator fed computed statistics gave a loss 8% off tfjs).
   */
  batchNormOperator?: boolean;
  /**
   * BatchNorm in training: the centred form (normalise and affines as BatchNormalization operators, see norm.ts; the
   * CPU EP, also in WASM), else spelled out in elementwise ops (WebGPU, CUDA).
   */
  batchNormCentred?: boolean;
  /** Convolutions as ONNX Runtime's blocked-channel Conv with this channel block (see nchwc.ts); 0: ONNX's Conv. */
  nchwcBlock?: number;
}

export interface ForwardResult {
  output: string;
  /** Values the backward emitter reads (by key). */
  saved: Record<string, string>;
  /** BatchNorm moving statistics: [param name, new value]. */
  updates?: [string, string][];
}

export type ForwardLocals = { x: string; inShape: FeatureShape; n: string; p: (name: string) => string };
export type ForwardTable = KindTable<[c: ForwardCtx, a: ForwardArgs, locals: ForwardLocals], ForwardResult, EmittedKind>;

export interface BackwardArgs {
  dy: string;
  inputs: string[];
  inputShapes: FeatureShape[];
  pads?: WindowPads;
  output: string;
  saved: Record<string, string>;
  /** Which inputs need a gradient (false: the input of the graph, or nothing trainable upstream). */
  needInput: boolean[];
  trainable: boolean;
  /** This layer's relu mask was already applied to dy (by the max pool reading it: see foldRelu). */
  reluApplied?: boolean;
  /** Max pooling: apply the input's relu mask to dy at pooled resolution (the arg-max cell is where y_in = y_out). */
  foldRelu?: boolean;
  /** Conv dW as one 3-D Conv (CPU/CUDA/WASM); else a 2-D Conv over transposed tensors (onnxruntime-web's WebGPU 3-D Conv supports no padding). */
  dw3d?: boolean;
  /** With dw3d: small kernels on large maps by a grouped one-hot Conv (unfold) and one batched MatMul, not tap by tap (WASM). */
  dwUnfold?: boolean;
  /** Conv dx as a Conv with the flipped kernel (stride 1) or MatMul + Col2Im (the CPU EP, also in WASM); else ConvTranspose (CUDA and WebGPU have no Col2Im kernel). */
  col2im?: boolean;
  /** As ForwardArgs.phased: dy and the gradient handed on are in the window-phase layout. */
  phased?: boolean;
  /** As ForwardArgs.nchwcBlock, for the convolutions of the backward pass. */
  nchwcBlock?: number;
}

export interface BackwardResult {
  /** Gradient of each input (undefined when not needed). */
  dx: (string | undefined)[];
  /** Gradients of this layer's trainable params, by param short name (`kernel`, `bias`, `gamma`, `beta`). */
  params?: Record<string, string>;
}

export type BackwardLocals = { dy: string; x: string; inShape: FeatureShape; n: string; p: (name: string) => string; needX: boolean };
export type BackwardTable = KindTable<[c: TrainCtx, a: BackwardArgs, locals: BackwardLocals], BackwardResult, EmittedKind>;

/** The emitters of a family of kinds (one file each): forward (export and training) and backward (training). */
export interface LayerFamily<K extends EmittedKind> {
  forward: Pick<ForwardTable, K>;
  backward: Pick<BackwardTable, K>;
}

export const NCHW_SPATIAL = [0, 2, 3];

/** A sliding window's padding as ONNX `pads` ([top, left, bottom, right]), as the analysed spec resolved it. */
export function onnxPadsAttr(layerName: string, pads: WindowPads | undefined): [number, number, number, number] {
  if (!pads) throw new Error(`internal: layer '${layerName}' reached an ONNX window emitter without resolved pads`);
  return [pads.top, pads.left, pads.bottom, pads.right];
}

/** Output size of a window along one axis. */
export function windowOutSize(size: number, kernel: number, stride: number, dilation: number, before: number, after: number): number {
  return Math.floor((size + before + after - ((kernel - 1) * dilation + 1)) / stride) + 1;
}

/**
 * The sum of same-shaped values in a training graph: Add for two (ORT's CPU Add runs on all threads, its Sum on one:
 * a ResNet20 stage-1 residual [128, 16, 32, 32] took 2.4 ms as Sum under the profiler; the whole step 1,065 -> 994 ms
 * CPU, sessions in turn), Sum for more.
 */
export function sumValues(c: ForwardCtx, name: string, values: string[]): string {
  return values.length === 2 ? c.op('Add', name, values) : c.op('Sum', name, values);
}
