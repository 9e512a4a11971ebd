// Where an ONNX training step's time goes, per operator: builds a spec's train graph, runs it with ONNX Runtime's
// profiler and sums the kernel times by op type and by node. Not a test. The profiler adds its own cost per node, so
// judge wall-clock changes with `convzoo bench train`, which runs without it.
//   [THREADS=n] [TOP=rows] [INPUT=HxWxC] [OPTIMIZER=adam|sgd] [POOL_INDICES=unpool|scatter|false] [DW3D=0] [DW_UNFOLD=1] [COL2IM=0] [NCHWC=0|8|16] [STATE_CHUNK=n] [EXEC=parallel] [SPIN=1] [KEEP_PROFILE=1] npx tsx --conditions=source scripts/profile-train.ts [model] [batch] [steps]
//   (THREADS: intraOpNumThreads; INPUT: the architecture's input shape, 10 classes; KEEP_PROFILE: keep ORT's JSON file;
//   NCHWC: the blocked conv's channel block, 0 for ONNX's Conv, default this machine's as onnx-cpu probes it;
//   STATE_CHUNK: the most elements a state tensor crosses the graph boundary in, 0 whole, default onnx-cpu's)
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { getModel } from '@convzoo/models';
import type { PoolIndices } from '../src/layers/emitter.js';
import { nchwcBlock } from '../src/runtime/nchwc-probe.js';
import { STATE_CHUNK } from '../src/train/state-pieces.js';
import type { OrtModule } from '../src/runtime/ort.js';
import { trainFeeds, trainGraph } from './train-feeds.js';

const [name = 'lenet', batchArg = '128', stepsArg = '10'] = process.argv.slice(2);
const batch = Number(batchArg);
const poolIndices = process.env.POOL_INDICES ?? 'unpool';
const spec = getModel(name, process.env.INPUT ? { inputShape: process.env.INPUT.split('x').map(Number) as [number, number, number], classes: 10 } : {});
const { plan, bytes } = trainGraph(spec, (process.env.OPTIMIZER ?? 'adam') as 'adam' | 'sgd', {
  poolIndices: poolIndices === 'false' ? false : (poolIndices as PoolIndices),
  dw3d: process.env.DW3D !== '0',
  dwUnfold: process.env.DW_UNFOLD === '1',
  col2im: process.env.COL2IM !== '0',
  nchwcBlock: process.env.NCHWC ? Number(process.env.NCHWC) : await nchwcBlock(ort as unknown as OrtModule),
  stateChunk: process.env.STATE_CHUNK ? Number(process.env.STATE_CHUNK) : STATE_CHUNK,
});
const session = await ort.InferenceSession.create(bytes, {
  enableProfiling: true,
  profileFilePrefix: '/tmp/convzoo-train-profile',
  graphOptimizationLevel: 'all',
  ...(process.env.EXEC ? { executionMode: process.env.EXEC as 'parallel', interOpNumThreads: 2 } : {}),
  ...(process.env.SPIN ? { extra: { session: { intra_op: { allow_spinning: process.env.SPIN } } } } : {}),
  ...(process.env.THREADS ? { intraOpNumThreads: Number(process.env.THREADS) } : {}),
});
const feeds = trainFeeds(spec, plan, batch);
const steps = Number(stepsArg);
const c0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < steps; i++) await session.run(feeds);
const cpu = process.cpuUsage(c0);
console.log(
  `${name} batch ${batch}: ${((performance.now() - t0) / steps).toFixed(1)} ms/step wall, ${((cpu.user + cpu.system) / 1000 / steps).toFixed(1)} ms/step CPU (${(cpu.system / 1000 / steps).toFixed(1)} system)`,
);
(session as unknown as { endProfiling(): void }).endProfiling();
await session.release();
// onnxruntime-node does not return the file name: the newest file with the prefix.
const file = `/tmp/${readdirSync('/tmp')
  .filter((f) => f.startsWith('convzoo-train-profile'))
  .sort()
  .pop()}`;
const events = JSON.parse(readFileSync(file, 'utf8')) as { cat: string; name: string; dur: number; args?: { op_name?: string } }[];
if (!process.env.KEEP_PROFILE) rmSync(file);
else console.log(`profile: ${file}`);
const byOp = new Map<string, number>();
const byNode = new Map<string, number>();
for (const e of events) {
  if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
  const op = e.args?.op_name ?? '?';
  byOp.set(op, (byOp.get(op) ?? 0) + e.dur);
  const node = e.name.replace(/_kernel_time$/, '');
  byNode.set(`${op} ${node}`, (byNode.get(`${op} ${node}`) ?? 0) + e.dur);
}
const total = [...byOp.values()].reduce((a, b) => a + b, 0);
console.log(`kernel time ${(total / 1000 / steps).toFixed(1)} ms/step; by op type:`);
for (const [op, us] of [...byOp].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 12)))
  console.log(`  ${op.padEnd(20)} ${(us / 1000 / steps).toFixed(2).padStart(8)} ms  ${((100 * us) / total).toFixed(1)}%`);
console.log('top nodes:');
for (const [n, us] of [...byNode].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 12)))
  console.log(`  ${n.padEnd(48)} ${(us / 1000 / steps).toFixed(2).padStart(8)} ms`);
