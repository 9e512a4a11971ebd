// Classify a photo: ResNet50 on the backend in use. The first answer loads 102.7 MB of weights and builds the model;
// the page says so before it starts, shows each stage with its time, and clears the old answer at once.
import { renderBars } from './bars.js';
import { readableLabel } from './labels.js';
import { lenetSlot, RESNET, RESNET_BASE, resnetSlot } from './models.js';
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

/** Says what the first photo will cost here, before anything is downloaded. */
export async function describeWeights(): Promise<void> {
  const note = $('weights-note');
  const clear = $<HTMLButtonElement>('clear-weights');
  if (resnetSlot.hasWeights) {
    note.textContent = `ResNet50 weights (${MB(TOTAL)}) are loaded.`;
    clear.hidden = false;
    return;
  }
  const { cached, files } = await cachedFiles(RESNET, RESNET_BASE());
  note.dataset.cached = String(cached === files);
  clear.hidden = cached === 0;
  if (cached === files) note.textContent = `ResNet50 weights (${MB(TOTAL)}) are stored in this browser: no download needed.`;
  else if (cached === 0) note.textContent = `The first photo downloads the ResNet50 weights: ${MB(TOTAL)}, once; this browser then keeps them.`;
  else note.textContent = `${cached} of ${files} ResNet50 weight files are stored here; the first photo downloads the rest (${MB(TOTAL)} in all).`;
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

/** Loads the weights (if not in memory) and builds the model on `backend`, stage by stage. */
async function coldStart(backend: string): Promise<void> {
  const inMemory = resnetSlot.hasWeights;
  stages.reset({
    download: inMemory ? 'Weights' : `Get ResNet50 weights (${MB(TOTAL)})`,
    verify: 'Verify sha256',
    build: `Build the model on ${backend}`,
    run: 'First run',
  });
  let assembleMs = 0;
  // The engine's own start-up (onnx-wasm: fetching and compiling ORT's 28 MB wasm, 1.5-2.5 s here) overlaps the
  // weights' load when the small LeNet compiles meanwhile; the queue keeps digit predictions out until this is done.
  let engine: Promise<unknown> = Promise.resolve();
  if (inMemory) {
    stages.set('download', 'skipped', 'already in memory');
    stages.set('verify', 'skipped', 'checked when loaded');
  } else {
    engine = lenetSlot.open(backend).catch(() => undefined);
    stages.set('download', 'active', 'checking this browser’s cache');
    waiting('getting the weights…');
    const loaded = await resnetSlot.weights({
      onBytes: (p) => {
        const verb = p.fromCache ? 'read from this browser’s cache' : 'downloading';
        progress.hidden = p.fromCache;
        progress.value = p.loaded / p.total;
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
    });
    const r = loaded.report!;
    assembleMs = r.assembleMs;
    hook.photoLoad = { fromCache: r.fromCache, fetchMs: r.fetchMs, verifyMs: r.verifyMs, assembleMs };
    void describeWeights();
  }
  stages.set('build', 'active', `compiling on ${backend}`);
  waiting(`building the model on ${backend}…`);
  const t0 = performance.now();
  await engine;
  await resnetSlot.open(backend);
  const compileMs = performance.now() - t0;
  hook.photoLoad = { ...hook.photoLoad, compileMs };
  stages.set('build', 'done', assembleMs ? `weights assembled in ${seconds(assembleMs)}, compiled in ${seconds(compileMs)}` : '', assembleMs + compileMs);
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
  if (cold) await coldStart(backend);
  if (cold) stages.set('run', 'active');
  waiting(`running ResNet50 on ${backend}…`);
  const t = await resnetSlot.predict(backend, prepared.input);
  if (cold) stages.set('run', 'done', '', t.ms);
  hook.photo = { input: prepared.input.data, probabilities: t.output };
  if (t.cold) hook.timings.photo.firstAnswer = performance.now() - askedAt;
  recordTiming('photo', cold ? { ...t, compileMs: resnetSlot.compileMs } : t);
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
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const f = e.dataTransfer?.files[0];
    if (f) void classify(async () => ({ blob: f, name: f.name }));
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
      await clearCachedWeights();
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
