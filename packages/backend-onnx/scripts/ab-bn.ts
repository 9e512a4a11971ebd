// BatchNorm's training forms A/B: the same model's train graph with the centred form ('centred', the CPU EP's) and
// spelled out ('spelled', WebGPU's), one session each, run in turn round after round (a busy machine slows each
// alike); median and range of wall and process-CPU ms per step. 'bnstack': four BatchNorms on [128, 16, 32, 32]
// after a 1x1 conv, where BatchNorm is most of the step. PROFILE=1 (or =node) adds kernel time by op (or node). Not a test.
//   [THREADS=n] npx tsx --conditions=source scripts/ab-bn.ts [resnet20|bnstack|model] [batch] [rounds] spelled centred
import * as ort from 'onnxruntime-node';
import { getModel, SpecBuilder } from '@convzoo/models';
import { timeRounds, trainFeeds, trainGraph } from './train-feeds.js';

const [name = 'resnet20', batchArg = '128', roundsArg = '5', ...variants] = process.argv.slice(2);
const batch = Number(batchArg);
function bnStack() {
  const b = new SpecBuilder('bnstack');
  let x = b.conv2d(b.input([32, 32, 16]), { filters: 16, kernelSize: 1, useBias: false });
  for (let i = 0; i < 4; i++) x = b.relu(b.batchNorm(x));
  return b.build(b.dense(b.globalAvgPool2d(x), { units: 10, activation: 'softmax' }));
}
const spec = name === 'bnstack' ? bnStack() : getModel(name);
const sessions: [string, ort.InferenceSession][] = [];
let plan: ReturnType<typeof trainGraph>['plan'] | undefined;
for (const v of variants) {
  const g = trainGraph(spec, 'adam', { poolIndices: 'unpool', dw3d: true, col2im: true, batchNormCentred: v !== 'spelled' });
  plan = g.plan;
  const options = {
    graphOptimizationLevel: 'all' as const,
    ...(process.env.PROFILE ? { enableProfiling: true, profileFilePrefix: `/tmp/h24-abbn-${v}` } : {}),
    intraOpNumThreads: Number(process.env.THREADS ?? 2),
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
  sessions.push([v, await ort.InferenceSession.create(g.bytes, options)]);
}
const feeds = trainFeeds(spec, plan!, batch);
for (const [, s] of sessions) await s.run(feeds);
const times = await timeRounds(
  sessions.map(([, s]) => s),
  feeds,
  Number(roundsArg),
);
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
const fmt = (a: number[]) => `${med(a).toFixed(0)} [${Math.min(...a).toFixed(0)}-${Math.max(...a).toFixed(0)}]`;
for (const [i, [v]] of sessions.entries()) console.log(`${v.padEnd(16)} wall ${fmt(times[i]!.wall)}  cpu ${fmt(times[i]!.cpu)}`);
if (process.env.PROFILE) {
  const { readdirSync, readFileSync } = await import('node:fs');
  for (const [v, s] of sessions) {
    (s as unknown as { endProfiling(): void }).endProfiling();
    const file = `/tmp/${readdirSync('/tmp')
      .filter((f) => f.startsWith(`h24-abbn-${v}`))
      .sort()
      .pop()}`;
    const events = JSON.parse(readFileSync(file, 'utf8')) as { cat: string; name: string; dur: number; args?: { op_name?: string } }[];
    const by = new Map<string, number>();
    for (const e of events)
      if (e.cat === 'Node' && e.name.endsWith('_kernel_time')) {
        const k = process.env.PROFILE === 'node' ? e.name : (e.args?.op_name ?? '?');
        by.set(k, (by.get(k) ?? 0) + e.dur);
      }
    const runs = Number(roundsArg) + 1;
    console.log(
      `== ${v}: ` +
        [...by]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 40)
          .map(([k, us]) => `${k} ${(us / 1000 / runs).toFixed(2)}`)
          .join(', '),
    );
  }
}
