// Hand-run check (not CI) that loadImage gives the pixels a PIL-based pipeline gives: writes photo-like JPEGs, our
// decode and our Resize(256) + CenterCrop(224) of each into DIR; scripts/check-pil-pipeline.py then compares them
// with Pillow's decode and torchvision's recipe done in Pillow.
//   npx tsx --conditions=source scripts/check-pil-pipeline.ts /tmp/pilcheck
//   python3 scripts/check-pil-pipeline.py /tmp/pilcheck      (python with pillow + numpy)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodeImage, loadImage } from '../src/index.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: check-pil-pipeline.ts OUT_DIR');
mkdirSync(dir, { recursive: true });

const sizes: [string, number, number][] = [
  ['landscape', 4000, 3000],
  ['portrait', 480, 641],
  ['small', 300, 250],
];
for (const [name, w, h] of sizes) {
  const px = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) {
        px[(y * w + x) * 3 + c] = (128 + 100 * Math.sin(x / (17 + c * 5)) * Math.cos(y / 23) + ((x * 7 + y * 13 + c) % 29)) & 255;
      }
    }
  }
  const path = join(dir, `${name}.jpg`);
  writeFileSync(
    path,
    await sharp(px, { raw: { width: w, height: h, channels: 3 } })
      .jpeg({ quality: 90 })
      .toBuffer(),
  );
  let t = performance.now();
  writeFileSync(join(dir, `${name}.decoded.u8`), (await decodeImage(path)).data);
  const decodeMs = performance.now() - t;
  t = performance.now();
  const x = await loadImage(path, { size: 224, crop: 'center', resizeShorter: 256 });
  writeFileSync(join(dir, `${name}.224.f32`), x.data);
  console.log(`${name} ${w}x${h}: decode ${decodeMs.toFixed(0)} ms, decode+resize+crop ${(performance.now() - t).toFixed(0)} ms`);
}
