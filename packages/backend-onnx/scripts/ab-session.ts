// Session options A/B on one training graph: the same train graph in several ONNX Runtime sessions, each with its
// own options, run in turn round after round (a busy machine slows each alike), median wall and process-CPU ms per
// step. Not a test. Variants: `threads=N` (intraOpNumThreads), `spin=0|1` (allow_spinning), joined by ';'.
//   npx tsx --conditions=source scripts/ab-session.ts [model] [batch] [rounds] 'threads=2;spin=0' 'threads=2;spin=1' ...
import * as ort from 'onnxruntime-node';
import { getModel } from '@convzoo/models';
import { timeRounds, trainFeeds, trainGraph } from './train-feeds.js';

const [name = 'lenet', batchArg = '128', roundsArg = '5', ...variants] = process.argv.slice(2);
const batch = Number(batchArg);
const spec = getModel(name);
const { plan, bytes } = trainGraph(spec, 'adam', { poolIndices: 'unpool', dw3d: true, col2im: true });
const sessions: [string, ort.InferenceSession][] = [];
for (const v of variants.length ? variants : ['threads=1;spin=0', 'threads=2;spin=0', 'threads=2;spin=1']) {
  const o = Object.fromEntries(v.split(';').map((kv) => kv.split('=') as [string, string]));
  const options = {
    graphOptimizationLevel: 'all' as const,
    intraOpNumThreads: Number(o.threads ?? 2),
    extra: { session: { intra_op: { allow_spinning: o.spin ?? '0' } } },
  };
  sessions.push([v, await ort.InferenceSession.create(bytes, options)]);
}
const feeds = trainFeeds(spec, plan, batch);
for (const [, s] of sessions) await s.run(feeds); // warm-up
const times = await timeRounds(
  sessions.map(([, s]) => s),
  feeds,
  Number(roundsArg),
);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [i, [v]] of sessions.entries()) {
  const { wall, cpu } = times[i]!;
  console.log(
    `${name} b${batch} ${v.padEnd(20)} wall ${median(wall).toFixed(1).padStart(8)} ms   CPU ${median(cpu).toFixed(1).padStart(8)} ms   cores ${(median(cpu) / median(wall)).toFixed(2)}`,
  );
}
