// OnnxTrainingSession from @convzoo/backend-onnx's browser entry, in headless Chromium (the built check page
// onnx-session-check.html, onnx-wasm): created from the bytes of a file PyTorch exported (torchvision's BasicBlock net,
// the import fixtures), three SGD steps, evalStep, getWeights, exportModelForInference, each held to the same calls
// in Node on onnx-cpu. The browser bundle's freedom from Node built-ins is browser-bundles.test.ts's check.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { relativeError } from '@convzoo/backend/conformance';
import { defaultRegistry } from '@convzoo/backend';
import { importOnnx, nchwToNhwc, registerOnnxBackends } from '@convzoo/backend-onnx';
import { describe, expect, it } from 'vitest';
import { type OnnxSessionBatch, type OnnxSessionRun, onnxSessionRun } from '../src/onnx-session-run.js';
import { chromiumMissing } from './chromium.js';
import { failInCiIfSkipped } from './ci-skip.js';
import { servedApp } from './served-app.js';

const dist = fileURLToPath(new URL('../dist', import.meta.url));
const onnxFile = new URL('../../../packages/backend-onnx/fixtures/onnx-import/resnet_blocks.onnx', import.meta.url);
const missing =
  chromiumMissing() ?? (existsSync(`${dist}/onnx-session-check.html`) ? undefined : `no built check page at ${dist}: run npm run build -w @convzoo/web`);
if (missing) console.log(`OnnxTrainingSession browser test skipped: ${missing}`);
failInCiIfSkipped(missing, 'the OnnxTrainingSession browser test');

const STEPS = 3;
/** A seeded batch of 8 NCHW 32x32 RGB images (the file's layout) and labels. */
function batch(): OnnxSessionBatch {
  let s = 12345;
  const next = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  const shape = [8, 3, 32, 32];
  return { shape, x: Array.from({ length: 8 * 3 * 32 * 32 }, next), labels: [3, 1, 4, 1, 5, 9, 2, 6] };
}

/** An exported file's predictions for the batch (its input is NHWC), on Node's onnx-cpu. */
async function predictExported(exported: number[], b: OnnxSessionBatch): Promise<Float32Array> {
  const { spec, weights } = importOnnx(Uint8Array.from(exported));
  const model = await defaultRegistry.compile(spec, { backend: 'onnx-cpu', weights, strictWeights: true });
  try {
    return (await model.predict(nchwToNhwc({ shape: b.shape, data: Float32Array.from(b.x) })))[0]!.data;
  } finally {
    model.dispose();
  }
}

describe.skipIf(missing !== undefined)('OnnxTrainingSession in headless Chromium (browser entry, onnx-wasm)', () => {
  const app = servedApp(dist, { webgpu: false });

  it('trains a PyTorch-exported file from its bytes as Node does, and exports a file that predicts as Node’s export', async () => {
    const bytes = new Uint8Array(readFileSync(onnxFile));
    const b = batch();
    const page = await app.browser.newPage();
    await page.goto(`${app.server.url}onnx-session-check.html`);
    await page.waitForFunction(() => /^(ready|error)/.test(document.getElementById('status')?.textContent ?? ''), null, { timeout: 60_000 });
    expect(await page.locator('[data-testid=status]').textContent()).toBe('ready');
    const run = await page.evaluate(
      ([bytes, b, steps]) =>
        (globalThis as unknown as { __convzoo: { onnxSession(...a: unknown[]): Promise<OnnxSessionRun> } }).__convzoo.onnxSession(bytes, b, steps),
      [[...bytes], b, STEPS] as const,
    );
    await page.close();
    registerOnnxBackends();
    const ref = await onnxSessionRun(bytes, b, STEPS, 'onnx-cpu');
    expect(run.inputLayout).toBe('NCHW');
    // The loss falls over the steps (it trains), and every figure agrees with Node's onnx-cpu. Measured (onnx-wasm in
    // Chromium vs onnx-cpu in Node, relative to the largest value): losses 1.0e-7, weights 1.1e-7, the exported files'
    // predictions 4.5e-8, alike in 3 runs; the bound 1e-5 is ~100x that.
    expect(run.losses.at(-1)!).toBeLessThan(run.losses[0]!);
    const worst = { losses: relativeError(Float32Array.from(run.losses), Float32Array.from(ref.losses)), weights: 0, predictions: 0 };
    worst.losses = Math.max(worst.losses, relativeError(Float32Array.of(run.evalLoss), Float32Array.of(ref.evalLoss)));
    expect(Object.keys(run.weights).sort()).toEqual(Object.keys(ref.weights).sort());
    for (const [k, w] of Object.entries(ref.weights))
      worst.weights = Math.max(worst.weights, relativeError(Float32Array.from(run.weights[k]!), Float32Array.from(w)));
    worst.predictions = relativeError(await predictExported(run.exported, b), await predictExported(ref.exported, b));
    console.log(`browser vs Node: ${JSON.stringify(worst)} (losses ${run.losses.map((l) => l.toFixed(4)).join(' -> ')})`);
    expect(worst.losses).toBeLessThanOrEqual(1e-5);
    expect(worst.weights).toBeLessThanOrEqual(1e-5);
    expect(worst.predictions).toBeLessThanOrEqual(1e-5);
  }, 120_000);
});
