// `convzoo bench train [model]`: training throughput of a registered architecture on one or more backends, on
// seeded synthetic data (timing does not depend on the pixels). Warm-up steps are excluded; the median step is
// reported as samples/s and as the projected time of one epoch (60,000 images: MNIST's training set). With --runs,
// the backends and the Python peers take turns, round after round, and each figure is the median over the rounds.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { inferShapes, getModel, type ModelSpec } from '@convzoo/models';
import { createRng, probeBackend, type Tensor, type TrainableModel } from '@convzoo/backend';
import { checkBackendName } from '../backend-names.js';
import { CliError, defineCommand, intOption, optionTable } from '../command.js';
import { modelOptions } from '../model-target.js';
import { openModel } from '../open-model.js';
import { startKerasPeer } from './bench-keras.js';
import type { PythonPeer } from './bench-peer.js';
import type { BenchRow, BenchSample } from './bench-row.js';
import { appendCsv, printRows, summarize } from './bench-table.js';
import { startTorchPeer } from './bench-torch.js';

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
  --input HxWxC      the architecture's input shape (e.g. 32x32x3 for vgg11_bn or resnet18); --classes N its outputs
  --runs N           rounds: every backend and peer times its steps once per round, in turn (default 1)
  --threads N        intra-op threads of the onnxruntime-node backends (default: the cores, os.availableParallelism())
  --keras PYTHON     also time the same model and batch in Keras (TensorFlow CPU) with this Python interpreter,
                     interleaved with the backends, and print each backend's ratio to it (optional; never needed by convzoo)
  --torch PYTHON     the same in PyTorch (plain torch.nn, CPU) with this Python interpreter
  --csv FILE         append one line per backend and round (with the machine's load average) to this CSV file`;

/** The ONNX backends' step profile (feed / run / fetch), read without importing the adapter. */
interface PhaseProfile {
  steps: number;
  feedMs: number;
  runMs: number;
  fetchMs: number;
}

function modelSpec(name: string, values: { input?: string | undefined; classes?: string | undefined }): ModelSpec {
  try {
    return getModel(name, modelOptions(values));
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

export const benchCommand = defineCommand({
  name: 'bench',
  summary: 'time training steps of an architecture per backend (samples/s, s/epoch)',
  usage: USAGE,
  options: optionTable(['backend', 'batch-size', 'steps', 'warmup', 'epoch-size', 'seed', 'input', 'classes', 'runs', 'threads', 'keras', 'torch', 'csv']),
  async run({ positionals, values, io }) {
    const [what, modelName = 'lenet', extra] = positionals;
    if (what !== 'train') throw new CliError(`expected 'train', got ${what === undefined ? 'nothing' : `'${what}'`}\n${USAGE}`);
    if (extra !== undefined) throw new CliError(`train: unexpected argument '${extra}'`);
    const batch = intOption(values['batch-size'], 'batch-size', 128);
    const steps = intOption(values.steps, 'steps', 10);
    const warmup = intOption(values.warmup, 'warmup', 2, 0);
    const epochSize = intOption(values['epoch-size'], 'epoch-size', 60_000);
    const seed = intOption(values.seed, 'seed', 0, 0);
    const runs = intOption(values.runs, 'runs', 1);
    const threads = values.threads === undefined ? undefined : intOption(values.threads, 'threads', 1);
    const backends = (values.backend ?? 'onnx-cpu,tfjs-wasm').split(',').map((b) => b.trim());
    if (backends.some((b) => b === '')) throw new CliError(`--backend must be a comma-separated list of names, got '${values.backend}'`);
    for (const b of backends) await checkBackendName(b, 'backend');
    const spec = modelSpec(modelName, values);
    const { xs, ys } = syntheticBatch(spec, batch, seed);
    const input = xs[0]!.shape.slice(1).join('x');
    io.out(
      `${spec.name} (${input}): training steps at batch ${batch}, median of ${steps} after ${warmup} warm-up${runs > 1 ? `, ${runs} interleaved rounds` : ''}`,
    );
    const models: TrainableModel[] = [];
    const peers: PythonPeer[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'convzoo-bench-'));
    try {
      for (const backend of backends) {
        // --threads goes to the onnxruntime-node backends only; the others would refuse an option they do not have.
        const engine = threads !== undefined && /^onnx-(cpu|cuda|webgpu)$/.test(backend) ? { intraOpNumThreads: threads } : undefined;
        // The batch goes to compile, which checks it against the backend's memory model: tfjs-wasm refuses resnet56 at
        // batch 128 by name (its heap is 4 GiB) where the first step would abort the WebAssembly module.
        const { model, choice } = await openModel(spec, {
          backend,
          seed,
          batchSize: batch,
          autoBatch: false,
          training: { loss: 'categoricalCrossentropy', optimizer: { kind: 'adam' } },
          ...(engine ? { engine } : {}),
        });
        models.push(model);
        if (backend === 'auto') io.out(`auto: ${choice}`);
      }
      const specFile = join(dir, 'spec.json');
      writeFileSync(specFile, JSON.stringify(spec));
      if (values.keras) peers.push(await startKerasPeer(values.keras, specFile, batch));
      if (values.torch) peers.push(await startTorchPeer(values.torch, specFile, batch));
      for (const p of peers) io.out(`${p.name}: ${p.version}`);
      const versions: Record<string, string> = Object.fromEntries(peers.map((p) => [p.name, p.version]));
      for (const m of models) versions[m.backend] = (await probeBackend(m.backend)).details ?? '';
      const samples: BenchSample[] = [];
      for (let round = 0; round < runs; round++) {
        const load = loadavg()[0]!;
        const inRound: BenchSample[] = [];
        for (const model of models) {
          const { ms, cpuMs, phases } = await timeTraining(model, xs, ys, warmup, steps);
          inRound.push({ backend: model.backend, round, ms, cpuMs, load, ...(phases ? { phases } : {}) });
        }
        // The peers warm up every round, as the backends do (the first Keras round traces the model: 2 steps at least).
        for (const p of peers) inRound.push({ backend: p.name, round, ...(await p.round(Math.max(warmup, round === 0 ? 2 : 1), steps)), load });
        samples.push(...inRound);
        // Each round as it ends: a long run stopped halfway keeps the rounds it finished.
        if (values.csv) appendCsv(values.csv, inRound, { model: spec.name, input, batch, versions, threads: threads ?? 'default' });
        if (runs > 1) io.out(`round ${round + 1}/${runs}: ${inRound.map((r) => `${r.backend} ${r.ms.toFixed(1)} ms`).join(', ')} (load ${load.toFixed(1)})`);
      }
      const rows: BenchRow[] = summarize(samples, batch, epochSize);
      printRows(
        io,
        rows,
        epochSize,
        peers.map((p) => p.name),
      );
      io.out(`load average (1 min) per round: ${[...new Set(samples.map((s) => s.load.toFixed(1)))].join(', ')}`);
      if (values.csv) io.out(`appended ${samples.length} rows to ${values.csv}`);
    } finally {
      for (const p of peers) p.close();
      for (const m of models) m.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
    return 0;
  },
});
