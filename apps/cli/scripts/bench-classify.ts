// `convzoo classify` of one photo on onnx-cpu against a bare onnxruntime-node session on the same ResNet50 (the
// least code that answers: classify-peer/bare-session.mjs), each run a fresh process, in one run of this script:
// time from process start to the answer and peak RSS, as medians over rounds and as ratios to the peer.
//   cold: the first classify, which reads the weights, exports the ONNX model into the cache and lets go of both;
//   warm: every later one, which hands onnxruntime the cached file and never reads the weights.
// Usage (from apps/cli, after npm run build): npx tsx scripts/bench-classify.ts [PHOTO] [ROUNDS]
// The weights must be fetched (`npx convzoo classify` once). The ONNX cache goes to a temporary CONVZOO_CACHE whose
// weights folder links to the real one, so the user's cache is left alone.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultCacheDir } from '@convzoo/weights';

interface Sample {
  ms: number;
  maxRssKiB: number;
}

const photo = resolve(process.argv[2] ?? 'fixtures/photos/rocket.jpg');
const rounds = Number(process.argv[3] ?? 3);
const realCache = defaultCacheDir();
const cache = mkdtempSync(join(tmpdir(), 'convzoo-bench-classify-'));
for (const entry of readdirSync(realCache)) if (entry !== 'onnx') symlinkSync(join(realCache, entry), join(cache, entry));
const env = { ...process.env, CONVZOO_CACHE: cache };

/** Runs node with `args`; the last JSON line of stdout or stderr that has `ms` is the sample. */
function sample(args: string[]): Sample & { stdout: string } {
  const r = spawnSync(process.execPath, args, { env, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const line = `${r.stdout}\n${r.stderr}`
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{') && l.includes('"ms"'));
  if (!line) throw new Error(`node ${args.join(' ')}: no timing line in its output`);
  return { ...(JSON.parse(line) as Sample), stdout: r.stdout };
}

const classify = () =>
  sample([
    '--import',
    resolve('scripts/classify-peer/report-exit.mjs'),
    resolve('bin/convzoo.js'),
    'classify',
    photo,
    '--backend',
    'onnx-cpu',
    '--json',
    '--offline',
  ]);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

try {
  const cold = classify();
  const onnxDir = join(cache, 'onnx');
  const files = readdirSync(onnxDir).filter((f) => f.endsWith('.onnx'));
  if (files.length !== 1) throw new Error(`expected one cached model in ${onnxDir}, found ${files.length}`);
  const model = join(onnxDir, files[0]!);
  const warm: Sample[] = [];
  const bare: Sample[] = [];
  for (let i = 0; i < rounds; i++) {
    bare.push(sample([resolve('scripts/classify-peer/bare-session.mjs'), model, photo]));
    warm.push(classify());
  }
  const b = { ms: median(bare.map((s) => s.ms)), rss: median(bare.map((s) => s.maxRssKiB)) };
  const row = (name: string, ms: number, rss: number) =>
    console.log(
      `${name.padEnd(28)} ${(ms / 1000).toFixed(2).padStart(6)} s  ${(rss / 1024).toFixed(0).padStart(5)} MiB   time x${(ms / b.ms).toFixed(2)}  peak RSS x${(rss / b.rss).toFixed(2)}`,
    );
  console.log(`ResNet50 (keras-imagenet), one photo (${photo}), onnx-cpu; medians of ${rounds} fresh processes, start to answer`);
  row('bare onnxruntime-node', b.ms, b.rss);
  row('convzoo classify, warm cache', median(warm.map((s) => s.ms)), median(warm.map((s) => s.maxRssKiB)));
  row('convzoo classify, cold (1 run)', cold.ms, cold.maxRssKiB);
  console.log(`per run: bare [${bare.map((s) => s.ms.toFixed(0))}] ms, warm [${warm.map((s) => s.ms.toFixed(0))}] ms`);
} finally {
  rmSync(cache, { recursive: true, force: true });
}
