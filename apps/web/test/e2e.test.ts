// The built app (dist/; the test script rebuilds it when a source or a bundled package is newer, build-if-stale.mjs)
// in Debian's headless Chromium, served by a plain static server. Every backend the page offers recognises drawn
// digits with the same probabilities as Node's onnx-cpu on the same input tensor (1e-4), and classifies a photo with
// Keras' top-1 and Node's probabilities too (tfjs-webgl and tfjs-webgpu in the opt-in browser run only); without the WebGPU flag the WebGPU backends are disabled with the probe's reason; a reload starts from
// the compiled model in Cache Storage, reading no weights.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium } from './chromium.js';
import { failInCiIfSkipped } from './ci-skip.js';
import { relativeError } from '@convzoo/backend/conformance';
import { nodeReference, nodeTrainingReference, type Reference } from './node-reference.js';
import { serveStatic, type StaticServer } from './static-server.js';

const dist = fileURLToPath(new URL('../dist', import.meta.url));
const publicDir = fileURLToPath(new URL('../public', import.meta.url));
const missing = chromiumMissing() ?? (existsSync(`${dist}/index.html`) ? undefined : `no built app at ${dist}: run npm run build -w @convzoo/web`);
if (missing) console.log(`e2e tests skipped: ${missing}`);
failInCiIfSkipped(missing, 'the web e2e tests');

const ALL = ['tfjs-cpu', 'tfjs-wasm', 'tfjs-webgl', 'tfjs-webgpu', 'onnx-wasm', 'onnx-web-webgpu'];
/**
 * ResNet50 costs 2-2.5 min per cold image on the software GPUs (SwiftShader WebGPU) and tfjs-cpu here: those
 * classify one photo; the others classify both. Every backend runs the 1e-4 comparison with Node.
 */
const SLOW = new Set(['tfjs-cpu', 'tfjs-webgpu', 'onnx-web-webgpu']);
/**
 * The page predicts on every pointer move: the drawn 0 is ~200 LeNet predictions, 35 s on SwiftShader's WebGPU. The
 * WebGPU backends draw the 1 and the 7 (the same path: strokes, pad, LeNet on the GPU); the others draw all three.
 */
const FEW_DIGITS = new Set(['tfjs-webgpu', 'onnx-web-webgpu']);
/** CONVZOO_FULL_RUN=browser (or 1): the heavy browser checks too. */
const FULL_RUN = process.env.CONVZOO_FULL_RUN === '1' || process.env.CONVZOO_FULL_RUN === 'browser';
/**
 * tfjs-webgl and tfjs-webgpu classify the photo in the opt-in browser run only (`npm run test:heavy`): their ResNet50
 * on SwiftShader took 11 + 7 s (WebGL, both photos) and 43 s (WebGPU, cold) of a clean-clone CI's web tests, which
 * are the longest lane of `npm test`. In `npm test` they draw the digits (LeNet on the same backend, held to Node
 * within 1e-4); the photo runs there on the WebGPU EP of ONNX Runtime (onnx-web-webgpu) and on tfjs-cpu and tfjs-wasm.
 */
const PHOTO_OPT_IN = new Set(FULL_RUN ? [] : ['tfjs-webgl', 'tfjs-webgpu']);
const KERAS_TOP1: Record<string, string> = { 'chelsea.png': 'Egyptian_cat', 'coffee.png': 'espresso' };
/** Keras' own ResNet50 input for the sample photos (sha256 of the float32 bytes), as the CLI's transforms test uses it. */
const KERAS_INPUTS = JSON.parse(readFileSync(new URL('../../cli/fixtures/photos/keras-inputs.json', import.meta.url), 'utf8')) as {
  photos: Record<string, { sha256: string }>;
};
const sha256 = (a: Float32Array) =>
  createHash('sha256')
    .update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
    .digest('hex');
/** Strokes on the 280x280 pad, in pad pixels. */
const DIGITS: Record<string, [number, number][][]> = {
  '1': [
    [
      [140, 40],
      [140, 240],
    ],
  ],
  '0': [Array.from({ length: 33 }, (_, i) => [140 + 60 * Math.sin((i / 32) * 2 * Math.PI), 140 - 95 * Math.cos((i / 32) * 2 * Math.PI)] as [number, number])],
  '7': [
    [
      [70, 50],
      [210, 50],
      [120, 240],
    ],
  ],
};

const text = (page: Page, id: string) => page.locator(`[data-testid=${id}]`).textContent();

async function settled(page: Page, timeout = 300_000): Promise<string> {
  await page.waitForFunction(
    () => {
      const s = document.querySelector('[data-testid=status]')?.textContent ?? '';
      return s === 'ready' || s.startsWith('error');
    },
    null,
    { timeout, polling: 250 },
  );
  await page.evaluate(() => (globalThis as unknown as { __convzoo: { idle(): Promise<void> } }).__convzoo.idle());
  return (await text(page, 'status')) ?? '';
}

async function hookData(page: Page, which: 'photo' | 'digit'): Promise<{ input: Float32Array; probabilities: Float32Array }> {
  const raw = await page.evaluate((w) => {
    const h = (globalThis as unknown as { __convzoo: Record<string, { input: Float32Array; probabilities: Float32Array }> }).__convzoo[w]!;
    return { input: [...h.input], probabilities: [...h.probabilities] };
  }, which);
  return { input: Float32Array.from(raw.input), probabilities: Float32Array.from(raw.probabilities) };
}

type TrainCheckRun = { losses: number[]; stateLocation?: string; predictions: number[]; weights: Record<string, { shape: number[]; data: number[] }> };

/** Opens train-check.html with `query`, waits for it to finish; its status line, and its run when it succeeded. */
async function trainCheck(page: Page, url: string, timeout = 300_000): Promise<{ status: string; run?: TrainCheckRun }> {
  await page.goto(url);
  await page.waitForFunction(() => /^(ready|error)/.test(document.querySelector('[data-testid=status]')?.textContent ?? ''), null, {
    timeout,
    polling: 250,
  });
  const status = (await text(page, 'status')) ?? '';
  if (status !== 'ready') return { status };
  return { status, run: await page.evaluate(() => (globalThis as unknown as { __convzoo: { trainCheck: TrainCheckRun } }).__convzoo.trainCheck) };
}

/** One Adam step of the self-check problem on onnx-web-webgpu: the loss and every weight within 1e-4 of Node's onnx-cpu. */
async function expectOneStepLikeNode(page: Page, base: string, model: string, input?: string, timeout?: number): Promise<void> {
  const ref = await nodeTrainingReference(1, model, input);
  const { status, run } = await trainCheck(
    page,
    `${base}train-check.html?backend=onnx-web-webgpu&steps=1&model=${model}${input ? `&input=${input}` : ''}`,
    timeout,
  );
  expect(status, model).toBe('ready');
  expect(relativeError(Float32Array.from(run!.losses), Float32Array.from(ref.losses)), `${model} loss`).toBeLessThanOrEqual(1e-4);
  for (const [k, t] of Object.entries(ref.weights))
    expect(relativeError(Float32Array.from(run!.weights[k]!.data), t.data), `${model} ${k}`).toBeLessThanOrEqual(1e-4);
}

function expectClose(got: Float32Array, want: Float32Array, what: string): void {
  const argmax = (v: Float32Array) => v.indexOf(Math.max(...v));
  expect(argmax(got), `${what}: top-1`).toBe(argmax(want));
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
  expect(worst, `${what}: max |p_browser - p_node|`).toBeLessThanOrEqual(1e-4);
}

async function draw(page: Page, strokes: [number, number][][]): Promise<void> {
  // As a user would: the pad in view first (a sample click may have scrolled the page to the photo).
  await page.locator('#pad').scrollIntoViewIfNeeded();
  const box = (await page.locator('#pad').boundingBox())!;
  const at = (p: [number, number]) => [box.x + (p[0] * box.width) / 280, box.y + (p[1] * box.height) / 280] as const;
  for (const stroke of strokes) {
    await page.mouse.move(...at(stroke[0]!));
    await page.mouse.down();
    for (const p of stroke.slice(1)) await page.mouse.move(...at(p), { steps: 6 });
    await page.mouse.up();
  }
}

const report: string[] = [];

/** The photo stages that finished, in the order they finished; each went active (or skipped) first. */
async function stagesDone(page: Page): Promise<string[]> {
  const log = await page.evaluate(() => (globalThis as unknown as { __convzoo: { stageLog: { stage: string; state: string }[] } }).__convzoo.stageLog);
  const done = log.filter((e) => e.state === 'done').map((e) => e.stage);
  for (const stage of done)
    expect(
      log.findIndex((e) => e.stage === stage && e.state === 'active'),
      `${stage} went active`,
    ).toBeLessThan(log.findIndex((e) => e.stage === stage && e.state === 'done'));
  return done;
}

describe.skipIf(missing !== undefined)('apps/web in headless Chromium', () => {
  let server: StaticServer;
  let ref: Reference;

  beforeAll(async () => {
    server = await serveStatic(dist);
    ref = await nodeReference(publicDir);
  }, 120_000);
  afterAll(async () => {
    ref?.dispose();
    await server?.close();
    if (report.length) console.log(`browser timings (ms):\n${report.join('\n')}`);
  });

  describe('without WebGPU', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium({ webgpu: false });
    });
    afterAll(() => browser?.close());

    it('disables the WebGPU backends with the probe reason; auto says which it picked', async () => {
      const page = await browser.newPage();
      const failed: string[] = [];
      page.on('response', (r) => {
        if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
      });
      await page.goto(server.url);
      expect(await settled(page)).toBe('ready');
      // No 404 (the favicon included), no empty placeholders, and the size of the first photo said before it costs it.
      expect(failed).toEqual([]);
      expect(await page.locator('[data-testid=photo-result]').isHidden()).toBe(true);
      expect(await text(page, 'weights-note')).toMatch(/downloads the ResNet50 weights: 102\.7 MB/);
      expect(await page.locator('[data-testid=digit-pad]').isVisible()).toBe(true);
      // A phone's width: nothing sticks out sideways.
      await page.setViewportSize({ width: 390, height: 844 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      for (const name of ['tfjs-webgpu', 'onnx-web-webgpu']) {
        expect(await page.locator(`[data-testid=backend-option-${name}]`).isDisabled()).toBe(true);
        expect(await text(page, `reason-${name}`)).toMatch(/adapter|navigator\.gpu/);
      }
      for (const name of ['tfjs-cpu', 'tfjs-wasm', 'onnx-wasm']) expect(await page.locator(`[data-testid=backend-option-${name}]`).isDisabled()).toBe(false);
      expect(await text(page, 'backend')).toMatch(/^(tfjs|onnx)-[a-z-]+ \(auto\)$/);
      await page.close();
    });

    it('downloads the weights once: a reload starts from the compiled model stored in Cache Storage', async () => {
      const page = await browser.newPage();
      const weightRequests = () => server.requests.filter((r) => r.includes('/weights/resnet50/')).length;
      const before = weightRequests();
      await page.goto(`${server.url}?backend=onnx-wasm&image=samples/chelsea.png`);
      expect(await settled(page)).toBe('ready');
      expect(await text(page, 'top1')).toBe('Egyptian_cat');
      // The browser's decode + the weights entry's transforms feed the model Keras' own input, bit for bit.
      expect(sha256((await hookData(page, 'photo')).input)).toBe(KERAS_INPUTS.photos['chelsea.png']!.sha256);
      const downloaded = weightRequests() - before;
      expect(downloaded).toBe(28);
      expect(await page.evaluate(() => (globalThis as unknown as { __convzoo: { photoLoad: object } }).__convzoo.photoLoad)).toMatchObject({
        modelFromCache: false,
      });
      // Staged progress: each stage went active then done, in order, with its time; the real wait is shown.
      expect(await stagesDone(page)).toEqual(['download', 'verify', 'build', 'run']);
      expect(await text(page, 'stage-download')).toMatch(/downloaded 102\.7 MB[\d.]+ m?s$/);
      expect(await text(page, 'photo-timing')).toMatch(/first answer in [\d.]+ s, compile \d+ ms, cold run/);
      expect(await text(page, 'top1-name')).toBe('Egyptian cat');
      expect(await page.locator('#photo-bars').textContent()).not.toContain('_');
      // A new photo: the old answer goes at once and a spinner holds its place.
      // Read in the click's own task: a warm run can finish before a second round trip from here.
      const atClick = await page.evaluate(() => {
        document.querySelector<HTMLElement>('#samples img[alt="coffee.png"]')!.click();
        const shown = (id: string) => !document.querySelector<HTMLElement>(`[data-testid=${id}]`)!.hidden;
        return { top1: document.querySelector('[data-testid=top1]')!.textContent, result: shown('photo-result'), spinner: shown('photo-spinner') };
      });
      expect(atClick).toEqual({ top1: '', result: false, spinner: true });
      expect(await settled(page)).toBe('ready');
      expect(await text(page, 'top1')).toBe('espresso');
      await page.reload();
      expect(await settled(page)).toBe('ready');
      expect(await text(page, 'top1')).toBe('Egyptian_cat');
      expect(weightRequests() - before).toBe(downloaded);
      // The second load starts from the compiled model the first one stored: no weights read, checked or assembled.
      expect(await stagesDone(page)).toEqual(['build', 'run']);
      expect(await page.locator('[data-testid=stage-download]').getAttribute('data-state')).toBe('skipped');
      expect(await page.locator('[data-testid=stage-verify]').getAttribute('data-state')).toBe('skipped');
      expect(await text(page, 'stage-download')).toMatch(/not needed: the compiled model is stored in this browser/);
      expect(await text(page, 'stage-build')).toMatch(/started from the model stored in this browser/);
      expect(await text(page, 'weights-note')).toMatch(/compiled for ONNX is stored too/);
      const load = await page.evaluate(
        () => (globalThis as unknown as { __convzoo: { photoLoad: Record<string, unknown>; timings: { photo: object } } }).__convzoo,
      );
      expect(load.photoLoad).toMatchObject({ modelFromCache: true });
      expect(load.photoLoad.fetchMs).toBeUndefined();
      report.push(`onnx-wasm ResNet50 after a reload: ${JSON.stringify(load.photoLoad)} ${JSON.stringify(load.timings.photo)}`);
      // Clearing the cache: weights and compiled model both go; the next photo downloads again, and the page says so.
      await page.locator('[data-testid=clear-weights]').click();
      expect(await settled(page)).toBe('ready');
      expect(await text(page, 'weights-note')).toMatch(/downloads the ResNet50 weights: 102\.7 MB/);
      expect(await page.evaluate(async () => [await caches.has('convzoo-weights-v1'), await caches.has('convzoo-onnx-models-v1')])).toEqual([false, false]);
      await page.close();
    });

    it('a file that is not an image gives a readable error and leaves the page usable', async () => {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${server.url}?backend=onnx-wasm&image=samples/LICENSES.md`);
      expect(await settled(page)).toMatch(/^error: LICENSES\.md is not an image/);
      await page.locator('#samples img[alt="coffee.png"]').click();
      expect(await settled(page)).toBe('ready');
      expect(await text(page, 'top1')).toBe('espresso');
      const header = async () => (await page.locator('header').boundingBox())!.height;
      const readyHeader = await header();
      await page.goto(`${server.url}?backend=no-such-backend`);
      expect(await settled(page)).toMatch(/^error: \?backend=no-such-backend is not one of auto, tfjs-cpu/);
      // The error is shown once, in full, and the header keeps its size.
      expect(await header()).toBe(readyHeader);
      // biome-ignore lint/performance/useDomNodeTextContent: what is on screen counts (the pill's hidden copy does not)
      expect(await page.evaluate(() => document.body.innerText.split('?backend=no-such-backend is not one of').length - 1)).toBe(1);
      // Still usable: drawing asks for a backend (no registry listing), choosing one answers the drawing.
      await draw(page, DIGITS['1']!);
      expect(await settled(page)).toMatch(/^error: no backend in use: choose one/);
      await page.locator('[data-testid=backend-picker]').selectOption('onnx-wasm');
      expect(await settled(page)).toBe('ready');
      expect(await text(page, 'backend')).toBe('onnx-wasm');
      expect(await text(page, 'digit')).toBe('1');
      expect(await page.locator('#error').isHidden()).toBe(true);
      // A backend this browser cannot run, on a host without COOP/COEP: the threads warning names the headers, and
      // `auto` (already the picker's first real option) is a choice that fires.
      const plain = await serveStatic(dist, { isolation: false });
      const warnings: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'warning' && m.text().includes('cross-origin isolated')) warnings.push(m.text());
      });
      await page.goto(`${plain.url}?backend=tfjs-webgpu`);
      expect(await settled(page)).toMatch(/^error: \?backend=tfjs-webgpu is unavailable here/);
      expect(await text(page, 'isolation-note')).toMatch(/Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp/);
      await page.locator('[data-testid=backend-picker]').selectOption('auto');
      expect(await settled(page)).toBe('ready');
      expect(await text(page, 'backend')).toMatch(/ \(auto\)$/);
      expect(warnings).toHaveLength(1);
      await plain.close();
      expect(errors).toEqual([]);
      await page.close();
    });
  });

  describe('with WebGPU (SwiftShader): every backend the page offers', () => {
    let browser: Browser;
    let offered: string[] = [];
    beforeAll(async () => {
      browser = await launchChromium({ webgpu: true });
      const page = await browser.newPage();
      await page.goto(server.url);
      await settled(page);
      offered = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLOptionElement>('#backend-picker option')].filter((o) => !o.disabled && o.value !== 'auto').map((o) => o.value),
      );
      await page.close();
    }, 120_000);
    afterAll(() => browser?.close());

    it('offers all six backends here', () => {
      expect(offered).toEqual(ALL);
    });

    // LeNet's training steps on onnx-wasm, tfjs-wasm and onnx-web-webgpu are held to Node's onnx-cpu in the Train
    // section (train-page.test.ts: each step's loss on MNIST batches, where the parameters stayed, the trained net);
    // train-check.html is held here on the graphs LeNet lacks.
    describe('training in the browser (train-check.html)', () => {
      it("onnx-web-webgpu: one Adam step of overlapping 3x3/2 max pools equals Node onnx-cpu's; bad page parameters are named", async () => {
        const page = await browser.newPage();
        await expectOneStepLikeNode(page, server.url, 'overlapping-pools');
        // Bad page parameters are named, not guessed.
        expect((await trainCheck(page, `${server.url}train-check.html?backend=onnx-wasm&model=alexnet&input=67x67`)).status).toBe(
          "error: input '67x67' must be HxWxC, e.g. 67x67x3",
        );
        expect((await trainCheck(page, `${server.url}train-check.html?backend=onnx-wasm&steps=0`)).status).toBe(
          'error: ?steps=0 must be an integer from 1 to 100',
        );
        await page.close();
      }, 400_000);

      // resnet20's step (padded and strided convs, BatchNorm): 34 s on 2 idle cores (the pools' 5 s), and with them 66 s
      // of the web lane in clean-clone CI: opt-in, as the AlexNet's. Node's onnx-webgpu trains BatchNorm and strided convs in every `npm test` (backend-onnx's
      // training-webgpu.test.ts), and webgpu-graphs.test.ts checks every training graph for what onnxruntime-web
      // computes wrongly without a word (more than 8 bindings a node, boolean tensors).
      if (FULL_RUN) {
        it("onnx-web-webgpu: one Adam step of resnet20 (padded and strided convs, BatchNorm) equals Node onnx-cpu's", async () => {
          const page = await browser.newPage();
          await expectOneStepLikeNode(page, server.url, 'resnet20');
          await page.close();
        }, 400_000);
        it('onnx-web-webgpu: one Adam step of the tutorial AlexNet at 67x67 equals Node onnx-cpu (opt-in: about 3 min on SwiftShader)', async () => {
          const page = await browser.newPage();
          await expectOneStepLikeNode(page, server.url, 'alexnet', '67x67x3', 800_000);
          await page.close();
        }, 900_000);
      } else {
        it.skip('[opt-in: CONVZOO_FULL_RUN] set CONVZOO_FULL_RUN=browser to train resnet20 (about 35 s on SwiftShader) and the tutorial AlexNet at 67x67 (about 3 min) one step on onnx-web-webgpu', () => {});
      }
    });

    for (const name of PHOTO_OPT_IN)
      it.skip(`[opt-in: CONVZOO_FULL_RUN] set CONVZOO_FULL_RUN=browser for ${name}'s ResNet50 photo: Keras' top-1, probabilities equal to Node onnx-cpu within 1e-4`, () => {});

    for (const name of ALL) {
      const photos = !PHOTO_OPT_IN.has(name);
      const what = photos ? "drawn digits and Keras' top-1, probabilities" : 'drawn digits, probabilities';
      it(`${name}: ${what} equal to Node onnx-cpu within 1e-4`, async () => {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`${server.url}?backend=${name}${photos ? '&image=samples/chelsea.png' : ''}`);
        expect(await settled(page, 400_000)).toBe('ready');
        expect(await text(page, 'backend')).toBe(name);
        if (photos) {
          expect(await text(page, 'top1')).toBe(KERAS_TOP1['chelsea.png']);
          expect(Number(await text(page, 'top1-prob'))).toBeCloseTo(78.43, 1);
          let photo = await hookData(page, 'photo');
          expectClose(photo.probabilities, await ref.resnet(photo.input), `${name} chelsea.png`);
          if (!SLOW.has(name)) {
            await page.locator('#samples img[alt="coffee.png"]').click();
            expect(await settled(page)).toBe('ready');
            expect(await text(page, 'top1')).toBe(KERAS_TOP1['coffee.png']);
            photo = await hookData(page, 'photo');
            expectClose(photo.probabilities, await ref.resnet(photo.input), `${name} coffee.png`);
          }
        }
        for (const [digit, strokes] of Object.entries(DIGITS).filter(([d]) => !FEW_DIGITS.has(name) || d !== '0')) {
          await page.locator('#clear').click();
          await draw(page, strokes);
          expect(await settled(page)).toBe('ready');
          expect(await text(page, 'digit'), `${name}: drew a ${digit}`).toBe(digit);
          const d = await hookData(page, 'digit');
          expectClose(d.probabilities, await ref.lenet(d.input), `${name} digit ${digit}`);
        }
        type T = { cold?: number; warm: number[] };
        const t = await page.evaluate(() => (globalThis as unknown as { __convzoo: { timings: { digit: T; photo: T } } }).__convzoo.timings);
        const med = (v: number[]) => (v.length ? [...v].sort((a, b) => a - b)[v.length >> 1]!.toFixed(1) : '-');
        report.push(
          `${name}: LeNet cold ${t.digit.cold?.toFixed(1)} warm ${med(t.digit.warm)} (n=${t.digit.warm.length}); ResNet50 cold ${t.photo.cold?.toFixed(0) ?? 'not run'} warm ${med(t.photo.warm)}`,
        );
        expect(errors).toEqual([]);
        await page.close();
      }, 600_000);
    }
  });
});
