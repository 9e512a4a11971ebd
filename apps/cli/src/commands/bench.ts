// `convzoo bench train [model]`: training throughput of a registered architecture on one or more backends, on
// seeded synthetic data (timing does not depend on the pixels). Warm-up steps are excluded; the median step is
// reported as samples/s and as the projected time of one epoch (60,000 images: MNIST's training set).
import { inferShapes, getModel, type ModelSpec } from '@convzoo/models';
import { createRng, type Tensor, type TrainableModel } from '@convzoo/backend';
import { checkBackendName } from '../backend-names.js';
import { CliError, defineCommand, intOption, optionTable, type CommandIO } from '../command.js';
import { openModel } from '../open-model.js';
import { kerasPeer } from './bench-keras.js';
import type { BenchRow } from './bench-row.js';

const USAGE = `Usage: convzoo bench train [model] [options]

Times training steps (forward, backward, Adam update) of a registered architecture (default lenet) on synthetic
data, per backend, and prints samples/s and the projected seconds per epoch.

Options:
  --backend LIST     comma-separated trainable backends (default onnx-cpu,tfjs-wasm)
  --batch-size N     samples per step (default 128)
  --steps N          timed steps per backend; the median is reported (default 10)
  --warmup N         untimed steps first (default 2)
  --epoch-size N     images per epoch for the projection (default 60000, MNIST)
  --seed N           seed of the weights and the synthetic batch (default 0)
  --keras PYTHON     also time the same model and batch in Keras (TensorFlow CPU) with this Python interpreter,
                     in the same run, and print each backend's ratio to it (optional; never needed by convzoo)`;

/** The ONNX backends' step profile (feed / run / fetch), read without importing the adapter. */
interface PhaseProfile {
  steps: number;
  feedMs: number;
  runMs: number;
  fetchMs: number;
}

function modelSpec(name: string): ModelSpec {
  try {
    return getModel(name);
  } catch (e) {
    throw new CliError(`train: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** One seeded batch: uniform [0, 1) inputs and one-hot targets for every output. */
function syntheticBatch(spec: ModelSpec, batch: number, seed: number): { xs: Tensor[]; ys: Tensor[] } {
  const rng = createRng(seed);
  const shapes = inferShapes(spec);
  const make = (shape: number[], fill: (data: Float32Array, per: number) => void): Tensor => {
    const full = [batch, ...shape];
    const data = new Float32Array(full.reduce((a, b) => a * b, 1));
    fill(data, data.length / batch);
    return { shape: full, data };
  };
  const xs = spec.inputs.map((n) => make([...shapes.get(n)!], (d) => d.forEach((_, i) => (d[i] = rng()))));
  const ys = spec.outputs.map((n) =>
    make([...shapes.get(n)!], (d, per) => {
      for (let b = 0; b < batch; b++) d[b * per + Math.floor(rng() * per)] = 1;
    }),
  );
  return { xs, ys };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timeTraining(model: TrainableModel, x: Tensor[], y: Tensor[], warmup: number, steps: number) {
  const wall: number[] = [];
  const cpu: number[] = [];
  const profile = (model as { profile?: PhaseProfile }).profile;
  let start: PhaseProfile | undefined;
  for (let i = 0; i < warmup + steps; i++) {
    if (i === warmup && profile) start = { ...profile };
    const t = performance.now();
    const c = process.cpuUsage();
    await model.trainStep(x.length === 1 ? x[0]! : x, y.length === 1 ? y[0]! : y);
    const used = process.cpuUsage(c);
    if (i >= warmup) {
      wall.push(performance.now() - t);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  let phases: Record<string, number> | undefined;
  if (profile && start && profile.steps > start.steps) {
    const n = profile.steps - start.steps;
    phases = {
      'inputs (checks, targets, masks, tensors)': (profile.feedMs - start.feedMs) / n,
      'session.run (forward, backward, update)': (profile.runMs - start.runMs) / n,
      'outputs (read loss, swap state)': (profile.fetchMs - start.fetchMs) / n,
    };
  }
  return { ms: median(wall), cpuMs: median(cpu), phases };
}

function printRows(io: CommandIO, rows: BenchRow[], epochSize: number, peer?: BenchRow): void {
  io.out(`backend        ms/step   samples/s   s/epoch (${epochSize.toLocaleString('en-US')} images)   CPU ms/step${peer ? '   x keras' : ''}`);
  for (const r of [...rows, ...(peer ? [peer] : [])]) {
    const cols = [
      r.msPerStep.toFixed(1).padStart(9),
      r.samplesPerSecond.toFixed(0).padStart(11),
      r.secondsPerEpoch.toFixed(1).padStart(12),
      r.cpuMsPerStep.toFixed(1).padStart(25),
    ];
    if (peer) cols.push(`${(r.msPerStep / peer.msPerStep).toFixed(2)}x`.padStart(10));
    io.out(`${r.backend.padEnd(12)} ${cols.join(' ')}`);
  }
  io.out('(wall-clock medians; CPU ms/step is the process CPU time, steadier than wall time on a busy machine)');
  for (const r of rows) {
    if (!r.phases) continue;
    io.out(`profile ${r.backend} (mean ms/step):`);
    for (const [phase, ms] of Object.entries(r.phases)) io.out(`  ${phase.padEnd(44)} ${ms.toFixed(1).padStart(8)}`);
  }
}

export const benchCommand = defineCommand({
  name: 'bench',
  summary: 'time training steps of an architecture per backend (samples/s, s/epoch)',
  usage: USAGE,
  options: optionTable(['backend', 'batch-size', 'steps', 'warmup', 'epoch-size', 'seed', 'keras']),
  async run({ positionals, values, io }) {
    const [what, modelName = 'lenet', extra] = positionals;
    if (what !== 'train') throw new CliError(`expected 'train', got ${what === undefined ? 'nothing' : `'${what}'`}\n${USAGE}`);
    if (extra !== undefined) throw new CliError(`train: unexpected argument '${extra}'`);
    const batch = intOption(values['batch-size'], 'batch-size', 128);
    const steps = intOption(values.steps, 'steps', 10);
    const warmup = intOption(values.warmup, 'warmup', 2, 0);
    const epochSize = intOption(values['epoch-size'], 'epoch-size', 60_000);
    const seed = intOption(values.seed, 'seed', 0, 0);
    const backends = (values.backend ?? 'onnx-cpu,tfjs-wasm').split(',').map((b) => b.trim());
    if (backends.some((b) => b === '')) throw new CliError(`--backend must be a comma-separated list of names, got '${values.backend}'`);
    for (const b of backends) await checkBackendName(b, 'backend');
    const spec = modelSpec(modelName);
    const { xs, ys } = syntheticBatch(spec, batch, seed);
    io.out(`${spec.name}: training steps at batch ${batch}, median of ${steps} after ${warmup} warm-up`);
    const rows: BenchRow[] = [];
    for (const backend of backends) {
      const { model, choice } = await openModel(spec, {
        backend,
        seed,
        training: { loss: 'categoricalCrossentropy', optimizer: { kind: 'adam' } },
      });
      try {
        const { ms, cpuMs, phases } = await timeTraining(model, xs, ys, warmup, steps);
        const samplesPerSecond = (batch * 1000) / ms;
        rows.push({
          backend: model.backend,
          msPerStep: ms,
          cpuMsPerStep: cpuMs,
          samplesPerSecond,
          secondsPerEpoch: epochSize / samplesPerSecond,
          ...(phases ? { phases } : {}),
        });
        if (backend === 'auto') io.out(`auto: ${choice}`);
      } finally {
        model.dispose();
      }
    }
    const peer = values.keras ? kerasPeer(values.keras, spec, batch, steps, warmup, epochSize) : undefined;
    printRows(io, rows, epochSize, peer);
    return 0;
  },
});
