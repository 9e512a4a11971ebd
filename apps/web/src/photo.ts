// Classify a photo: ResNet50 on the backend in use. The first answer loads 102.7 MB of weights and builds the model;
// the page says so before it starts, shows each stage with its time, and clears the old answer at once.
import { renderBars } from './bars.js';
import { dropZone } from './drop-zone.js';
import { readableLabel } from './labels.js';
import { BACKBONE_CACHE, CACHES_COMPILED, lenetSlot, MODEL_CACHE, RESNET, RESNET_BASE, resnetSlot, resnetWeights } from './models.js';
import { decodePhoto, preparePhoto } from './images.js';
import { backendInUse, hook, recordTiming, run } from './page.js';
import { seconds, StageList } from './stages.js';
import { $ } from './status.js';
import { cachedFiles, clearCachedWeights } from './weights-cache.js';

const MB = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const TOTAL = RESNET.source.bytes ?? 0;
const stages = new StageList($<HTMLOListElement>('photo-stages'));
const progress = $<HTMLProgressElement>('weights-progress');
hook.stageLog = stages.log;

/** Whether an exported ResNet50 is stored here (the ONNX backends start from it; its key is theirs to check). */
async function modelCached(): Promise<boolean> {
  if (typeof caches === 'undefined' || !(await caches.has(MODEL_CACHE).catch(() => false))) return false;
  return (await (await caches.open(MODEL_CACHE)).keys()).length > 0;
}

/** Says what the first photo will cost here, before anything is downloaded. */
export async function describeWeights(): Promise<void> {
  const note = $('weights-note');
  const clear = $<HTMLButtonElement>('clear-weights');
  const [{ cached, files }, model] = await Promise.all([cachedFiles(RESNET, RESNET_BASE()), modelCached()]);
  note.dataset.cached = String(cached === files);
  note.dataset.model = String(model);
  clear.hidden = cached === 0 && !model;
  const compiled = model ? ' The ResNet50 compiled for ONNX is stored too: onnx-wasm and onnx-web-webgpu start from it without reading the weights.' : '';
  if (resnetWeights.inMemory) note.textContent = `ResNet50 weights (${MB(TOTAL)}) are loaded.${compiled}`;
  else if (cached === files) note.textContent = `ResNet50 weights (${MB(TOTAL)}) are stored in this browser: no download needed.${compiled}`;
  else if (cached === 0) note.textContent = `The first photo downloads the ResNet50 weights: ${MB(TOTAL)}, once; this browser then keeps them.${compiled}`;
  else note.textContent = `${cached} of ${files} ResNet50 weight files are stored here; the first photo downloads the rest (${MB(TOTAL)} in all).${compiled}`;
}

/** The old answer goes at once; a spinner holds its place until the new one. */
export function clearAnswer(waiting: string | undefined): void {
  $('photo-result').hidden = true;
  $('top1').textContent = '';
  $('top1-name').textContent = '';
  $('top1-prob').textContent = '';
  $('photo-bars').replaceChildren();
  $('photo-spinner').hidden = waiting === undefined;
  $('photo-placeholder').hidden = waiting !== undefined;
  $('photo-waiting').textContent = waiting ?? '';
}

function waiting(text: string): void {
  $('photo-waiting').textContent = text;
}

/**
 * Builds the model on `backend`, stage by stage. The weights are loaded only if the backend asks for them: the ONNX
 * backends of onnxruntime-web start from the compiled model this browser keeps (the download and verify stages
 * are then skipped, saying why), the others (and a first visit) read, check and assemble them.
 */
async function coldStart(backend: string): Promise<number> {
  const inMemory = resnetWeights.inMemory;
  stages.reset({
    download: inMemory ? 'Weights' : `Get ResNet50 weights (${MB(TOTAL)})`,
    verify: 'Verify sha256',
    build: `Build the model on ${backend}`,
    run: 'First run',
  });
  // Expected from what this browser holds; corrected below if the backend asks for the weights after all.
  const fromModelCache = !inMemory && CACHES_COMPILED.has(backend) && (await modelCached());
  if (inMemory) {
    stages.set('download', 'skipped', 'already in memory');
    stages.set('verify', 'skipped', 'checked when loaded');
  } else if (fromModelCache) {
    stages.set('download', 'skipped', 'not needed: the compiled model is stored in this browser');
    stages.set('verify', 'skipped', 'checked before the model was stored');
  }
  const startsBefore = resnetWeights.starts;
  let assembleMs = 0;
  let t0 = performance.now();
  // startedAt: ms from navigation (the page's own start-up before this photo's work).
  hook.photoLoad = { startedAt: t0 };
  resnetWeights.events = {
    onBytes: (p) => {
      const verb = p.fromCache ? 'read from this browser’s cache' : 'downloading';
      progress.hidden = p.fromCache;
      progress.value = p.loaded / p.total;
      stages.set('build', 'pending', '');
      stages.set('download', 'active', `${verb}: ${MB(p.loaded)} / ${MB(p.total)}`);
      waiting(`${verb} the weights…`);
    },
    onVerified: (done, files, ms) => {
      stages.set('verify', 'active', `${done} / ${files} files`, ms);
    },
    onFiles: (r) => {
      progress.hidden = true;
      stages.set('download', 'done', r.fromCache ? `read ${MB(TOTAL)} from this browser’s cache` : `downloaded ${MB(TOTAL)}`, r.fetchMs);
      stages.set('verify', 'done', `${r.files} files match the pinned sha256`, r.verifyMs);
      stages.set('build', 'active', 'assembling the weights');
      waiting(`building the model on ${backend}…`);
    },
    onAssembled: (r) => {
      assembleMs = r.assembleMs;
      hook.photoLoad = { ...hook.photoLoad, fromCache: r.fromCache, fetchMs: r.fetchMs, verifyMs: r.verifyMs, assembleMs };
      t0 = performance.now();
      stages.set('build', 'active', `compiling on ${backend}`);
      waiting(`building the model on ${backend}…`);
    },
  };
  if (fromModelCache) stages.set('build', 'active', 'loading the cached model');
  else if (!inMemory) stages.set('download', 'active', 'checking this browser’s cache');
  else stages.set('build', 'active', `compiling on ${backend}`);
  waiting(fromModelCache ? `loading the cached model on ${backend}…` : inMemory ? `building the model on ${backend}…` : 'getting the weights…');
  // The engine's own start-up (onnx-wasm: fetching and compiling ORT's 28 MB wasm, 1.3-2.6 s here) overlaps the
  // weights' load or the cached model's read when the small LeNet compiles meanwhile; the queue keeps digit
  // predictions out until this is done.
  const engineStarts = !lenetSlot.isOpen(backend);
  const engine = lenetSlot.open(backend).catch(() => undefined);
  try {
    await resnetSlot.open(backend);
  } finally {
    resnetWeights.events = undefined;
  }
  await engine;
  const compileMs = performance.now() - t0;
  const cachedModel = resnetWeights.starts === startsBefore && !inMemory;
  hook.photoLoad = {
    ...hook.photoLoad,
    compileMs,
    ...(engineStarts ? { engineMs: lenetSlot.compileMs } : {}),
    modelFromCache: cachedModel && CACHES_COMPILED.has(backend),
  };
  if (!inMemory) void describeWeights();
  if (cachedModel && CACHES_COMPILED.has(backend)) {
    stages.set('build', 'done', `started from the model stored in this browser in ${seconds(compileMs)}`, compileMs);
  } else {
    stages.set('build', 'done', assembleMs ? `weights assembled in ${seconds(assembleMs)}, compiled in ${seconds(compileMs)}` : '', assembleMs + compileMs);
  }
  return compileMs;
}

async function classifyBlob(blob: Blob, name: string, askedAt: number): Promise<void> {
  const backend = backendInUse();
  const img = await decodePhoto(blob, name);
  const prepared = preparePhoto(img, RESNET.transforms);
  const view = $<HTMLCanvasElement>('photo-view').getContext('2d')!;
  const rgba = new ImageData(224, 224);
  for (let i = 0; i < 224 * 224; i++) rgba.data.set([prepared.rgb.data[i * 3]!, prepared.rgb.data[i * 3 + 1]!, prepared.rgb.data[i * 3 + 2]!, 255], i * 4);
  view.putImageData(rgba, 0, 0);
  const cold = !resnetSlot.isOpen(backend);
  // The compile without the weights' load (that has its own stages), the engine's start-up included.
  const compileMs = cold ? await coldStart(backend) : 0;
  if (cold) stages.set('run', 'active');
  waiting(`running ResNet50 on ${backend}…`);
  const t = await resnetSlot.predict(backend, prepared.input);
  if (cold) stages.set('run', 'done', '', t.ms);
  hook.photo = { input: prepared.input.data, probabilities: t.output };
  if (t.cold) hook.timings.photo.firstAnswer = performance.now() - askedAt;
  recordTiming('photo', cold ? { ...t, compileMs } : t);
  const top = RESNET.decode(t.output, 5);
  $('top1').textContent = top[0]!.label;
  $('top1-name').textContent = readableLabel(top[0]!.label, top[0]!.index);
  $('top1-prob').textContent = (top[0]!.probability * 100).toFixed(2);
  renderBars(
    $('photo-bars'),
    top.map((p) => ({ label: readableLabel(p.label, p.index), p: p.probability })),
  );
  $('photo-spinner').hidden = true;
  $('photo-placeholder').hidden = true;
  $('photo-result').hidden = false;
}

function failed(): void {
  const stage = stages.active();
  if (stage) stages.set(stage, 'failed');
  progress.hidden = true;
  clearAnswer(undefined);
}

/** Queues one photo; the old answer is cleared now, not when the queue reaches it. */
export function classify(get: () => Promise<{ blob: Blob; name: string }>, askedAt = performance.now()): Promise<void> {
  clearAnswer('waiting for the page…');
  return run(async () => {
    const { blob, name } = await get();
    await classifyBlob(blob, name, askedAt);
  }, failed).then(() => undefined);
}

export async function fetchPhoto(url: string): Promise<{ blob: Blob; name: string }> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new Error(`could not load ${url}: ${(e as Error).message}`);
  }
  if (!res.ok) throw new Error(`could not load ${url}: HTTP ${res.status}`);
  return { blob: await res.blob(), name: url.split('/').pop() ?? url };
}

/** The drop zone, file input, samples and the clear-cache button. */
export function setupPhoto(): void {
  const file = $<HTMLInputElement>('file');
  file.addEventListener('change', () => {
    const f = file.files?.[0];
    if (f) void classify(async () => ({ blob: f, name: f.name }));
  });
  dropZone($('drop'), (files) => {
    const f = files[0]!;
    void classify(async () => ({ blob: f, name: f.name }));
  });
  for (const name of ['chelsea.png', 'coffee.png', 'rocket.jpg']) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'sample';
    const img = document.createElement('img');
    img.src = `samples/${name}`;
    img.alt = img.title = name;
    button.append(img);
    button.addEventListener('click', () => void classify(() => fetchPhoto(`samples/${name}`)));
    $('samples').append(button);
  }
  $('clear-weights').addEventListener('click', () => {
    void run(async () => {
      resnetSlot.forget();
      resnetWeights.forget();
      await Promise.all([clearCachedWeights(), ...(typeof caches === 'undefined' ? [] : [MODEL_CACHE, BACKBONE_CACHE].map((c) => caches.delete(c)))]);
      stages.reset({ download: '', verify: '', build: '', run: '' });
      $('photo-stages').hidden = true;
      await describeWeights();
    });
  });
}

/** A new backend: its own first answer, so the old one and its stages go. */
export function resetPhoto(): void {
  $('photo-stages').hidden = true;
  clearAnswer(undefined);
}
