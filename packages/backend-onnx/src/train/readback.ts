// A graph of Identity nodes over the training state, run only to bring tensors the runtime keeps on the GPU back to
// the host (getWeights, getOptimizerState): onnxruntime-node has no download for a 'gpu-buffer' tensor (getData
// aborts the process), and a session's outputs come to the CPU by default, on every runtime.
import { DataType, encodeModel, valueInfo } from '../proto/onnx.js';
import { IR_VERSION } from '../export/to-onnx.js';
import { GraphBuilder } from '../export/graph-builder.js';
import { CONVZOO_VERSION } from '../version.js';
import { TRAIN_OPSET } from './train-graph.js';

/** Output name of state tensor `name` in the readback graph. */
export const hostName = (name: string): string => `host:${name}`;

export function buildReadbackGraph(state: { name: string; shape: readonly number[] }[]): Uint8Array {
  const g = new GraphBuilder();
  for (const s of state) g.node('Identity', hostName(s.name), [s.name], [hostName(s.name)]);
  return encodeModel({
    ir_version: IR_VERSION,
    opset_import: [{ domain: '', version: TRAIN_OPSET }],
    producer_name: 'convzoo',
    producer_version: CONVZOO_VERSION,
    doc_string: `state readback graph by convzoo ${CONVZOO_VERSION}`,
    graph: {
      name: 'readback',
      node: g.nodes,
      initializer: [],
      input: state.map((s) => valueInfo(s.name, DataType.FLOAT, [...s.shape])),
      output: state.map((s) => valueInfo(hostName(s.name), DataType.FLOAT, [...s.shape])),
    },
    metadata_props: [],
  });
}
