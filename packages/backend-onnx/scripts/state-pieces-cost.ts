// What it costs to pass state through a session once per step, whole or in pieces (src/train/state-pieces.ts): an
// Identity graph over `MB` megabytes of float32, as 1, 2, 4, ... pieces, each run 8 times in onnxruntime-node (the
// last 6 timed). Wall ms and the process's system CPU ms (page faults: the outputs land in fresh JS ArrayBuffers).
//   npx tsx --conditions=source scripts/state-pieces-cost.ts [MB]     e.g. 67 (vgg11_bn's 4096x4096 dense kernel)
import * as ort from 'onnxruntime-node';
import { buildReadbackGraph } from '../src/train/readback.js';

const total = Math.round((Number(process.argv[2] ?? '67') * 1e6) / 4);
for (const pieces of [1, 2, 4, 8, 16, 32]) {
  const n = Math.ceil(total / pieces);
  const state = Array.from({ length: pieces }, (_, i) => ({ name: `s${i}`, shape: [n] }));
  const session = await ort.InferenceSession.create(buildReadbackGraph(state), { intraOpNumThreads: 2 });
  const feeds = Object.fromEntries(state.map((s) => [s.name, new ort.Tensor('float32', new Float32Array(n).fill(1), [n])]));
  const wall: number[] = [];
  let system = 0;
  for (let i = 0; i < 8; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    await session.run(feeds);
    if (i < 2) continue;
    wall.push(performance.now() - t);
    system += process.cpuUsage(c).system / 1000 / 6;
  }
  const median = [...wall].sort((a, b) => a - b)[3]!;
  console.log(`${pieces} piece(s) of ${((n * 4) / 1e6).toFixed(1)} MB: ${median.toFixed(1)} ms (median of 6), system ${system.toFixed(1)} ms`);
  await session.release();
}
