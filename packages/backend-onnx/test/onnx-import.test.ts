// importOnnx on ONNX files exported by PyTorch from torchvision's builders and blocks (fixtures/onnx-import, made by
// fixtures/make_onnx_import_fixtures.py): predictions against Python ONNX Runtime's on the same file, one SGD step
// against PyTorch's float64 autograd; and the refusals, each naming node, op and opset.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerOnnxBackends, importOnnx, OnnxImportError } from '../src/index.js';
import { DataType, encodeModel, valueInfo, type NodeProto } from '../src/proto/onnx.js';
import { kerasUpdateErrors, loadFixture, predictError, sgdUpdateErrors } from './onnx-import-check.js';

beforeAll(() => registerOnnxBackends());

const FIXTURES = fileURLToPath(new URL('../fixtures/onnx-import', import.meta.url));

// Measured (onnx-cpu 1.30, Node; refs from Python ORT 1.30 and torch 1.13; deterministic, so the same every run):
// logits within 2.6e-7 (vgg_bn_small, whose dense rows are reordered; 0 or 2.5e-7 for the others) against the issue's
// 1e-5. Updates against PyTorch's float64 step: overall at most 1.2e-6 against the 1e-4; the worst single
// parameter 2.5e-4 (ops_zoo's first conv, the one before ReLU6, where PyTorch's own float32 step is 5.9e-7 from
// float64: the cause is not established; 3.3e-5 elsewhere, BatchNorm gammas) against 5e-4.
const CASES: Array<{ name: string; what: string; train?: false }> = [
  { name: 'resnet_blocks', what: 'torchvision BasicBlock + downsample, opset 13' },
  { name: 'googlenet_blocks', what: 'torchvision BasicConv2d + Inception (ceil-mode pools), opset 11' },
  { name: 'vgg_bn_small', what: 'torchvision make_layers (BN), NCHW flatten into Linear, opset 17' },
  // Its training step costs 20 s of CPU (ORT optimising a 150-layer training graph): the opt-in full run trains
  // mobilenet_v2 itself, and ops_zoo trains ReLU6 here.
  { name: 'mobilenet_v2_w025', what: 'torchvision mobilenet_v2(width_mult=0.25): depthwise convs, ReLU6, opset 13', train: false },
  { name: 'ops_zoo', what: 'ReLU6, grouped + dilated conv, Pad chain, AvgPool counting pads with ceil_mode, softmax output, opset 11' },
];

describe('importOnnx: PyTorch exports, checked against ONNX Runtime and PyTorch', () => {
  for (const c of CASES) {
    it(`${c.name} (${c.what})`, async () => {
      const f = loadFixture(FIXTURES, c.name);
      expect(f.imported.inputLayout).toBe('NCHW');
      const predict = await predictError(f);
      expect(predict).toBeLessThanOrEqual(1e-5);
      if (c.train === false) return console.log(`${c.name}: logits rel ${predict.toExponential(1)}`);
      const updates = await sgdUpdateErrors(f, 0.1, c.name === 'ops_zoo');
      const [worst, worstError] = Object.entries(updates.params).sort((a, b) => b[1] - a[1])[0]!;
      console.log(
        `${c.name}: logits rel ${predict.toExponential(1)}, updates overall ${updates.overall.toExponential(1)}, worst ${worst} ${worstError.toExponential(1)}`,
      );
      expect(updates.overall).toBeLessThanOrEqual(1e-4);
      expect(worstError).toBeLessThanOrEqual(5e-4);
    }, 60_000);
  }

  it('keras_cnn (Keras 3 Sequential, exported by Keras itself through torch.onnx: NHWC input, opset 20)', async () => {
    const f = loadFixture(FIXTURES, 'keras_cnn');
    expect(f.imported.inputLayout).toBe('NHWC');
    const predict = await predictError(f);
    const updates = await kerasUpdateErrors(f, 0.1);
    const [worst, worstError] = Object.entries(updates.params).sort((a, b) => b[1] - a[1])[0]!;
    console.log(
      `keras_cnn: logits rel ${predict.toExponential(1)}, updates overall ${updates.overall.toExponential(1)}, worst ${worst} ${worstError.toExponential(1)}`,
    );
    expect(predict).toBeLessThanOrEqual(1e-5);
    expect(updates.overall).toBeLessThanOrEqual(1e-4);
    expect(worstError).toBeLessThanOrEqual(5e-4);
  });

  it('names layers after the ONNX nodes and keeps the input layout in meta', () => {
    const { spec, weights } = loadFixture(FIXTURES, 'resnet_blocks').imported;
    expect(spec.layers.map((l) => l.name)).toContain('/4/conv1/Conv');
    expect(spec.layers.find((l) => l.name === '/4/Add')).toMatchObject({ kind: 'add', inputs: ['/4/bn2/BatchNormalization', '/3/MaxPool'] });
    expect(weights['/8/Gemm/kernel']!.shape).toEqual([16, 10]);
    expect(spec.meta).toMatchObject({ source: 'onnx', 'onnx.opset': 13, 'onnx.inputLayout': 'NCHW' });
  });
});

/** A one-conv graph on a [N, 3, 8, 8] input with extra nodes after the conv. */
function graph(nodes: NodeProto[], opts: { opset?: number; input?: Array<number | string> } = {}): Uint8Array {
  const w = new Float32Array(4 * 3 * 3 * 3).fill(0.1);
  return encodeModel({
    ir_version: 8,
    opset_import: [{ domain: '', version: opts.opset ?? 13 }],
    producer_name: 'test',
    producer_version: '0',
    graph: {
      name: 'g',
      node: [{ name: 'conv', op_type: 'Conv', input: ['x', 'w'], output: ['c'], attribute: [] }, ...nodes],
      initializer: [{ name: 'w', dims: [4, 3, 3, 3], data_type: DataType.FLOAT, raw_data: new Uint8Array(w.buffer) }],
      input: [valueInfo('x', DataType.FLOAT, opts.input ?? ['batch', 3, 8, 8])],
      output: [valueInfo(nodes.length ? nodes[nodes.length - 1]!.output[0]! : 'c', DataType.FLOAT, ['batch'])],
    },
    metadata_props: [],
  });
}

const node = (name: string, op: string, input: string[], output: string[]): NodeProto => ({ name, op_type: op, input, output, attribute: [] });

describe('importOnnx refuses what convzoo cannot express, naming node, op and opset', () => {
  it('lists every unsupported op and its nodes at once', () => {
    const bytes = graph([node('sq', 'Sqrt', ['c'], ['s']), node('e', 'Erf', ['s'], ['e1']), node('e2', 'Erf', ['e1'], ['e3'])]);
    expect(() => importOnnx(bytes)).toThrow(OnnxImportError);
    expect(() => importOnnx(bytes)).toThrow(
      /node 'sq' \(Sqrt, opset 13\): unsupported ops Erf, Sqrt \(opset 13\) at nodes 'sq' \(Sqrt\), 'e' \(Erf\), 'e2' \(Erf\)/,
    );
  });

  it('says control flow cannot be imported', () => {
    expect(() => importOnnx(graph([node('branch', 'If', ['c'], ['y'])]))).toThrow(
      /node 'branch' \(If, opset 13\).*Control flow \(If, Loop, Scan\) cannot be imported/,
    );
  });

  it('refuses opsets outside 11..21 and dynamic image sizes', () => {
    expect(() => importOnnx(graph([], { opset: 9 }))).toThrow(/opset 9 of the default domain is outside 11\.\.21/);
    expect(() => importOnnx(graph([], { input: ['batch', 3, 'height', 8] }))).toThrow(
      /input 'x' has dims \[batch, 3, height, 8\]: every dim but the batch must be fixed/,
    );
  });

  it('names the node of a mapped op whose attributes convzoo cannot express', () => {
    const clip = { ...node('clip', 'Clip', ['c', 'lo', 'hi'], ['y']) };
    const bytes = graph(
      [node('lo_c', 'Constant', [], ['lo']), node('hi_c', 'Constant', [], ['hi']), clip].map((n) => {
        if (n.op_type !== 'Constant') return n;
        const v = n.name === 'lo_c' ? -1 : 1;
        return { ...n, attribute: [{ name: 'value_float', type: 1, f: v }] };
      }),
    );
    expect(() => importOnnx(bytes)).toThrow(/node 'clip' \(Clip, opset 13\): Clip\(-1, 1\) has no convzoo activation/);
  });

  it('refuses bytes that are not ONNX', () => {
    expect(() => importOnnx(new Uint8Array([1, 2, 3, 4]))).toThrow(/importOnnx: the bytes are not an ONNX model/);
  });
});

// torchvision's own builders at full width (tens to hundreds of MB each, so not committed):
//   /usr/bin/python3 fixtures/make_onnx_import_fixtures.py <dir> <python with onnxruntime> --full
//   CONVZOO_ONNX_IMPORT_FULL=<dir> npx vitest run test/onnx-import.test.ts
// Same bounds as above, or twice PyTorch's own float32 deviation from its float64 step when that is larger (recorded
// by the generator). Figures recorded in the package README.
const FULL_DIR = process.env.CONVZOO_ONNX_IMPORT_FULL;
// googlenet (224x224) on both runtimes: its step turns on ReLU and max-pool decisions within float32 rounding of a tie,
// so no float32 engine is within 1e-4 of the float64 step, PyTorch's own float32 step included (README).
const FULL: Array<[string, string]> = [
  ['resnet18', 'onnx-cpu'],
  ['vgg11_bn', 'onnx-cpu'],
  ['alexnet', 'onnx-cpu'],
  ['mobilenet_v2', 'onnx-cpu'],
  ['googlenet', 'onnx-cpu'],
  ['googlenet', 'onnx-wasm'],
];
describe('importOnnx: torchvision resnet18, vgg11_bn, alexnet, mobilenet_v2, googlenet [opt-in: CONVZOO_ONNX_IMPORT_FULL]', () => {
  if (!FULL_DIR) {
    it.skip('set CONVZOO_ONNX_IMPORT_FULL=<dir made by make_onnx_import_fixtures.py --full> to run', () => {});
    return;
  }
  for (const [name, backend] of FULL) {
    it(`${name} (${backend})`, async () => {
      const f = loadFixture(FULL_DIR, name);
      const predict = await predictError(f);
      const updates = await sgdUpdateErrors(f, 0.1, false, backend);
      const [worst, worstError] = Object.entries(updates.params).sort((a, b) => b[1] - a[1])[0]!;
      const layers = f.imported.spec.layers.length;
      console.log(
        `${name} (${layers} layers, ${backend}): logits rel ${predict.toExponential(1)}, updates overall ${updates.overall.toExponential(1)}, worst ${worst} ${worstError.toExponential(1)}`,
      );
      console.log(`  PyTorch float32 vs float64: overall ${f.meta.torch32_overall}, worst ${f.meta.torch32_worst}`);
      expect(predict).toBeLessThanOrEqual(1e-5);
      expect(updates.overall).toBeLessThanOrEqual(Math.max(1e-4, 2 * Number(f.meta.torch32_overall ?? 0)));
      expect(worstError).toBeLessThanOrEqual(Math.max(5e-4, 2 * Number(f.meta.torch32_worst ?? 0)));
    }, 1_800_000);
  }
});
