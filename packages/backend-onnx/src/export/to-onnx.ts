// spec + canonical weights -> ONNX model bytes. The model keeps convzoo's NHWC interface (inputs [N, H, W, C],
// image outputs [N, H, W, C]) and computes NCHW inside, with one Transpose at each image input and output.
import { asCompiled, type CompiledSpec, type ModelSpec } from '@convzoo/models';
import { checkWeights, type WeightMap } from '@convzoo/backend';
import { DataType, encodeModel, valueInfo, type ModelProto } from '../proto/onnx.js';
import { CONVZOO_VERSION } from '../version.js';
import { GraphBuilder } from './graph-builder.js';
import { exportLayer } from './export-context.js';

/** Opsets whose operators this exporter uses unchanged; 17 is the newest Debian's onnx 1.12 checker knows. */
export const MIN_OPSET = 13;
export const MAX_OPSET = 17;
export const DEFAULT_OPSET = 13;
/** IR 8 (ONNX 1.10-1.12): what ONNX Runtime and the onnx 1.12 checker both accept. */
export const IR_VERSION = 8;

export interface ToOnnxOptions {
  /** ai.onnx opset version, 13 to 17 (default 13). */
  opset?: number;
  /** Name of the symbolic batch dimension (default 'batch'). */
  batchDim?: string;
  /** Extra metadata_props (e.g. a preprocessing recipe); keys must not start with the reserved 'convzoo.spec'. */
  metadata?: Record<string, string>;
}

/** The ONNX ModelProto as plain objects (see toOnnx for the bytes). */
export function buildOnnxModel(specOrCompiled: ModelSpec | CompiledSpec, weights: WeightMap, options: ToOnnxOptions = {}): ModelProto {
  const opset = options.opset ?? DEFAULT_OPSET;
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new Error(`toOnnx: option opset must be an integer from ${MIN_OPSET} to ${MAX_OPSET}, got ${opset}`);
  }
  const batch = options.batchDim ?? 'batch';
  const compiled = asCompiled(specOrCompiled);
  const { spec, shapes } = compiled;
  checkWeights(spec, weights, { complete: true, source: `toOnnx(${spec.name})` }, compiled.params);
  const g = new GraphBuilder();
  const outputs = new Set(spec.outputs);
  const inputSet = new Set(spec.inputs);
  for (const o of spec.outputs) {
    if (inputSet.has(o)) throw new Error(`toOnnx(${spec.name}): output '${o}' is an input layer; ONNX graphs cannot return an input unchanged`);
  }
  /** The graph value of each layer's activation (NCHW for images). */
  const value = new Map<string, string>();
  const graphInputs = [];
  for (const node of compiled.layers) {
    const { layer, outputShape: shape } = node;
    if (layer.kind === 'input') {
      const [h, w, ch] = layer.shape;
      graphInputs.push(valueInfo(layer.name, DataType.FLOAT, [batch, h, w, ch]));
      g.node('Transpose', `${layer.name}/nchw`, [layer.name], [`${layer.name}/nchw`], { perm: [0, 3, 1, 2] });
      value.set(layer.name, `${layer.name}/nchw`);
      continue;
    }
    // An image output is computed as `<name>/nchw` and transposed into the graph output `<name>` below.
    const out = outputs.has(layer.name) && shape.length === 3 ? `${layer.name}/nchw` : layer.name;
    exportLayer(g, layer, node, weights, { inputs: layer.inputs.map((i) => value.get(i)!), output: out });
    value.set(layer.name, out);
  }
  const graphOutputs = spec.outputs.map((o) => {
    const shape = shapes.get(o)!;
    if (shape.length === 3) g.node('Transpose', `${o}/nhwc`, [`${o}/nchw`], [o], { perm: [0, 2, 3, 1] });
    return valueInfo(o, DataType.FLOAT, [batch, ...shape]);
  });
  return {
    ir_version: IR_VERSION,
    opset_import: [{ domain: '', version: opset }],
    producer_name: 'convzoo',
    producer_version: CONVZOO_VERSION,
    doc_string: `${spec.name}, exported by convzoo ${CONVZOO_VERSION}. Inputs and image outputs are NHWC (Keras layout).`,
    graph: {
      name: spec.name,
      node: g.nodes,
      initializer: g.initializers,
      input: graphInputs,
      output: graphOutputs,
    },
    metadata_props: [
      { key: 'convzoo.version', value: CONVZOO_VERSION },
      { key: 'convzoo.spec_name', value: spec.name },
      { key: 'convzoo.layout', value: 'NHWC' },
      { key: 'convzoo.spec', value: JSON.stringify(spec) },
      ...Object.entries(options.metadata ?? {}).map(([key, value]) => {
        if (['convzoo.version', 'convzoo.spec_name', 'convzoo.layout', 'convzoo.spec'].includes(key))
          throw new Error(`toOnnx: metadata key '${key}' is reserved`);
        return { key, value };
      }),
    ],
  };
}

/**
 * Exports a spec (or a compiled one, analysed already) with its canonical weights (Keras layout, `<layer>/<param>` names) to ONNX bytes: IR 8, the given
 * opset, inference mode (BN uses moving statistics, dropout is the identity).
 */
export function toOnnx(spec: ModelSpec | CompiledSpec, weights: WeightMap, options: ToOnnxOptions = {}): Uint8Array {
  return encodeModel(buildOnnxModel(spec, weights, options));
}
