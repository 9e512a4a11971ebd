// Where the first answers' seconds go (issue 28), in headless Chromium against dist/, with and without
// cross-origin isolation, each in a fresh browser context (empty caches):
//   npm run build -w @convzoo/web && npx tsx apps/web/scripts/measure-start.ts [--profile]
// Prints LeNet's first and second compile on onnx-wasm, the ORT wasm fetch, and ResNet50's stages on a first visit
// and after a reload (then one warm run); --profile adds the main thread's top self times during the reload (CDP CPU
// profile).
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/chromium.js';
import { serveStatic } from '../test/static-server.js';

const dist = fileURLToPath(new URL('../dist', import.meta.url));
const profile = process.argv.includes('--profile');
/** `--reloads N`: the reload measured N times (a range, not one sample); `--isolated`: the COOP/COEP host only. */
const reloads = Number(process.argv[process.argv.indexOf('--reloads') + 1] ?? 1) || 1;
const modes = process.argv.includes('--isolated') ? [true] : [true, false];
/** `--photo-only`: skip the LeNet compiles; `--js-flags=...` goes to Chromium (e.g. V8's wasm tiering flags). */
const photoOnly = process.argv.includes('--photo-only');
const chromiumArgs = process.argv.filter((a) => a.startsWith('--js-flags='));
type Hook = { timings: Record<string, Record<string, unknown>>; photoLoad?: Record<string, unknown>; probeMs?: number };

async function settled(page: Page): Promise<string> {
  await page.waitForFunction(() => /^(ready|error)/.test(document.querySelector('[data-testid=status]')?.textContent ?? ''), null, { timeout: 300_000 });
  await page.evaluate(() => (globalThis as unknown as { __convzoo: { idle(): Promise<void> } }).__convzoo.idle());
  return (await page.locator('[data-testid=status]').textContent()) ?? '';
}
const hook = (page: Page) => page.evaluate(() => (globalThis as unknown as { __convzoo: Hook }).__convzoo);
const round = (o: unknown) => JSON.stringify(o, (_, v) => (typeof v === 'number' ? Math.round(v) : v));

async function drawOne(page: Page): Promise<void> {
  const box = (await page.locator('#pad').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + 30);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height - 30, { steps: 4 });
  await page.mouse.up();
}

async function topSelfTimes(page: Page, run: () => Promise<void>): Promise<string> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
  await cdp.send('Profiler.start');
  await run();
  const { profile: p } = await cdp.send('Profiler.stop');
  const self = new Map<number, number>();
  p.samples?.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas?.[i] ?? 0) / 1000));
  const byName = new Map<string, number>();
  for (const n of p.nodes) {
    const key = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop() ?? ''}`;
    byName.set(key, (byName.get(key) ?? 0) + (self.get(n.id) ?? 0));
  }
  return [...byName]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25)
    .map(([k, ms]) => `    ${ms.toFixed(0).padStart(6)} ms  ${k}`)
    .join('\n');
}

const browser = await launchChromium({ webgpu: false, args: chromiumArgs });
try {
  for (const isolation of modes) {
    const server = await serveStatic(dist, { isolation });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}?backend=onnx-wasm`);
    console.log(
      `${isolation ? 'cross-origin isolated' : 'NOT isolated'}: page ${await settled(page)}, crossOriginIsolated=${await page.evaluate(() => crossOriginIsolated)}`,
    );
    if (!photoOnly) {
      await drawOne(page);
      await settled(page);
      const wasm = await page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .filter((e) => e.name.endsWith('.wasm'))
          .map((e) => `${e.name.split('/').pop()} ${Math.round(e.duration)} ms`),
      );
      console.log(`  LeNet first compile on onnx-wasm: ${round((await hook(page)).timings.digit)}; wasm fetched: ${wasm.join(', ')}`);
      await page.reload();
      await settled(page);
      await drawOne(page);
      await settled(page);
      console.log(`  LeNet first compile after a reload (HTTP and wasm code caches warm): ${round((await hook(page)).timings.digit)}`);
      await page.locator('[data-testid=backend-picker]').selectOption('tfjs-cpu');
      await settled(page);
      await page.locator('[data-testid=backend-picker]').selectOption('onnx-wasm');
      await settled(page);
      console.log(`  LeNet second compile (ORT already started): ${round((await hook(page)).timings.digit)}`);
    }
    for (const visit of ['first visit', ...Array.from({ length: reloads }, (_, i) => (reloads > 1 ? `reload ${i + 1}` : 'reload'))]) {
      const go = async () => {
        await page.goto(`${server.url}?backend=onnx-wasm&image=samples/chelsea.png`);
        await settled(page);
      };
      const top = profile && visit.startsWith('reload') ? await topSelfTimes(page, go) : (await go(), '');
      // One warm run after the first answer: what the first run costs beyond the forward pass itself.
      await page.locator('#samples img[alt="coffee.png"]').click();
      await settled(page);
      const h = await hook(page);
      // Reading the stored model alone, the page idle: the part of a cached compile that is Cache Storage.
      const readMs = await page.evaluate(async () => {
        const t0 = performance.now();
        const cache = await caches.open('convzoo-onnx-models-v1');
        for (const req of await cache.keys()) await (await cache.match(req))!.arrayBuffer();
        return performance.now() - t0;
      });
      console.log(
        `  ResNet50 ${visit}: probes ${Math.round(h.probeMs ?? 0)} ms, ${round(h.photoLoad)} ${round(h.timings.photo)} (stored model read alone: ${Math.round(readMs)} ms)${top ? `\n  main-thread self time:\n${top}` : ''}`,
      );
    }
    await context.close();
    await server.close();
  }
} finally {
  await browser.close();
}
