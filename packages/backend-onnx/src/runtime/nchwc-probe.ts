// Which channel block ONNX Runtime's blocked-channel Conv uses on this machine (layers/nchwc.ts): 16 with AVX-512, 8
// with AVX2, none where MLAS has no such kernels (the operator set is then unregistered and the session refuses it).
// The training graphs reorder their weights for that block, so it is asked of the runtime, not guessed from the CPU.
import { DataType, encodeModel, valueInfo } from '../proto/onnx.js';
import { IR_VERSION } from '../export/to-onnx.js';
import { GraphBuilder } from '../export/graph-builder.js';
import { NCHWC_DOMAIN } from '../layers/nchwc.js';
import { CONVZOO_VERSION } from '../version.js';
import { TRAIN_OPSET } from '../train/train-graph.js';
import type { OrtModule } from './ort.js';

const CHANNELS = 64;

/** ReorderInput of a [1, 64, 1, 2] tensor: blocked [1, 64/b, 1, 2, b], so x[c=0, w=1] (value 1) lands at index b. */
function probeGraph(): Uint8Array {
  const g = new GraphBuilder();
  g.node('ReorderInput', 'reorder', ['x'], ['y'], { channels_last: 0 }, NCHWC_DOMAIN);
  return encodeModel({
    ir_version: IR_VERSION,
    opset_import: [
      { domain: '', version: TRAIN_OPSET },
      { domain: NCHWC_DOMAIN, version: 1 },
    ],
    producer_name: 'convzoo',
    producer_version: CONVZOO_VERSION,
    doc_string: `channel-block probe by convzoo ${CONVZOO_VERSION}`,
    graph: {
      name: 'nchwc-probe',
      node: g.nodes,
      initializer: [],
      input: [valueInfo('x', DataType.FLOAT, [1, CHANNELS, 1, 2])],
      output: [valueInfo('y', DataType.FLOAT, [1, CHANNELS, 1, 2])],
    },
    metadata_props: [],
  });
}

/** The CPU EP's channel block, or 0 where it has no blocked kernels (or the probe fails in any way). */
export async function nchwcBlock(ort: OrtModule): Promise<number> {
  try {
    const session = await ort.InferenceSession.create(probeGraph(), { executionProviders: ['cpu'], logSeverityLevel: 4, intraOpNumThreads: 1 });
    try {
      const x = Float32Array.from({ length: CHANNELS * 2 }, (_, i) => i);
      const { y } = await session.run({ x: new ort.Tensor('float32', x, [1, CHANNELS, 1, 2]) });
      const b = (y!.data as Float32Array).indexOf(1);
      return b > 1 && CHANNELS % b === 0 ? b : 0;
    } finally {
      await session.release();
    }
  } catch {
    return 0;
  }
}
