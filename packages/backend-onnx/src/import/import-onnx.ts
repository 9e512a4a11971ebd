// ONNX bytes (as PyTorch's torch.onnx.export or Keras' export write them) -> a convzoo spec + canonical weights.
// Each node maps to one convzoo layer named after it, or to none (layout changes, aliases, shape arithmetic, a bias
// Add folded into its conv); anything else is refused with an OnnxImportError naming the node, the op and the opset.
import type { WeightMap } from '@convzoo/backend';
import { compileSpec, type ModelSpec, type Shape3, SpecError } from '@convzoo/models';
import { decodeModel, type ModelProto, type NodeProto, type ValueInfoProto } from '../proto/onnx.js';
import { ImportState, NodeContext } from './import-context.js';
import { IMPORT_MAX_OPSET, IMPORT_MIN_OPSET, OnnxImportError, readTensor } from './onnx-read.js';
import { FOLDABLE_OPS, foldConstant } from './const-fold.js';
import { GRAPH_OPS } from './ops-graph.js';
import { LAYER_OPS, type OpHandler } from './ops-layers.js';
import type { Layout } from './values.js';

const OPS: Record<string, OpHandler> = { ...LAYER_OPS, ...GRAPH_OPS };

/** Every ONNX op the importer maps (others are refused by name). */
export const IMPORTABLE_OPS: readonly string[] = [...new Set([...Object.keys(OPS), ...FOLDABLE_OPS])].sort();

export interface ImportedOnnx {
  spec: ModelSpec;
  /** Canonical (Keras-layout) weights by `<layer>/<param>`. */
  weights: WeightMap;
  /** The layout of the ONNX file's image input; convzoo's input is always NHWC (transpose NCHW data before predict). */
  inputLayout: 'NCHW' | 'NHWC';
  opset: number;
}

export interface ImportOnnxOptions {
  /** The spec's name (default: the ONNX graph's name, else 'onnx_model'). */
  name?: string;
}

function staticDims(info: ValueInfoProto): Array<number | string> {
  const dims = info.type?.tensor_type?.shape?.dim ?? [];
  return dims.map((d) => ('dim_value' in d && d.dim_value !== undefined ? Number(d.dim_value) : 'dim_param' in d ? d.dim_param : '?'));
}

/** The one image input, its convzoo shape and the layout it arrives in (NHWC when every reader transposes it to NCHW). */
function graphInput(model: ModelProto, initializers: Set<string>): { name: string; shape: Shape3; layout: Layout } {
  const inputs = model.graph.input.filter((i) => !initializers.has(i.name));
  if (inputs.length !== 1)
    throw new OnnxImportError(`the graph has ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ')}); convzoo imports models with one image input`);
  const info = inputs[0]!;
  const elem = info.type?.tensor_type?.elem_type;
  if (elem !== 1) throw new OnnxImportError(`input '${info.name}' has element type ${elem}; only float32 inputs are supported`);
  const dims = staticDims(info);
  if (dims.length !== 4)
    throw new OnnxImportError(`input '${info.name}' has rank ${dims.length} ([${dims.join(', ')}]); convzoo imports image models (rank 4)`);
  const rest = dims.slice(1);
  if (!rest.every((d): d is number => typeof d === 'number' && d > 0)) {
    throw new OnnxImportError(`input '${info.name}' has dims [${dims.join(', ')}]: every dim but the batch must be fixed (export with a fixed image size)`);
  }
  // Readers through Cast and Identity (Keras writes a Cast before its Transpose).
  const readers: NodeProto[] = [];
  const seen = new Set([info.name]);
  for (const value of seen) {
    for (const n of model.graph.node.filter((m) => m.input.includes(value))) {
      if (n.op_type === 'Cast' || n.op_type === 'Identity') seen.add(n.output[0]!);
      else readers.push(n);
    }
  }
  const nhwc =
    readers.length > 0 &&
    readers.every((n) => n.op_type === 'Transpose' && (n.attribute ?? []).some((a) => a.name === 'perm' && a.ints?.map(Number).join() === '0,3,1,2'));
  const [a, b, c] = rest as [number, number, number];
  return { name: info.name, shape: nhwc ? [a, b, c] : [b, c, a], layout: nhwc ? 'nhwc' : 'nchw' };
}

function readOpset(model: ModelProto): number {
  const entry = (model.opset_import ?? []).find((o) => (o.domain ?? '') === '' || o.domain === 'ai.onnx');
  const opset = Number(entry?.version ?? 0);
  if (opset < IMPORT_MIN_OPSET || opset > IMPORT_MAX_OPSET) {
    throw new OnnxImportError(`opset ${opset} of the default domain is outside ${IMPORT_MIN_OPSET}..${IMPORT_MAX_OPSET}, the opsets convzoo imports`, {
      opset,
    });
  }
  return opset;
}

/** Every node whose op (or domain) has no mapping, in one error: the whole list of what is missing, not the first. */
function refuseUnsupported(model: ModelProto, opset: number): void {
  const missing = model.graph.node.filter((n) => !IMPORTABLE_OPS.includes(n.op_type) || ((n as { domain?: string }).domain ?? '') !== '');
  if (missing.length === 0) return;
  const ops = [...new Set(missing.map((n) => n.op_type))].sort();
  const nodes = missing.slice(0, 10).map((n) => `'${n.name}' (${n.op_type})`);
  const more = missing.length > 10 ? ` and ${missing.length - 10} more` : '';
  const flow = ops.some((o) => ['If', 'Loop', 'Scan'].includes(o)) ? ' Control flow (If, Loop, Scan) cannot be imported.' : '';
  throw new OnnxImportError(
    `unsupported ops ${ops.join(', ')} (opset ${opset}) at nodes ${nodes.join(', ')}${more}.${flow} Supported: ${IMPORTABLE_OPS.join(', ')}`,
    {
      node: missing[0]!.name,
      op: missing[0]!.op_type,
      opset,
    },
  );
}

/** Imports an ONNX CNN: see ImportedOnnx. Throws OnnxImportError for what convzoo cannot express. */
export function importOnnx(bytes: Uint8Array, options: ImportOnnxOptions = {}): ImportedOnnx {
  let model: ModelProto;
  try {
    model = decodeModel(bytes);
  } catch (e) {
    throw new OnnxImportError(`the bytes are not an ONNX model (${(e as Error).message})`);
  }
  if (!model.graph) throw new OnnxImportError('the model has no graph');
  const opset = readOpset(model);
  refuseUnsupported(model, opset);
  const state = new ImportState(opset);
  const initializers = new Set<string>();
  for (const t of model.graph.initializer ?? []) {
    state.values.set(t.name, { kind: 'const', tensor: readTensor(t, 'the initializers') });
    initializers.add(t.name);
  }
  for (const n of model.graph.node) for (const i of n.input) state.consumers.set(i, (state.consumers.get(i) ?? 0) + 1);
  for (const o of model.graph.output) state.consumers.set(o.name, (state.consumers.get(o.name) ?? 0) + 1);

  const input = graphInput(model, initializers);
  state.layers.push({ kind: 'input', name: state.layerName(input.name), inputs: [], shape: input.shape });
  state.values.set(input.name, { kind: 'image', layer: input.name, layout: input.layout, shape: input.shape, exclusive: false });

  model.graph.node.forEach((node, index) => {
    const ctx = new NodeContext(state, node, state.layerName(node.name || `${node.op_type}_${index}`));
    const folded = foldConstant(ctx);
    const handler =
      OPS[node.op_type] ??
      ((c: NodeContext) => c.fail(`${node.op_type} on activations is not supported (only constant arithmetic, such as shape computations, folds away)`));
    const out = folded ? ({ kind: 'const', tensor: folded } as const) : handler(ctx);
    const outs = Array.isArray(out) ? out : [out];
    outs.forEach((v, i) => {
      if (node.output[i]) state.values.set(node.output[i]!, v);
    });
  });

  const outputs = model.graph.output.map((o) => {
    const v = state.values.get(o.name);
    if (!v || (v.kind !== 'image' && v.kind !== 'flat')) throw new OnnxImportError(`graph output '${o.name}' is not computed from the input`);
    if (v.layer === input.name) throw new OnnxImportError(`graph output '${o.name}' is the input itself`);
    return v.layer;
  });
  const spec: ModelSpec = {
    format: 'convzoo.spec/1',
    name: options.name ?? (model.graph.name || 'onnx_model'),
    inputs: [input.name],
    outputs,
    layers: state.layers.filter((l) => l.kind === 'input' || l.name !== input.name),
    meta: {
      source: 'onnx',
      'onnx.producer': `${model.producer_name ?? ''} ${model.producer_version ?? ''}`.trim(),
      'onnx.opset': opset,
      'onnx.inputLayout': input.layout === 'nchw' ? 'NCHW' : 'NHWC',
    },
  };
  try {
    compileSpec(spec);
  } catch (e) {
    if (e instanceof SpecError) throw new OnnxImportError(`the imported spec is invalid: ${e.message}`);
    throw e;
  }
  return { spec, weights: state.weights, inputLayout: input.layout === 'nchw' ? 'NCHW' : 'NHWC', opset };
}
