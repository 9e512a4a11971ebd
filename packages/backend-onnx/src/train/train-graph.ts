// (spec, losses, optimizer) -> one ONNX graph per mode, with standard ops only (inference builds of ONNX Runtime
// have no gradient ops), so every ORT execution provider can train:
//   'train':   x, targets, dropout masks, scalars, params, slots -> loss, losses, outputs, new params/slots/BN stats
//   'eval':    x, targets, scalars, params -> loss, losses, outputs (inference mode)
//   'predict': x, params -> outputs (inference mode)
// Parameters are graph inputs in the graph's own layout (conv kernels OIHW), so one set of runtime tensors feeds all
// three graphs. The forward pass is the exporter's own emitters (src/layers); the backward pass is written out by
// hand, one gradient emitter per layer kind beside each forward.
import { layerActivation, type CompiledSpec, type FeatureShape, type Layer, type ModelSpec } from '@convzoo/models';
import { EPSILON, optimizerSlots, outputActivation, type LossName, type ResolvedLosses, type ResolvedOptimizer } from '@convzoo/backend';
import { DataType, encodeModel, valueInfo, type ValueInfoProto } from '../proto/onnx.js';
import { IR_VERSION } from '../export/to-onnx.js';
import { CONVZOO_VERSION } from '../version.js';
import { GraphBuilder } from '../export/graph-builder.js';
import { IO } from './io.js';
import { type PoolIndices, type TrainCtx, sumValues } from '../layers/emitter.js';
import { emitBackward, emitForward } from '../layers/tables.js';
import { isOihwParam } from '../export/layout.js';
import { makeTrainCtx } from './train-context.js';
import { phasedConvs } from '../layers/phased-pool.js';
import { pieceCount, pieceName, statePieces } from './state-pieces.js';

/**
 * 18 for Col2Im (conv input gradients on the CPU EP); ReduceMean takes its axes as an input and Split its number of
 * outputs from there. Debian's onnx 1.12 checker knows 17 at most; the reference venv's newer onnx checks these.
 */
export const TRAIN_OPSET = 18;

export type GraphMode = 'train' | 'eval' | 'predict';

/** A parameter as the graph holds it. */
export interface GraphParam {
  name: string;
  /** Shape inside the graph (conv kernels OIHW). */
  shape: number[];
  /** Canonical (Keras) shape. */
  canonical: number[];
  trainable: boolean;
  /** Conv kernel: stored OIHW in the graph, HWIO outside. */
  oihw: boolean;
  /** How many flat pieces it and its slots cross the graph boundary in (1: whole; see state-pieces.ts). */
  pieces: number;
}

export interface TrainGraphPlan {
  params: GraphParam[];
  /** Slot tensors `<param>/<slot>` of trainable params, same graph shape as their param. */
  slots: { name: string; param: string }[];
  /** Dropout layers needing a mask input `<layer>/mask` (NCHW for images), with their feature shape (NHWC). */
  dropouts: { layer: string; rate: number; shape: FeatureShape }[];
  /** Parameters whose new value is a graph output in training (trainables and BN moving statistics). */
  updated: string[];
}

/** A dropout mask input's shape after the batch: NCHW for images (the feature shape is NHWC). */
export function maskShape(d: TrainGraphPlan['dropouts'][number]): number[] {
  return d.shape.length === 3 ? [d.shape[2]!, d.shape[0]!, d.shape[1]!] : [...d.shape];
}

/** `stateChunk`: the most elements a state tensor crosses the graph boundary in, 0 for whole (see state-pieces.ts). */
export function planGraph(compiled: CompiledSpec, optimizer: ResolvedOptimizer, stateChunk = 0): TrainGraphPlan {
  const { spec, shapes } = compiled;
  const kinds = new Map(spec.layers.map((l) => [l.name, l.kind]));
  const params = compiled.params.map((p) => {
    const oihw = isOihwParam(kinds.get(p.layer)!, p.param);
    const [kh, kw, ci, co] = p.shape;
    const shape = oihw ? [co!, ci!, kh!, kw!] : [...p.shape];
    const size = shape.reduce((a, b) => a * b, 1);
    const pieces = pieceCount(size, stateChunk);
    return { name: p.name, shape, canonical: [...p.shape], trainable: p.trainable, oihw, pieces };
  });
  const slotNames = optimizerSlots(optimizer);
  const slots = params.filter((p) => p.trainable).flatMap((p) => slotNames.map((s) => ({ name: `${p.name}/${s}`, param: p.name })));
  const dropouts = spec.layers.flatMap((l) => (l.kind === 'dropout' && l.rate > 0 ? [{ layer: l.name, rate: l.rate, shape: shapes.get(l.inputs[0]!)! }] : []));
  const bnFrozen = new Set(spec.layers.filter((l) => l.kind === 'batchNorm' && l.trainable === false).map((l) => l.name));
  const updated = params
    .filter(
      (p) =>
        p.trainable || ((p.name.endsWith('/moving_mean') || p.name.endsWith('/moving_variance')) && !bnFrozen.has(p.name.slice(0, p.name.lastIndexOf('/')))),
    )
    .map((p) => p.name);
  return { params, slots, dropouts, updated };
}

/** The train graph's outputs that become the next step's state: new parameters, slots and BN statistics. */
export function stateOutputs(plan: TrainGraphPlan): string[] {
  const byName = new Map(plan.params.map((p) => [p.name, p]));
  return [
    ...plan.updated.flatMap((name) => statePieces(IO.newParam(name), byName.get(name)!).map((s) => s.name)),
    ...plan.slots.flatMap((s) => statePieces(IO.newSlot(s.name), byName.get(s.param)!).map((x) => x.name)),
  ];
}

export interface BuildTrainGraphOptions {
  mode: GraphMode;
  losses: ResolvedLosses;
  optimizer: ResolvedOptimizer;
  /** Max pooling's backward pass from MaxPool's Indices output (CPU, CUDA), else by recomputing the arg-max (WebGPU). */
  poolIndices?: PoolIndices;
  /** Conv weight gradients as one 3-D Conv each (MLAS, cuDNN), small kernels on large maps tap by tap; WebGPU gets the 2-D form. */
  dw3d?: boolean;
  /** With dw3d: those small kernels by unfolding x with a grouped one-hot Conv instead of tap by tap (WASM). */
  dwUnfold?: boolean;
  /** Conv input gradients as a Conv with the flipped kernel (stride 1) or MatMul + Col2Im (the CPU EP's kernels, in Node and WASM); else ConvTranspose. */
  col2im?: boolean;
  /** Eval and predict graphs' BatchNorm as ONNX's BatchNormalization operator (see ForwardArgs.batchNormOperator); default true. */
  batchNormOperator?: boolean;
  /** BatchNorm's training form (see ForwardArgs.batchNormCentred); default true. */
  batchNormCentred?: boolean;
  /** Convolutions as ONNX Runtime's blocked-channel Conv (the CPU EP on x86: 8 or 16 channels a block; see nchwc.ts); 0: ONNX's Conv. */
  nchwcBlock?: number;
}

/** The options each execution provider's graphs are built with (runtime/backends.ts trainGraphOptions), and its plan's state chunk. */
export type EngineGraphOptions = Pick<
  BuildTrainGraphOptions,
  'poolIndices' | 'dw3d' | 'dwUnfold' | 'col2im' | 'batchNormOperator' | 'batchNormCentred' | 'nchwcBlock'
> & {
  /** See planGraph. */
  stateChunk?: number;
};

const probabilities = (a: string) => a === 'softmax' || a === 'sigmoid';

/** Loss of one output (vector outputs [N, C]) and, in training, dL/d(output) scaled by the loss weight. */
function emitLoss(
  c: TrainCtx,
  i: number,
  loss: LossName,
  activation: string,
  y: string,
  preAct: string | undefined,
  t: string,
  weight: number,
  withGrad: boolean,
  classes: number,
): { loss: string; grad?: string } {
  const { g } = c;
  const n = `loss${i}`;
  const invN = IO.invBatch;
  const eps = c.scalar(EPSILON);
  const one = c.scalar(1);
  const axisLast = c.ints([-1]);
  const lossOut = IO.lossOf(i);
  if (loss === 'binaryCrossentropy') {
    const perClass = c.scalar(1 / classes);
    if (probabilities(activation)) {
      const p = c.op('Clip', `${n}/p`, [y, eps, c.scalar(1 - EPSILON)]);
      const lp = c.op('Log', `${n}/logp`, [p]);
      const omp = c.op('Sub', `${n}/1-p`, [one, p]);
      const lomp = c.op('Log', `${n}/log1-p`, [omp]);
      const omt = c.op('Sub', `${n}/1-t`, [one, t]);
      const per = c.op('Add', `${n}/per`, [c.op('Mul', `${n}/tlp`, [t, lp]), c.op('Mul', `${n}/tlomp`, [omt, lomp])]);
      const sum = c.op('ReduceSum', `${n}/sum`, [per, c.ints([0, 1])], { keepdims: 0 });
      g.node('Mul', `${n}/out`, [c.op('Neg', `${n}/neg`, [sum]), c.op('Mul', `${n}/scale`, [invN, perClass])], [lossOut]);
      if (!withGrad) return { loss: lossOut };
      // d/dp of -(t log p + (1-t) log(1-p)), zero where the clip was active (tf's clipByValue gradient).
      const dp = c.op('Sub', `${n}/dp`, [c.op('Div', `${n}/omt_omp`, [omt, omp]), c.op('Div', `${n}/t_p`, [t, p])]);
      const scale = c.op('Mul', `${n}/gscale`, [c.op('Mul', `${n}/gs1`, [invN, perClass]), c.scalar(weight)]);
      return { loss: lossOut, grad: c.op('Mul', `${n}/dy`, [c.clipGrad(n, y, p, dp), scale]) };
    }
    // max(z, 0) - z t + log(1 + exp(-|z|))
    const per = c.op('Add', `${n}/per`, [
      c.op('Sub', `${n}/rz`, [c.op('Relu', `${n}/relu`, [y]), c.op('Mul', `${n}/zt`, [y, t])]),
      c.op('Softplus', `${n}/sp`, [c.op('Neg', `${n}/nabs`, [c.op('Abs', `${n}/abs`, [y])])]),
    ]);
    const sum = c.op('ReduceSum', `${n}/sum`, [per, c.ints([0, 1])], { keepdims: 0 });
    g.node('Mul', `${n}/out`, [sum, c.op('Mul', `${n}/scale`, [invN, perClass])], [lossOut]);
    if (!withGrad) return { loss: lossOut };
    const scale = c.op('Mul', `${n}/gscale`, [c.op('Mul', `${n}/gs1`, [invN, perClass]), c.scalar(weight)]);
    return { loss: lossOut, grad: c.op('Mul', `${n}/dy`, [c.op('Sub', `${n}/st`, [c.op('Sigmoid', `${n}/sig`, [y]), t]), scale]) };
  }
  // Categorical (sparse targets arrive one-hot: the runtime expands them).
  if (probabilities(activation)) {
    const s = c.op('ReduceSum', `${n}/s`, [y, axisLast], { keepdims: 1 });
    const q = c.op('Div', `${n}/q`, [y, s]);
    const qc = c.op('Clip', `${n}/qc`, [q, eps, c.scalar(1 - EPSILON)]);
    const tl = c.op('Mul', `${n}/tl`, [t, c.op('Log', `${n}/log`, [qc])]);
    const sum = c.op('ReduceSum', `${n}/sum`, [tl, c.ints([0, 1])], { keepdims: 0 });
    g.node('Mul', `${n}/out`, [c.op('Neg', `${n}/neg`, [sum]), invN], [lossOut]);
    if (!withGrad) return { loss: lossOut };
    const dq = c.clipGrad(n, q, qc, c.op('Neg', `${n}/ntq`, [c.op('Div', `${n}/tq`, [t, qc])]));
    // Through q = y / sum(y): dy = (dq - sum(dq q)) / s.
    const dqq = c.op('ReduceSum', `${n}/dqq`, [c.op('Mul', `${n}/dq*q`, [dq, q]), axisLast], { keepdims: 1 });
    const dy = c.op('Div', `${n}/dyraw`, [c.op('Sub', `${n}/dq-`, [dq, dqq]), s]);
    return { loss: lossOut, grad: c.op('Mul', `${n}/dy`, [dy, c.op('Mul', `${n}/gscale`, [invN, c.scalar(weight)])]) };
  }
  const logits = preAct ?? y;
  const ls = c.op('LogSoftmax', `${n}/logsoftmax`, [logits], { axis: -1 });
  const sum = c.op('ReduceSum', `${n}/sum`, [c.op('Mul', `${n}/tl`, [t, ls]), c.ints([0, 1])], { keepdims: 0 });
  g.node('Mul', `${n}/out`, [c.op('Neg', `${n}/neg`, [sum]), invN], [lossOut]);
  if (!withGrad) return { loss: lossOut };
  const ts = c.op('ReduceSum', `${n}/tsum`, [t, axisLast], { keepdims: 1 });
  const sm = c.op('Softmax', `${n}/softmax`, [logits], { axis: -1 });
  const dz = c.op('Sub', `${n}/dzraw`, [c.op('Mul', `${n}/smts`, [sm, ts]), t]);
  return { loss: lossOut, grad: c.op('Mul', `${n}/dy`, [dz, c.op('Mul', `${n}/gscale`, [invN, c.scalar(weight)])]) };
}

/** value's pieces as `p` crosses the boundary: itself when whole, else flat slices of it. */
function splitPieces(c: TrainCtx, name: string, value: string, p: GraphParam): string[] {
  const pieces = statePieces(name, p);
  if (pieces.length === 1) return [value];
  const flat = c.op('Reshape', `${name}/flat`, [value, c.ints([-1])]);
  return c.ops('Split', `${name}/pieces`, [flat, c.ints(pieces.map((s) => s.size))], pieces.length, { axis: 0 });
}

/** Optimizer update of one parameter: writes its new value and slots, piece by piece (all elementwise). */
function emitUpdate(c: TrainCtx, p: GraphParam, grad: string, opt: ResolvedOptimizer): void {
  const grads = splitPieces(c, `opt/${p.name}/grad`, grad, p);
  const piece = (io: string, i: number) => pieceName(io, i, p.pieces);
  grads.forEach((gi, i) =>
    emitPieceUpdate(c, `opt/${p.name}${grads.length > 1 ? `#${i}` : ''}`, gi, opt, {
      w: piece(IO.param(p.name), i),
      slot: (s) => piece(IO.slot(`${p.name}/${s}`), i),
      newSlot: (s) => piece(IO.newSlot(`${p.name}/${s}`), i),
      newParam: piece(IO.newParam(p.name), i),
    }),
  );
}

/** One piece's update, Keras semantics as backend-tfjs implements: graph names of its state in and out. */
function emitPieceUpdate(
  c: TrainCtx,
  n: string,
  grad: string,
  opt: ResolvedOptimizer,
  io: { w: string; slot: (s: string) => string; newSlot: (s: string) => string; newParam: string },
): void {
  const { g } = c;
  const { w } = io;
  if (opt.kind === 'adam') {
    // lr_t (bias corrections included) arrives as train/lr; m += (g - m)(1 - b1); v += (g^2 - v)(1 - b2).
    const m = io.slot('m');
    const v = io.slot('v');
    const m2 = io.newSlot('m');
    const v2 = io.newSlot('v');
    g.node('Add', `${n}/m`, [m, c.op('Mul', `${n}/dm`, [c.op('Sub', `${n}/g-m`, [grad, m]), c.scalar(1 - opt.beta1)])], [m2]);
    g.node('Add', `${n}/v`, [v, c.op('Mul', `${n}/dv`, [c.op('Sub', `${n}/g2-v`, [c.op('Mul', `${n}/g2`, [grad, grad]), v]), c.scalar(1 - opt.beta2)])], [v2]);
    const denom = c.op('Add', `${n}/den`, [c.op('Sqrt', `${n}/sqrtv`, [v2]), c.scalar(opt.epsilon)]);
    g.node('Sub', `${n}/p`, [w, c.op('Div', `${n}/step`, [c.op('Mul', `${n}/mlr`, [m2, IO.lr]), denom])], [io.newParam]);
    return;
  }
  // PyTorch-style coupled weight decay (SGD only): the decay term joins the gradient before momentum.
  const decayed = opt.weightDecay > 0 ? c.op('Add', `${n}/g+wd`, [grad, c.op('Mul', `${n}/wd`, [w, c.scalar(opt.weightDecay)])]) : grad;
  const glr = c.op('Mul', `${n}/glr`, [decayed, IO.lr]);
  if (opt.momentum > 0) {
    const v = io.slot('momentum');
    const v2 = io.newSlot('momentum');
    const mom = c.scalar(opt.momentum);
    g.node('Sub', `${n}/v`, [c.op('Mul', `${n}/vm`, [v, mom]), glr], [v2]);
    if (opt.nesterov) g.node('Add', `${n}/p`, [w, c.op('Sub', `${n}/nest`, [c.op('Mul', `${n}/v2m`, [v2, mom]), glr])], [io.newParam]);
    else g.node('Add', `${n}/p`, [w, v2], [io.newParam]);
    return;
  }
  g.node('Sub', `${n}/p`, [w, glr], [io.newParam]);
}

export function buildTrainGraph(compiled: CompiledSpec, plan: TrainGraphPlan, o: BuildTrainGraphOptions): Uint8Array {
  const { spec, shapes } = compiled;
  const training = o.mode === 'train';
  const g = new GraphBuilder();
  const byName = new Map(plan.params.map((p) => [p.name, p]));
  // A parameter that crosses in pieces is joined where a layer first reads it.
  const joined = new Map<string, string>();
  const paramValue = (name: string): string => {
    const p = byName.get(name);
    if (!p || p.pieces === 1) return IO.param(name);
    let v = joined.get(name);
    if (!v) {
      const flat = c.op(
        'Concat',
        `${IO.param(name)}/join`,
        statePieces(IO.param(name), p).map((s) => s.name),
        { axis: 0 },
      );
      v = c.op('Reshape', `${IO.param(name)}/joined`, [flat, c.ints(p.shape)]);
      joined.set(name, v);
    }
    return v;
  };
  const c = makeTrainCtx(g, paramValue);
  const pieceInfos = (io: string, p: GraphParam) => statePieces(io, p).map((s) => valueInfo(s.name, DataType.FLOAT, s.shape));
  const inputs: ValueInfoProto[] = [];
  const outputs: ValueInfoProto[] = [];
  const B = 'batch';
  const value = new Map<string, string>();
  for (const layer of spec.layers) {
    if (layer.kind !== 'input') continue;
    const [h, w, ch] = layer.shape;
    inputs.push(valueInfo(layer.name, DataType.FLOAT, [B, h, w, ch]));
    g.node('Transpose', `${layer.name}/nchw`, [layer.name], [`${layer.name}/nchw`], { perm: [0, 3, 1, 2] });
    value.set(layer.name, `${layer.name}/nchw`);
  }
  for (const p of plan.params) inputs.push(...pieceInfos(IO.param(p.name), p));
  if (training) {
    for (const d of plan.dropouts) inputs.push(valueInfo(IO.mask(d.layer), DataType.FLOAT, [B, ...maskShape(d)]));
    for (const s of plan.slots) inputs.push(...pieceInfos(IO.slot(s.name), byName.get(s.param)!));
    inputs.push(valueInfo(IO.lr, DataType.FLOAT, []));
  }
  // Forward.
  const saved = new Map<string, Record<string, string>>();
  const bnUpdates: [string, string][] = [];
  const needsGrad = gradientNeeds(spec, plan);
  // A first conv + 2x2 max pool by window phases where MaxPool's Indices would be read (CPU: see phased-pool.ts).
  const phased = training && o.poolIndices === 'unpool' ? phasedConvs(compiled, needsGrad) : new Set<string>();
  // The conv of a phased pair, or the pool reading it.
  const isPhased = (layer: Layer) => phased.has(layer.name) || (layer.kind === 'maxPool2d' && phased.has(layer.inputs[0]!));
  for (const { layer, inputShapes, pads } of compiled.layers) {
    if (layer.kind === 'input') continue;
    const r = emitForward(c, layer, {
      inputs: layer.inputs.map((i) => value.get(i)!),
      inputShapes,
      pads,
      param: (name) => paramValue(`${layer.name}/${name}`),
      training,
      mask: IO.mask(layer.name),
      poolIndices: o.poolIndices ?? false,
      phased: isPhased(layer),
      batchNormOperator: o.batchNormOperator ?? true,
      batchNormCentred: o.batchNormCentred ?? true,
      nchwcBlock: o.nchwcBlock ?? 0,
    });
    value.set(layer.name, r.output);
    saved.set(layer.name, r.saved);
    for (const u of r.updates ?? []) bnUpdates.push(u);
  }
  // Predictions, NHWC at the boundary.
  spec.outputs.forEach((name, i) => {
    const shape = shapes.get(name)!;
    const out = IO.output(i);
    if (shape.length === 3) g.node('Transpose', `${out}/nhwc`, [value.get(name)!], [out], { perm: [0, 2, 3, 1] });
    else g.node('Identity', `${out}/id`, [value.get(name)!], [out]);
    outputs.push(valueInfo(out, DataType.FLOAT, [B, ...shape]));
  });
  if (o.mode !== 'predict') {
    inputs.push(valueInfo(IO.invBatch, DataType.FLOAT, []));
    const grads = new Map<string, string[]>();
    const lossNames: string[] = [];
    spec.outputs.forEach((name, i) => {
      const shape = shapes.get(name)!;
      if (shape.length !== 1) throw new Error(`onnx training: output '${name}' has shape [${shape}]; losses are computed on vector outputs [N, classes] only`);
      inputs.push(valueInfo(IO.target(i), DataType.FLOAT, [B, ...shape]));
      const act = outputActivation(spec, name);
      const r = emitLoss(c, i, o.losses.losses[i]!, act, value.get(name)!, undefined, IO.target(i), o.losses.weights[i]!, training, shape[0]!);
      lossNames.push(r.loss);
      outputs.push(valueInfo(r.loss, DataType.FLOAT, []));
      if (r.grad) grads.set(name, [...(grads.get(name) ?? []), r.grad]);
    });
    const weighted = lossNames.map((l, i) => c.op('Mul', `loss/w${i}`, [l, c.scalar(o.losses.weights[i]!)]));
    if (weighted.length === 1) g.node('Identity', 'loss/total', weighted, [IO.loss]);
    else g.node('Sum', 'loss/total', weighted, [IO.loss]);
    outputs.push(valueInfo(IO.loss, DataType.FLOAT, []));
    if (training) {
      // Backward, layers in reverse; a value read by several layers sums their gradients.
      const paramGrads = new Map<string, string>();
      const folded = reluFoldedIntoPools(spec);
      for (const { layer, inputShapes, pads } of [...compiled.layers].reverse()) {
        if (layer.kind === 'input') continue;
        const contributions = grads.get(layer.name);
        if (!contributions || contributions.length === 0) continue;
        const dy = contributions.length === 1 ? contributions[0]! : sumValues(c, `${layer.name}/grad_sum`, contributions);
        const r = emitBackward(c, layer, {
          dy,
          inputs: layer.inputs.map((i) => value.get(i)!),
          inputShapes,
          pads,
          output: value.get(layer.name)!,
          saved: saved.get(layer.name)!,
          needInput: layer.inputs.map((i) => needsGrad.has(i)),
          trainable: layer.trainable !== false,
          reluApplied: folded.has(layer.name),
          foldRelu: layer.kind === 'maxPool2d' && folded.has(layer.inputs[0]!),
          dw3d: o.dw3d ?? false,
          dwUnfold: o.dwUnfold ?? false,
          col2im: o.col2im ?? false,
          phased: isPhased(layer),
          nchwcBlock: o.nchwcBlock ?? 0,
        });
        layer.inputs.forEach((name, k) => {
          const d = r.dx[k];
          if (d && needsGrad.has(name)) grads.set(name, [...(grads.get(name) ?? []), d]);
        });
        for (const [param, gname] of Object.entries(r.params ?? {})) paramGrads.set(`${layer.name}/${param}`, gname);
      }
      const bn = new Map(bnUpdates);
      for (const p of plan.params) {
        if (!plan.updated.includes(p.name)) continue;
        if (p.trainable) {
          const grad = paramGrads.get(p.name);
          if (!grad) throw new Error(`internal: no gradient for trainable parameter '${p.name}'`);
          emitUpdate(c, p, grad, o.optimizer);
        } else {
          const pieces = splitPieces(c, `bn_update/${p.name}`, bn.get(p.name)!, p);
          statePieces(IO.newParam(p.name), p).forEach((s, i) => g.node('Identity', `bn_update/${s.name}`, [pieces[i]!], [s.name]));
        }
        outputs.push(...pieceInfos(IO.newParam(p.name), p));
      }
      for (const s of plan.slots) outputs.push(...pieceInfos(IO.newSlot(s.name), byName.get(s.param)!));
    }
  }
  return encodeModel({
    ir_version: IR_VERSION,
    opset_import: [{ domain: '', version: TRAIN_OPSET }, ...[...g.domains].map((domain) => ({ domain, version: 1 }))],
    producer_name: 'convzoo',
    producer_version: CONVZOO_VERSION,
    doc_string: `${spec.name}, ${o.mode} graph by convzoo ${CONVZOO_VERSION}`,
    graph: { name: `${spec.name}-${o.mode}`, node: g.nodes, initializer: g.initializers, input: inputs, output: outputs },
    metadata_props: [],
  });
}

/**
 * Layers with a relu whose only reader is a max pool: the pool applies the relu mask to its dy at pooled resolution
 * (a quarter of the cells for 2x2 pools), and the layer's own backward skips it. Exactly the same gradient.
 */
function reluFoldedIntoPools(spec: ModelSpec): Set<string> {
  const readers = new Map<string, Layer[]>();
  for (const l of spec.layers) for (const i of l.inputs) readers.set(i, [...(readers.get(i) ?? []), l]);
  const out = new Set<string>();
  for (const l of spec.layers) {
    const r = readers.get(l.name) ?? [];
    const relu = layerActivation(l) === 'relu';
    if (relu && r.length === 1 && r[0]!.kind === 'maxPool2d' && !spec.outputs.includes(l.name)) out.add(l.name);
  }
  return out;
}

/** Values whose gradient is needed: those with a trainable parameter at or upstream of them. */
function gradientNeeds(spec: ModelSpec, plan: TrainGraphPlan): Set<string> {
  const trainableLayers = new Set(plan.params.filter((p) => p.trainable).map((p) => p.name.slice(0, p.name.lastIndexOf('/'))));
  const need = new Set<string>();
  for (const l of spec.layers) {
    if (trainableLayers.has(l.name) || l.inputs.some((i) => need.has(i))) need.add(l.name);
  }
  return need;
}
