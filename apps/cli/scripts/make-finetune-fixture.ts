// Writes the small image folder `convzoo finetune`'s test trains on: three classes (cat, coffee, rocket), each made of
// random crops of one CC0 / public-domain test photo (fixtures/photos, LICENSES.md there): a random square-ish window
// of 45-85% of the shorter side, a horizontal flip half the time, saved as JPEG at 96-144 px (mixed sizes on purpose:
// the recipe resizes each image). train/ and test/ use different crops (seeds), so test images are held out.
// Usage (from apps/cli): npx tsx scripts/make-finetune-fixture.ts fixtures/photos fixtures/finetune
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '@convzoo/backend';
import { loadSharp } from '@convzoo/image';

const [photos, out] = process.argv.slice(2);
if (!photos || !out) throw new Error('usage: make-finetune-fixture.ts <photos-dir> <out-dir>');

const CLASSES: Record<string, string> = { cat: 'chelsea.png', coffee: 'coffee.png', rocket: 'rocket.jpg' };
const SPLITS = { train: { count: 8, seed: 1 }, test: { count: 4, seed: 2 } };

const sharp = await loadSharp();
for (const split of Object.keys(SPLITS)) rmSync(join(out, split), { recursive: true, force: true }); // LICENSES.md stays
for (const [split, { count, seed }] of Object.entries(SPLITS)) {
  for (const [index, [name, file]] of Object.entries(CLASSES).entries()) {
    const rng = createRng(seed * 100 + index);
    const src = sharp(join(photos, file));
    const { width, height } = await src.metadata();
    const dir = join(out, split, name);
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < count; i++) {
      const side = Math.round(Math.min(width!, height!) * (0.45 + 0.4 * rng()));
      const w = Math.min(width!, Math.round(side * (0.9 + 0.2 * rng())));
      const left = Math.floor(rng() * (width! - w + 1));
      const top = Math.floor(rng() * (height! - side + 1));
      const size = 96 + Math.floor(rng() * 49);
      let img = sharp(join(photos, file)).extract({ left, top, width: w, height: side });
      if (rng() < 0.5) img = img.flop();
      await img
        .resize(size, size, { fit: 'fill' })
        .jpeg({ quality: 80 })
        .toFile(join(dir, `${name}-${String(i + 1).padStart(2, '0')}.jpg`));
    }
  }
}
console.log(`wrote ${out}`);
