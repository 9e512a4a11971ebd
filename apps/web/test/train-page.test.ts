// The Train section in headless Chromium (the built app, dist/): `?train=lenet&backend=B&epochs=E&limit=N` trains
// LeNet on MNIST in the page's Web Worker to >= 97% on the 10,000 test images, on onnx-wasm and tfjs-wasm; a
// timer in the page keeps ticking meanwhile (the main thread stays free); the downloaded checkpoint, evaluated in
// Node on onnx-cpu by @convzoo/train, scores the page's accuracy.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BackendRegistry } from '@convzoo/backend';
import { registerOnnxBackends } from '@convzoo/backend-onnx';
import { loadMnist, oneHot, toTensor } from '@convzoo/datasets';
import { evaluate, loadCheckpoint } from '@convzoo/train';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium } from './chromium.js';
import { failInCiIfSkipped } from './ci-skip.js';
import { serveStatic, type StaticServer } from './static-server.js';

const dist = fileURLToPath(new URL('../dist', import.meta.url));
const missing = chromiumMissing() ?? (existsSync(`${dist}/index.html`) ? undefined : `no built app at ${dist}: run npm run build -w @convzoo/web`);
if (missing) console.log(`Train section e2e tests skipped: ${missing}`);
failInCiIfSkipped(missing, 'the Train section e2e tests');

/**
 * The budget: the first 20,000 training images, one epoch, batch 64 (the section's default), seed 0. Node's onnx-cpu
 * on the same problem scores 97.46% (15,000 images: 96.84%, so the margin is 46 test images); the page is
 * deterministic (the same seeded weights and batches; runs repeat to the last digit), so the margin does not move
 * from run to run.
 */
const BUDGET = { epochs: 1, limit: 20_000 };
const MIN_ACCURACY = 97;
/** Ticks per second of a 10 ms setInterval on the page's main thread while the worker trains. */
const MIN_TIMER_HZ = 20;

const text = async (page: Page, id: string) => (await page.locator(`[data-testid=${id}]`).textContent()) ?? '';

/** A vertical stroke down the middle of the digit pad: a 1. */
async function drawOne(page: Page): Promise<void> {
  await page.locator('#pad').scrollIntoViewIfNeeded();
  const box = (await page.locator('#pad').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 7);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + (box.height * 6) / 7, { steps: 6 });
  await page.mouse.up();
}

interface Ticks {
  times: number[];
}

/** Opens the page with the training query, with a 10 ms interval timer counting from the first script on. */
async function trainInPage(page: Page, url: string): Promise<{ status: string; seconds: number }> {
  await page.addInitScript(() => {
    const t: Ticks = { times: [] };
    (globalThis as unknown as { __ticks: Ticks }).__ticks = t;
    setInterval(() => t.times.push(performance.now()), 10);
  });
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForFunction(() => /^(done|stopped|error)/.test(document.querySelector('[data-testid=train-status]')?.textContent ?? ''), null, {
    timeout: 900_000,
    polling: 500,
  });
  return { status: await text(page, 'train-status'), seconds: (Date.now() - t0) / 1000 };
}

describe.skipIf(missing !== undefined)('the Train section in headless Chromium', () => {
  let server: StaticServer;
  let browser: Browser;
  const report: string[] = [];
  beforeAll(async () => {
    server = await serveStatic(dist);
    browser = await launchChromium({ webgpu: false });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (report.length) console.log(`Train section:\n${report.join('\n')}`);
  });

  for (const backend of ['onnx-wasm', 'tfjs-wasm']) {
    it(`${backend}: LeNet, ${BUDGET.limit} images x ${BUDGET.epochs} epoch, reaches >= ${MIN_ACCURACY}% on the 10k test set; a page timer keeps >= ${MIN_TIMER_HZ} Hz; the downloaded checkpoint scores the same in Node`, async () => {
      const context = await browser.newContext({ acceptDownloads: true });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const { status, seconds } = await trainInPage(page, `${server.url}?train=lenet&backend=${backend}&epochs=${BUDGET.epochs}&limit=${BUDGET.limit}`);
      expect(status).toBe('done');
      const accuracy = Number(await text(page, 'train-test-accuracy'));
      expect(accuracy).toBeGreaterThanOrEqual(MIN_ACCURACY);
      const samplesPerS = Number(await text(page, 'train-samples-per-s'));
      expect(samplesPerS).toBeGreaterThan(0);
      const hook = await page.evaluate(() => {
        const g = globalThis as unknown as {
          __convzoo: { train: { firstStepFromNavigation: number; trainEndFromNavigation: number; steps: number } };
          __ticks: Ticks;
        };
        return { train: g.__convzoo.train, ticks: g.__ticks.times };
      });
      expect(hook.train.steps).toBe(Math.ceil(BUDGET.limit / 64) * BUDGET.epochs);
      // The main thread during training (first step to last): ticks per second and the longest gap between two.
      const during = hook.ticks.filter((t) => t >= hook.train.firstStepFromNavigation && t <= hook.train.trainEndFromNavigation);
      const span = (hook.train.trainEndFromNavigation - hook.train.firstStepFromNavigation) / 1000;
      const hz = during.length / span;
      const gap = Math.max(...during.slice(1).map((t, i) => t - during[i]!));
      expect(hz).toBeGreaterThanOrEqual(MIN_TIMER_HZ);

      // The checkpoint as a user gets it: one .tar of the folder `convzoo eval` reads.
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=train-download-checkpoint]').click()]);
      expect(download.suggestedFilename()).toBe('lenet-checkpoint.tar');
      const dir = mkdtempSync(join(tmpdir(), 'convzoo-web-ckpt-'));
      await download.saveAs(join(dir, 'lenet-checkpoint.tar'));
      execFileSync('tar', ['-xf', 'lenet-checkpoint.tar'], { cwd: dir });
      const snap = loadCheckpoint(join(dir, 'lenet-checkpoint'));
      expect(snap.verified).toBe(true);
      expect(snap.state.extra).toMatchObject({ model: 'lenet', dataset: 'mnist', backend, limit: BUDGET.limit, batchSize: 64 });
      const registry = new BackendRegistry();
      registerOnnxBackends(registry);
      const model = await registry.compile(snap.spec, { backend: 'onnx-cpu', weights: snap.weights, strictWeights: true });
      // The trained net answers the digit pad (on the page's backend, the same B): a drawn 1, the page's
      // probabilities equal to Node's onnx-cpu running the downloaded weights on the same 28x28 input.
      await drawOne(page);
      const drawn = await page.evaluate(async () => {
        const h = (globalThis as unknown as { __convzoo: { idle(): Promise<void>; digit?: { input: Float32Array; probabilities: Float32Array } } }).__convzoo;
        await h.idle();
        return h.digit ? { input: [...h.digit.input], probabilities: [...h.digit.probabilities] } : undefined;
      });
      expect(drawn, 'the pad answered the drawing').toBeDefined();
      const [nodeDigit] = await model.predict({ shape: [1, 28, 28, 1], data: Float32Array.from(drawn!.input) });
      const worst = Math.max(...drawn!.probabilities.map((p, i) => Math.abs(p - nodeDigit!.data[i]!)));
      expect(worst, "the pad's probabilities vs the downloaded checkpoint's in Node").toBeLessThanOrEqual(1e-4);
      expect(await text(page, 'digit')).toBe('1');
      const { test } = await loadMnist();
      const node = await evaluate(model, { x: toTensor(test.x), y: oneHot(test.y, 10) }, { loss: 'categoricalCrossentropy', batchSize: 500 });
      model.dispose();
      expect(Math.abs(node.accuracy! * 100 - accuracy), 'Node onnx-cpu vs the page, percentage points').toBeLessThanOrEqual(0.1);
      expect(errors).toEqual([]);
      report.push(
        `${backend}: ${accuracy.toFixed(2)}% (Node onnx-cpu on the download: ${(node.accuracy! * 100).toFixed(2)}%), ${samplesPerS} samples/s, ` +
          `first step ${(hook.train.firstStepFromNavigation / 1000).toFixed(1)} s after navigation, page ${seconds.toFixed(0)} s in all; ` +
          `timer ${hz.toFixed(1)} Hz during training (longest gap ${gap.toFixed(0)} ms)`,
      );
      await context.close();
    }, 1_000_000);
  }

  it('names a bad ?train=, and Stop ends a run early with its test accuracy and downloads', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}?train=alexnet`);
    expect(await text(page, 'train-status')).toBe('error: ?train=alexnet is not one of lenet, resnet_tutorial');
    await page.goto(`${server.url}?train=lenet&backend=tfjs-wasm&limit=55000`);
    await page.waitForFunction(() => Number((globalThis as unknown as { __convzoo: { train: { steps: number } } }).__convzoo.train.steps) >= 3, null, {
      timeout: 300_000,
      polling: 100,
    });
    await page.locator('[data-testid=train-stop]').click();
    await page.waitForFunction(() => /^(done|stopped|error)/.test(document.querySelector('[data-testid=train-status]')?.textContent ?? ''), null, {
      timeout: 300_000,
      polling: 250,
    });
    expect(await text(page, 'train-status')).toBe('stopped');
    const steps = await page.evaluate(() => (globalThis as unknown as { __convzoo: { train: { steps: number } } }).__convzoo.train.steps);
    expect(steps).toBeLessThan(Math.ceil(55_000 / 64));
    expect(Number(await text(page, 'train-test-accuracy'))).toBeGreaterThan(10);
    expect(await page.locator('[data-testid=train-download-onnx]').isVisible()).toBe(true);
    await page.close();
  }, 600_000);
});
