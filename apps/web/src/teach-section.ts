// The Teach section (Teachable-Machine style): 2-10 classes by name, photos into each (files, drop, camera); the
// photo section's ResNet50 (or the user's own .onnx classifier, teach-backbone.ts), frozen, turns each photo into
// features once, as it arrives; a new softmax head trains on
// them in seconds with a live curve; new photos are then classified with bars, and the fine-tuned net downloads as
// the checkpoint `convzoo finetune` writes and as ONNX.
// Test contract: data-testid `teach-class-name` + `teach-add-class` add a class; `teach-files-<i>` (a file input)
// adds photos to class i; `teach-backbone-file` (+ `teach-preprocessing`) replaces ResNet50 by an .onnx file and
// `teach-backbone-resnet` restores it; `teach-train`; `teach-classify-files`; `teach-status` reads `ready to train`,
// `trained` (or `error: ...`); window.__convzoo.teach holds the predictions and timings.
import type { Tensor } from '@convzoo/backend';
import { renderBars } from './bars.js';
import { dropZone } from './drop-zone.js';
import { classCard } from './teach-class-card.js';
import { backendInUse, run } from './page.js';
import { $ } from './status.js';
import { tarFiles } from './tar.js';
import { TrainChart } from './train-chart.js';
import { onnxBackbone, type Preprocessing, RESNET_BACKBONE, type TeachBackbone } from './teach-backbone.js';
import { extractorOn, extractorReady, type Taught, teach, teachCheckpoint, teachOnnx } from './teach-model.js';
import { Camera, photosFromFiles, preparedFor, type TeachPhoto, thumbnail } from './teach-photos.js';
import { resnetWeights } from './models.js';
import { hook, setStatus, type TeachPrediction } from './teach-hook.js';
import './teach.css';

export const MIN_CLASSES = 2;
export const MAX_CLASSES = 10;

interface Photo extends TeachPhoto {
  features?: Float32Array;
}

interface TeachClass {
  name: string;
  photos: Photo[];
  card: HTMLElement;
  count: HTMLElement;
  thumbs: HTMLElement;
}

const classes: TeachClass[] = [];
const chart = new TrainChart($<HTMLCanvasElement>('teach-chart'));
const camera = new Camera($<HTMLVideoElement>('teach-video'));
let taught: Taught | undefined;
let chosen: TeachBackbone = RESNET_BACKBONE;
/** The user's .onnx file, kept to import it again when the preprocessing changes. */
let backboneFile: { name: string; bytes: Uint8Array } | undefined;
/** One photo's features (the backbone's cut: ResNet50's conv5 output), known once the backbone is built. */
let featureShape: number[] = [];

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Why training cannot start yet, or undefined when it can. */
function notReady(): string | undefined {
  if (classes.length < MIN_CLASSES) return `add at least ${MIN_CLASSES} classes`;
  const few = classes.filter((c) => c.photos.length < 2).map((c) => c.name);
  if (few.length) return `add at least 2 photos to ${few.join(', ')}`;
  return undefined;
}

function refresh(): void {
  hook.classes = classes.map((c) => c.name);
  hook.photos = classes.reduce((n, c) => n + c.photos.length, 0);
  for (const c of classes) c.count.textContent = `${c.photos.length} photo${c.photos.length === 1 ? '' : 's'}`;
  const why = notReady();
  $<HTMLButtonElement>('teach-train').disabled = why !== undefined;
  $<HTMLButtonElement>('teach-add-class').disabled = classes.length >= MAX_CLASSES;
  if (!/^(loading|extracting|training|classifying|error)/.test(hook.status))
    setStatus(why ?? 'ready to train', why ? '' : `${hook.photos} photos in ${classes.length} classes`);
}

function forgetTraining(): void {
  taught?.head.dispose();
  taught = undefined;
  $('teach-try').hidden = true;
}

/** The frozen backbone on the page's backend: the photo section's weights (Cache Storage, sha256) with progress. */
async function backbone(backend: string) {
  const b = chosen;
  if (extractorReady(backend, b)) return extractorOn(backend, b);
  const t0 = performance.now();
  if (b !== RESNET_BACKBONE) {
    setStatus('loading the backbone', `building ${b.label} on ${backend}`);
    const model = await extractorOn(backend, b);
    hook.backboneMs = performance.now() - t0;
    hook.backboneFromCache = false;
    $('teach-backbone').textContent =
      `${b.label} backbone (frozen, its own weights, input ${b.recipe.inputShape.join('x')}, '${b.recipe.preprocessing}' preprocessing) ready on ${backend} in ${seconds(hook.backboneMs)}.`;
    return model;
  }
  const progress = $<HTMLProgressElement>('teach-progress');
  setStatus('loading the backbone', resnetWeights.inMemory ? `building ResNet50 on ${backend}` : 'ResNet50 weights…');
  resnetWeights.events = {
    onBytes: (p) => {
      progress.hidden = false;
      progress.value = p.loaded / p.total;
      setStatus(
        'loading the backbone',
        `${p.fromCache ? 'reading the stored' : 'downloading the'} ResNet50 weights: ${(p.loaded / 1e6).toFixed(1)} of ${(p.total / 1e6).toFixed(1)} MB`,
      );
    },
    onFiles: (r) => {
      progress.hidden = true;
      setStatus(
        'loading the backbone',
        `weights ${r.fromCache ? 'read from this browser' : 'downloaded'} and checked (sha256); building ResNet50 on ${backend}`,
      );
    },
  };
  const starts = resnetWeights.starts;
  try {
    const model = await extractorOn(backend, b);
    hook.backboneMs = performance.now() - t0;
    // No weights read: the backend started from the compiled backbone stored in this browser.
    hook.backboneFromCache = resnetWeights.starts === starts && !resnetWeights.inMemory;
    const from = hook.backboneFromCache ? ', from the compiled model stored in this browser' : '';
    $('teach-backbone').textContent = `ResNet50 backbone (frozen, Keras ImageNet weights) ready on ${backend} in ${seconds(hook.backboneMs)}${from}.`;
    return model;
  } finally {
    resnetWeights.events = undefined;
    progress.hidden = true;
  }
}

/** Features of every photo that has none yet, in batches, once per photo. */
async function extractPending(): Promise<void> {
  const pending = classes.flatMap((c) => c.photos.filter((p) => !p.features));
  if (!pending.length) return;
  // Photos added for another backbone are prepared again for this one's input size and preprocessing.
  for (const p of pending) Object.assign(p, await preparedFor(p, chosen.transforms));
  const backend = backendInUse();
  const extractor = await backbone(backend);
  featureShape = extractor.featureShape;
  const t0 = performance.now();
  setStatus('extracting features', `0 of ${pending.length} photos on ${backend}`);
  const features = await extractor.extract(
    pending.map((p) => p.input),
    (done, total) => setStatus('extracting features', `${done} of ${total} photos on ${backend}`),
  );
  const per = features.data.length / pending.length;
  pending.forEach((p, i) => {
    p.features = features.data.slice(i * per, (i + 1) * per);
  });
  hook.featureMs += performance.now() - t0;
  hook.featuresDone = classes.reduce((n, c) => n + c.photos.filter((p) => p.features).length, 0);
  setStatus('idle');
  refresh();
}

/** A user's next good action clears the last error. */
function clearError(): void {
  if (hook.status.startsWith('error')) setStatus('idle');
}

function failed(e: unknown): void {
  setStatus(`error: ${e instanceof Error ? e.message : String(e)}`);
  refresh();
}

/**
 * One step of the flow in the page's queue (one model task at a time); its error is shown once, in the section's
 * status (as the Train section's), not in the page's banner as well.
 */
function task(step: () => Promise<void>): Promise<void> {
  return run(async () => {
    try {
      await step();
    } catch (e) {
      failed(e);
    }
  }).then(() => undefined);
}

function addPhotos(c: TeachClass, photos: Photo[]): void {
  if (!photos.length) return;
  hook.firstPhotoAt ??= performance.now();
  clearError();
  forgetTraining();
  for (const p of photos) {
    c.photos.push(p);
    c.thumbs.append(thumbnail(p));
  }
  refresh();
  void task(extractPending);
}

async function addFiles(c: TeachClass, files: FileList | null | undefined): Promise<void> {
  if (!files?.length) return;
  hook.firstPhotoAt ??= performance.now();
  const { photos, refused } = await photosFromFiles(files, chosen.transforms);
  addPhotos(c, photos);
  if (refused.length) setStatus(`error: ${refused.length} file${refused.length > 1 ? 's' : ''} not added to ${c.name}: ${refused.join('; ')}`);
}

function addClass(raw: string): void {
  const name = raw.trim();
  if (!name) throw new Error('give the class a name');
  if (classes.length >= MAX_CLASSES) throw new Error(`at most ${MAX_CLASSES} classes`);
  if (classes.some((c) => c.name.toLowerCase() === name.toLowerCase())) throw new Error(`there is already a class '${name}'`);
  clearError();
  const { card, count, thumbs, input, capture } = classCard(name, classes.length, camera.open);
  const c: TeachClass = { name, photos: [], card, count, thumbs };
  input.addEventListener('change', () => {
    void addFiles(c, input.files).finally(() => {
      input.value = '';
    });
  });
  capture.addEventListener('click', () => {
    try {
      addPhotos(c, [camera.capture(chosen.transforms)]);
    } catch (e) {
      failed(e);
    }
  });
  dropZone(card, (files) => void addFiles(c, files));
  classes.push(c);
  $('teach-classes').append(card);
  forgetTraining();
  refresh();
}

function features(): { x: Tensor; labels: number[] } {
  const rows = classes.flatMap((c, label) => c.photos.map((p) => ({ f: p.features!, label })));
  const per = rows[0]!.f.length;
  const data = new Float32Array(rows.length * per);
  rows.forEach((r, i) => data.set(r.f, i * per));
  return { x: { shape: [rows.length, ...featureShape], data }, labels: rows.map((r) => r.label) };
}

async function train(): Promise<void> {
  const why = notReady();
  if (why) throw new Error(`cannot train yet: ${why}`);
  await extractPending();
  forgetTraining();
  const backend = backendInUse();
  const epochs = Number($<HTMLInputElement>('teach-epochs').value);
  const batchSize = Number($<HTMLInputElement>('teach-batch').value);
  if (!(Number.isInteger(epochs) && epochs >= 1 && epochs <= 500)) throw new Error(`epochs must be an integer from 1 to 500, got ${epochs}`);
  if (!(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= 256)) throw new Error(`batch size must be an integer from 1 to 256, got ${batchSize}`);
  const { x, labels } = features();
  const names = classes.map((c) => c.name);
  const t0 = performance.now();
  hook.steps = 0;
  delete hook.validationAccuracy;
  setStatus('training', `a new ${names.length}-class head on ${labels.length} photos, ${backend}`);
  taught = await teach({
    backend,
    backbone: chosen,
    features: x,
    labels,
    classNames: names,
    epochs,
    batchSize,
    onStart: (totalSteps) => chart.reset(totalSteps),
    onStep: (step, loss, accuracy) => {
      hook.steps = step;
      chart.step(step, loss, accuracy);
      $('teach-status-text').textContent = `step ${step}: loss ${loss.toFixed(3)}, accuracy ${(accuracy * 100).toFixed(0)}%`;
    },
    onEpoch: (_epoch, step, loss, accuracy) => {
      chart.validation(step, loss, accuracy);
      if (accuracy !== undefined) hook.validationAccuracy = accuracy;
    },
  });
  hook.trainMs = performance.now() - t0;
  const r = taught.result;
  const val =
    hook.validationAccuracy !== undefined ? `, validation ${(hook.validationAccuracy * 100).toFixed(0)}% on ${r.validationCount} held-out photos` : '';
  $('teach-timing').textContent =
    `${backend}: features of ${hook.featuresDone} photos in ${seconds(hook.featureMs)} (backbone built in ${seconds(hook.backboneMs ?? 0)}); ` +
    `head trained in ${seconds(hook.trainMs)} (${r.trainCount} photos x ${epochs} epochs${val})`;
  $('teach-try').hidden = false;
  setStatus('trained', 'drop new photos below to classify them');
}

/** Shows one photo's answer: the photo, its bars, and a line in the list. */
function showAnswer(p: Photo, prediction: TeachPrediction, classNames: readonly string[]): void {
  const li = document.createElement('li');
  li.append(thumbnail(p, 40), `${prediction.label} ${(prediction.probability * 100).toFixed(1)}%`);
  li.title = p.name;
  $('teach-results').prepend(li);
  const view = $<HTMLCanvasElement>('teach-view');
  [view.width, view.height] = [p.view.width, p.view.height];
  view.getContext('2d')!.putImageData(p.view, 0, 0);
  $('teach-top1').textContent = prediction.label;
  $('teach-top1-prob').textContent = (prediction.probability * 100).toFixed(2);
  renderBars(
    $('teach-bars'),
    classNames.map((label, c) => ({ label, p: prediction.probabilities[c]! })),
  );
  $('teach-answer').hidden = false;
}

/** One photo at a time, so each answer shows as soon as it is known. */
async function classifyPhotos(photos: Photo[]): Promise<void> {
  if (!taught) throw new Error('train the head first');
  const t = taught;
  const names = t.result.classNames;
  const extractor = await backbone(backendInUse());
  for (const [i, p] of photos.entries()) {
    setStatus('classifying', `photo ${i + 1} of ${photos.length}`);
    const [probs] = await t.head.predict(await extractor.extract([p.input]));
    const row = Array.from(probs!.data);
    const best = row.indexOf(Math.max(...row));
    const prediction = { name: p.name, label: names[best]!, probability: row[best]!, probabilities: row, input: p.input.data };
    hook.predictions.push(prediction);
    showAnswer(p, prediction, names);
    hook.firstPredictionAt ??= performance.now();
  }
  setStatus('trained', `classified ${hook.predictions.length} photo${hook.predictions.length > 1 ? 's' : ''}`);
}

async function classifyFiles(files: FileList | null | undefined): Promise<void> {
  if (!files?.length) return;
  const { photos, refused } = await photosFromFiles(files, chosen.transforms);
  if (photos.length) await task(() => classifyPhotos(photos));
  if (refused.length) setStatus(`error: not classified: ${refused.join('; ')}`);
}

/** A download made when asked (the fine-tuned ResNet50 is ~94 MB each way, so nothing is built before a click). */
function offer(id: string, make: (t: Taught) => Promise<{ bytes: Uint8Array; file: string }>): void {
  $(id).addEventListener('click', () => {
    const t = taught;
    if (!t) return;
    void task(async () => {
      setStatus('saving', id.endsWith('onnx') ? 'writing ONNX…' : 'writing the checkpoint…');
      const { bytes, file } = await make(t);
      const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>]));
      const a = document.createElement('a');
      a.href = url;
      a.download = file;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setStatus('trained', `${file}: ${(bytes.length / 1e6).toFixed(1)} MB`);
    });
  });
}

/** A new backbone: every photo's features are extracted again with it, and the head must be trained again. */
function useBackbone(b: TeachBackbone): void {
  chosen = b;
  hook.backbone = b.label;
  for (const p of classes.flatMap((c) => c.photos)) delete p.features;
  hook.featuresDone = 0;
  $('teach-backbone-resnet').hidden = b === RESNET_BACKBONE;
  $('teach-backbone').textContent = '';
  forgetTraining();
  refresh();
}

/** `file` with the chosen preprocessing as the backbone; a file that cannot be imported is named and changes nothing. */
function importBackbone(file: { name: string; bytes: Uint8Array }): Promise<void> {
  return task(async () => {
    clearError();
    setStatus('loading the backbone', `importing ${file.name}`);
    const b = onnxBackbone(file.bytes, file.name, $<HTMLSelectElement>('teach-preprocessing').value as Preprocessing);
    backboneFile = file;
    useBackbone(b);
    setStatus('idle');
    refresh();
    await extractPending();
  });
}

async function backboneFrom(files: FileList | null | undefined): Promise<void> {
  const f = files?.[0];
  if (f) await importBackbone({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) });
}

function setupBackboneChoice(): void {
  const input = $<HTMLInputElement>('teach-backbone-file');
  input.addEventListener('change', () => {
    void backboneFrom(input.files).finally(() => {
      input.value = '';
    });
  });
  dropZone($('teach-backbone-row'), (files) => void backboneFrom(files));
  $('teach-preprocessing').addEventListener('change', () => {
    if (backboneFile) void importBackbone(backboneFile);
  });
  $('teach-backbone-resnet').addEventListener('click', () => {
    backboneFile = undefined;
    clearError();
    useBackbone(RESNET_BACKBONE);
    void task(extractPending);
  });
}

function showCapture(): void {
  for (const b of document.querySelectorAll<HTMLElement>('.teach-capture')) b.hidden = !camera.open;
}

export function setupTeach(): void {
  $('teach-add').addEventListener('submit', (e) => {
    e.preventDefault();
    const name = $<HTMLInputElement>('teach-class-name');
    try {
      addClass(name.value);
      name.value = '';
    } catch (err) {
      failed(err);
    }
  });
  $('teach-train-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void task(train);
  });
  const input = $<HTMLInputElement>('teach-classify-files');
  input.addEventListener('change', () => {
    void classifyFiles(input.files).finally(() => {
      input.value = '';
    });
  });
  dropZone($('teach-drop'), (files) => void classifyFiles(files));
  // A user's file name becomes the downloads' names and the tar's folder: only letters, digits, '.', '_' and '-'
  // (no '/' or '..' reaching a tar path).
  const stem = (t: { backbone: { model: string } }) => `${t.backbone.model.replace(/[^\w.-]+/g, '_').replace(/^\.+/, '_')}-teach`;
  offer('teach-download-checkpoint', async (t) => {
    const name = stem(t);
    return { bytes: tarFiles((await teachCheckpoint(t)).map(([p, b]) => [`${name}/${p}`, b] as const)), file: `${name}.tar` };
  });
  offer('teach-download-onnx', async (t) => ({ bytes: await teachOnnx(t), file: `${stem(t)}.onnx` }));
  setupBackboneChoice();
  // The camera only where the browser has one; a refusal (no device, denied) is named and files still work.
  const cam = $<HTMLButtonElement>('teach-camera');
  cam.hidden = !Camera.available();
  cam.addEventListener('click', () => {
    if (camera.open) {
      camera.stop();
      cam.textContent = 'Use the camera';
    } else {
      void camera.start().then(
        () => {
          cam.textContent = 'Close the camera';
          showCapture();
        },
        (e) => failed(e),
      );
    }
    showCapture();
  });
  refresh();
}
