// Benchmark (not a test): ResNet50 (random weights, 224x224x3, 1000 classes) images/s at batch 1 and 32 through
// convzoo's onnx-cpu backend and through a bare onnxruntime-node InferenceSession on the same ONNX bytes, in one run,
// rounds interleaved (alternating which goes first) so machine noise hits both alike. Overhead = the median over
// rounds of (bare img/s / convzoo img/s) - 1: convzoo's JS wrapping (input checks, the queue, output copies); the
// NHWC<->NCHW transposes are inside the model, so both pay them.
//   npx tsx --conditions=source scripts/bench-resnet50.ts [--rounds 9] [--threads N]
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import * as ort from 'onnxruntime-node';
import { getModel } from '@convzoo/models';
import { BackendRegistry, initWeights, type Tensor } from '@convzoo/backend';
import { registerOnnxBackends, toOnnx } from '../src/index.js';

const { values } = parseArgs({ options: { rounds: { type: 'string' }, threads: { type: 'string' } } });
const rounds = Number(values.rounds ?? 9);
const threads = values.threads === undefined ? undefined : Number(values.threads);

const spec = getModel('resnet50', { inputShape: [224, 224, 3], classes: 1000 });
const weights = initWeights(spec, 0);
const bytes = toOnnx(spec, weights);
const digest = (b: Uint8Array) => createHash('sha256').update(b).digest('hex').slice(0, 16);
// The backend exports again from the same spec and weights: the export is deterministic, so it is the same file.
if (digest(toOnnx(spec, weights)) !== digest(bytes)) throw new Error('toOnnx is not deterministic: the two sides would not run the same file');
console.log(
  `ResNet50 ${(bytes.length / 1e6).toFixed(1)} MB ONNX (sha256 ${digest(bytes)}), ${rounds} interleaved rounds per batch size, threads ${threads ?? 'ORT default'}`,
);

const engine = { graphOptimizationLevel: 'all' as const, ...(threads !== undefined ? { intraOpNumThreads: threads } : {}) };
const registry = new BackendRegistry();
registerOnnxBackends(registry);
const model = await registry.compile(spec, { backend: 'onnx-cpu', weights, engine });
const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], ...engine });

const input = (n: number): Tensor => ({ shape: [n, 224, 224, 3], data: Float32Array.from({ length: n * 224 * 224 * 3 }, (_, i) => Math.sin(i * 1e-3)) });

async function timeIt(run: () => Promise<unknown>, iterations: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) await run();
  return (performance.now() - t0) / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

for (const batch of [1, 32]) {
  const x = input(batch);
  const iterations = batch === 1 ? 10 : 1;
  const viaConvzoo = () => model.predict(x);
  const viaBare = async () => {
    const out = await session.run({ [spec.inputs[0]!]: new ort.Tensor('float32', x.data, x.shape) });
    return out[spec.outputs[0]!]!.data;
  };
  // Same numbers from both sides, then a warm-up of each.
  const [a] = await viaConvzoo();
  const b = (await viaBare()) as Float32Array;
  const diff = a!.data.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
  if (diff !== 0) throw new Error(`convzoo and the bare session disagree (max |diff| ${diff})`);
  const ours: number[] = [];
  const bare: number[] = [];
  for (let r = 0; r < rounds; r++) {
    // Alternate which side goes first so a slow moment does not always land on the same one.
    if (r % 2 === 0) {
      ours.push((batch * iterations) / (await timeIt(viaConvzoo, iterations)));
      bare.push((batch * iterations) / (await timeIt(viaBare, iterations)));
    } else {
      bare.push((batch * iterations) / (await timeIt(viaBare, iterations)));
      ours.push((batch * iterations) / (await timeIt(viaConvzoo, iterations)));
    }
  }
  const o = median(ours);
  const n = median(bare);
  // Paired: each round's two measurements were taken back to back, so their ratio cancels slow phases of the machine.
  const overhead = median(ours.map((v, i) => bare[i]! / v)) - 1;
  console.log(
    `batch ${String(batch).padStart(2)}: convzoo onnx-cpu ${o.toFixed(2)} img/s, bare onnxruntime-node ${n.toFixed(2)} img/s (medians of ${rounds}), ` +
      `overhead ${(overhead * 100).toFixed(1)}% (median of paired ratios)\n  per round: ours [${ours.map((v) => v.toFixed(1))}] bare [${bare.map((v) => v.toFixed(1))}]`,
  );
}
model.dispose();
await session.release();
