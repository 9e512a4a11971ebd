// THE ONNX emitter tables: one forward emitter per layer kind (the exported inference file and the training graphs
// both call emitForward) and one backward emitter per kind (training). A new layer kind gets both entries in its
// family's file; a new family is one more line in each table. test/kind-tables.test.ts checks the runtime objects.
import { dispatchKind } from '@convzoo/models';
import { ACTIVATION_FAMILY } from './activation.js';
import { CONV_FAMILY } from './conv.js';
import { DENSE_FAMILY } from './dense.js';
import type { BackwardArgs, BackwardResult, BackwardTable, ForwardArgs, ForwardCtx, ForwardResult, ForwardTable, SpecLayer, TrainCtx } from './emitter.js';
import { NORM_FAMILY } from './norm.js';
import { POOL_FAMILY } from './pool.js';
import { SHAPE_FAMILY } from './shape.js';

export const FORWARD_EMITTERS: ForwardTable = {
  ...CONV_FAMILY.forward,
  ...DENSE_FAMILY.forward,
  ...POOL_FAMILY.forward,
  ...NORM_FAMILY.forward,
  ...SHAPE_FAMILY.forward,
  ...ACTIVATION_FAMILY.forward,
};

export const BACKWARD_EMITTERS: BackwardTable = {
  ...CONV_FAMILY.backward,
  ...DENSE_FAMILY.backward,
  ...POOL_FAMILY.backward,
  ...NORM_FAMILY.backward,
  ...SHAPE_FAMILY.backward,
  ...ACTIVATION_FAMILY.backward,
};

export function emitForward(c: ForwardCtx, layer: SpecLayer, a: ForwardArgs): ForwardResult {
  return dispatchKind(FORWARD_EMITTERS, layer, c, a, { x: a.inputs[0]!, inShape: a.inputShapes[0]!, n: layer.name, p: a.param });
}

export function emitBackward(c: TrainCtx, layer: SpecLayer, a: BackwardArgs): BackwardResult {
  const n = `${layer.name}/grad`;
  const p = (name: string) => c.param(`${layer.name}/${name}`);
  return dispatchKind(BACKWARD_EMITTERS, layer, c, a, { dy: a.dy, x: a.inputs[0]!, inShape: a.inputShapes[0]!, n, p, needX: a.needInput[0] === true });
}
