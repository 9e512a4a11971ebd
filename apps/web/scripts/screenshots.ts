// The README's screenshots (docs/web-digit.png, docs/web-photo.png) from the built app in headless Chromium:
//   npm run build -w @convzoo/web && npx tsx apps/web/scripts/screenshots.ts
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../test/chromium.js';
import { serveStatic } from '../test/static-server.js';

const dist = fileURLToPath(new URL('../dist', import.meta.url));
const docs = fileURLToPath(new URL('../../../docs', import.meta.url));
const server = await serveStatic(dist);
const browser = await launchChromium({ webgpu: false });
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 820 } });
  const settled = async () => {
    await page.waitForFunction(() => /^(ready|error)/.test(document.querySelector('[data-testid=status]')?.textContent ?? ''), null, { timeout: 300_000 });
    await page.evaluate(() => (globalThis as unknown as { __convzoo: { idle(): Promise<void> } }).__convzoo.idle());
  };
  await page.goto(`${server.url}?backend=onnx-wasm&image=samples/chelsea.png`);
  await settled();
  const box = (await page.locator('#pad').boundingBox())!;
  const at = (x: number, y: number) => [box.x + x, box.y + y] as const;
  await page.mouse.move(...at(80, 60));
  await page.mouse.down();
  for (const [x, y] of [
    [200, 60],
    [200, 140],
    [90, 140],
    [200, 140],
    [200, 235],
  ] as const)
    await page.mouse.move(...at(x, y), { steps: 8 });
  await page.mouse.up();
  await settled();
  await page.locator('#digit-section').screenshot({ path: `${docs}/web-digit.png` });
  await page.locator('#photo-section').screenshot({ path: `${docs}/web-photo.png` });
  console.log(`digit ${await page.locator('[data-testid=digit]').textContent()}, photo ${await page.locator('[data-testid=top1]').textContent()}`);
} finally {
  await browser.close();
  await server.close();
}
