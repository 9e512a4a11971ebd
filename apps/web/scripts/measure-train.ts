// The Train section's speed per backend, in headless Chromium against dist/ (one fresh browser context each):
//   npm run build -w @convzoo/web && npx tsx apps/web/scripts/measure-train.ts [--steps N] [--limit N] [--batch N] [--model M] [--webgpu] [backend...]
// Opens `?train=M&backend=B&limit=L&batch=S` (M: lenet, the default, or resnet_tutorial) and, after N training steps (default 20; the whole run with
// --steps 0), prints the page's samples/s, the time from navigation to the first training step, the ticks per
// second of a 10 ms timer on the page's main thread during training (and its longest gap), the first steps' losses
// (the same seed and batches on every backend), and the CPU seconds Chromium used meanwhile (all its processes; on a machine shared with other jobs, CPU time says more than wall time).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/chromium.js';
import { serveStatic } from '../test/static-server.js';

const dist = fileURLToPath(new URL('../dist', import.meta.url));
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const [v] = args.splice(i, 2).slice(1);
  return Number(v);
};
const steps = option('steps', 20);
const limit = option('limit', 20_000);
const batch = option('batch', 64);
const model = (() => {
  const i = args.indexOf('--model');
  return i < 0 ? 'lenet' : args.splice(i, 2)[1]!;
})();
const webgpu = args.includes('--webgpu');
const backends = args.filter((a) => !a.startsWith('--'));
if (backends.length === 0) backends.push('onnx-wasm', 'tfjs-wasm');

/** CPU seconds (user + system) of every process descended from this one: the Chromium that playwright started. */
function childCpuSeconds(): number {
  const stats = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((pid) => {
      try {
        const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        return [{ pid: Number(pid), ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / 100 }];
      } catch {
        return [];
      }
    });
  const mine = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of stats)
      if (!mine.has(s.pid) && mine.has(s.ppid)) {
        mine.add(s.pid);
        grew = true;
      }
  }
  return stats.filter((s) => s.pid !== process.pid && mine.has(s.pid)).reduce((a, s) => a + s.cpu, 0);
}

type Train = {
  steps: number;
  losses: number[];
  status: string;
  samplesPerS?: number;
  firstStepFromNavigation?: number;
  trainEndFromNavigation?: number;
  testAccuracy?: number;
};
const train = (page: Page) =>
  page.evaluate(() => {
    const g = globalThis as unknown as { __convzoo: { train: Train }; __ticks: number[] };
    return { train: g.__convzoo.train, ticks: g.__ticks, now: performance.now() };
  });

const server = await serveStatic(dist);
const browser = await launchChromium({ webgpu });
console.log(
  `${model}, batch ${batch}, ${steps ? `first ${steps} steps` : `${limit} images, 1 epoch`}; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
);
for (const backend of backends) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    const ticks: number[] = [];
    (globalThis as unknown as { __ticks: number[] }).__ticks = ticks;
    setInterval(() => ticks.push(performance.now()), 10);
  });
  const cpu0 = childCpuSeconds();
  const t0 = Date.now();
  await page.goto(`${server.url}?train=${model}&backend=${backend}&epochs=1&limit=${limit}&batch=${batch}`);
  await page.waitForFunction(
    (n) => {
      const t = (globalThis as unknown as { __convzoo: { train: Train } }).__convzoo.train;
      return /^(done|stopped|error)/.test(t.status) || (n > 0 && t.steps >= n);
    },
    steps,
    { timeout: 1_800_000, polling: 100 },
  );
  const { train: t, ticks, now } = await train(page);
  const cpu = childCpuSeconds() - cpu0;
  const wall = (Date.now() - t0) / 1000;
  if (t.status.startsWith('error')) {
    console.log(`${backend}: ${t.status}`);
  } else {
    const from = t.firstStepFromNavigation!;
    const to = t.trainEndFromNavigation ?? now;
    const during = ticks.filter((x) => x >= from && x <= to);
    const gap = Math.max(...during.slice(1).map((x, i) => x - during[i]!));
    console.log(
      `${backend}: ${t.samplesPerS?.toFixed(0)} samples/s, first step ${(from / 1000).toFixed(1)} s after navigation, ` +
        `timer ${(during.length / ((to - from) / 1000)).toFixed(1)} Hz (longest gap ${gap.toFixed(0)} ms), ` +
        `${t.steps} steps in ${wall.toFixed(1)} s wall, Chromium CPU ${cpu.toFixed(1)} s, first losses ${t.losses
          .slice(0, 3)
          .map((l) => l.toFixed(4))
          .join(' ')}` +
        (t.testAccuracy !== undefined ? `, test accuracy ${t.testAccuracy.toFixed(2)}%` : ''),
    );
  }
  await context.close();
}
await browser.close();
await server.close();
