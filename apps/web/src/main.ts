// The page: backend picker, digit pad (LeNet) and photo classifier (ResNet50). Every user-caused failure ends up
// in the status line and the error paragraph; the page stays usable.
import { resolveBackend } from '@convzoo/backend';
import { formatTiming, renderBars } from './bars.js';
import { PAGE_BACKENDS, probeAll, type BackendState } from './backends.js';
import { DigitPad, showDigit } from './digit-pad.js';
import { decodePhoto, preparePhoto } from './images.js';
import { lenetSlot, RESNET, resnetSlot } from './models.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);

/** For tests: the last model inputs and outputs, so they can be compared with Node on the same tensor. */
interface TestHook {
  digit?: { input: Float32Array; probabilities: Float32Array };
  photo?: { input: Float32Array; probabilities: Float32Array };
  backends?: BackendState[];
  timings?: typeof timings;
  /** Resolves when every scheduled prediction has finished. */
  idle?: () => Promise<void>;
}
const hook: TestHook = {};
(globalThis as { __convzoo?: TestHook }).__convzoo = hook;

let backend = 'auto';
let resolved = '';
const timings = { digit: { warm: [] as number[] } as { cold?: number; warm: number[] }, photo: { warm: [] as number[] } as { cold?: number; warm: number[] } };

function setStatus(s: string): void {
  $('status').textContent = s;
}

function showError(e: unknown): void {
  const msg = e instanceof Error ? e.message : String(e);
  setStatus(`error: ${msg}`);
  const el = $('error');
  el.textContent = msg;
  el.hidden = false;
}

// One prediction at a time: the status then says exactly what is happening.
let queue: Promise<unknown> = Promise.resolve();
hook.timings = timings;
hook.idle = () => new Promise<void>((r) => requestAnimationFrame(() => r())).then(() => queue.then(() => undefined));
function run<T>(task: () => Promise<T>): Promise<T | undefined> {
  const next = queue.then(async () => {
    setStatus('busy');
    $('error').hidden = true;
    try {
      const r = await task();
      setStatus('ready');
      return r;
    } catch (e) {
      showError(e);
      return undefined;
    }
  });
  queue = next;
  return next;
}

function resetTimings(): void {
  timings.digit = { warm: [] };
  timings.photo = { warm: [] };
  hook.timings = timings;
  $('digit-timing').textContent = '';
  $('photo-timing').textContent = '';
}

async function chooseBackend(name: string): Promise<void> {
  backend = name;
  const choice = await resolveBackend(name === 'auto' ? 'auto' : name);
  if (name === 'auto' && !(PAGE_BACKENDS as readonly string[]).includes(choice.backend))
    throw new Error(`auto picked ${choice.backend}, which this page does not offer`);
  resolved = choice.backend;
  $('backend').textContent = name === 'auto' ? `${resolved} (auto)` : resolved;
  $('backend').dataset.name = resolved;
  lenetSlot.dispose();
  photoSlot.dispose();
  resetTimings();
}

// Digit pad
const pad = new DigitPad($<HTMLCanvasElement>('pad'), () => scheduleDigit());
let digitPending = false;
function scheduleDigit(): void {
  if (digitPending) return;
  digitPending = true;
  requestAnimationFrame(() => {
    digitPending = false;
    void run(predictDigit);
  });
}
async function predictDigit(): Promise<void> {
  const d = pad.digit();
  showDigit($<HTMLCanvasElement>('digit-view'), d.data);
  if (!d.hasInk) return;
  const t = await lenetSlot.predict(resolved, { shape: [1, 28, 28, 1], data: d.data });
  hook.digit = { input: d.data, probabilities: t.output };
  recordTiming('digit', t);
  const best = t.output.indexOf(Math.max(...t.output));
  $('digit').textContent = String(best);
  renderBars(
    $('digit-bars'),
    [...t.output].map((p, i) => ({ label: String(i), p })),
  );
}
$('clear').addEventListener('click', () => {
  pad.clear();
  showDigit($<HTMLCanvasElement>('digit-view'), new Float32Array(784));
  $('digit').textContent = '';
  $('digit-bars').replaceChildren();
});

function recordTiming(which: 'digit' | 'photo', t: { ms: number; cold: boolean }): void {
  const rec = timings[which];
  if (t.cold) rec.cold = t.ms;
  else rec.warm.push(t.ms);
  $('elapsed-ms').textContent = t.ms.toFixed(1);
  $(`${which}-timing`).textContent = `${resolved}: ${formatTiming(rec)}`;
}

// Photo
const progress = $<HTMLProgressElement>('weights-progress');
const photoSlot = resnetSlot((p) => {
  progress.hidden = false;
  progress.value = p.loaded / p.total;
  $('weights-text').textContent =
    `${p.fromCache ? 'from the browser cache' : 'downloading'} ResNet50 weights: ${(p.loaded / 1e6).toFixed(1)} / ${(p.total / 1e6).toFixed(1)} MB`;
});

async function classifyBlob(blob: Blob, name: string): Promise<void> {
  const img = await decodePhoto(blob, name);
  const prepared = preparePhoto(img, RESNET.transforms);
  const view = $<HTMLCanvasElement>('photo-view').getContext('2d')!;
  const rgba = new ImageData(224, 224);
  for (let i = 0; i < 224 * 224; i++) rgba.data.set([prepared.rgb.data[i * 3]!, prepared.rgb.data[i * 3 + 1]!, prepared.rgb.data[i * 3 + 2]!, 255], i * 4);
  view.putImageData(rgba, 0, 0);
  const t = await photoSlot.predict(resolved, prepared.input);
  hook.photo = { input: prepared.input.data, probabilities: t.output };
  recordTiming('photo', t);
  const top = RESNET.decode(t.output, 5);
  $('top1').textContent = top[0]!.label;
  $('top1-prob').textContent = (top[0]!.probability * 100).toFixed(2);
  renderBars(
    $('photo-bars'),
    top.map((p) => ({ label: p.label, p: p.probability })),
  );
}

async function classifyUrl(url: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new Error(`could not load ${url}: ${(e as Error).message}`);
  }
  if (!res.ok) throw new Error(`could not load ${url}: HTTP ${res.status}`);
  await classifyBlob(await res.blob(), url.split('/').pop() ?? url);
}

$<HTMLInputElement>('file').addEventListener('change', (e) => {
  const f = (e.target as HTMLInputElement).files?.[0];
  if (f) void run(() => classifyBlob(f, f.name));
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
  if (f) void run(() => classifyBlob(f, f.name));
});
for (const name of ['chelsea.png', 'coffee.png', 'rocket.jpg']) {
  const img = document.createElement('img');
  img.src = `samples/${name}`;
  img.alt = img.title = name;
  img.addEventListener('click', () => void run(() => classifyUrl(`samples/${name}`)));
  $('samples').append(img);
}

// Backends
async function start(): Promise<void> {
  const states = await probeAll();
  hook.backends = states;
  const picker = $<HTMLSelectElement>('backend-picker');
  const reasons = $('backend-reasons');
  for (const s of states) {
    const opt = document.createElement('option');
    opt.value = s.name;
    opt.textContent = s.probe.available ? s.name : `${s.name} (unavailable)`;
    opt.disabled = !s.probe.available;
    opt.dataset.testid = `backend-option-${s.name}`;
    if (!s.probe.available) {
      opt.title = s.probe.reason ?? '';
      const li = document.createElement('li');
      li.dataset.testid = `reason-${s.name}`;
      li.textContent = `${s.name}: ${s.probe.reason}`;
      reasons.append(li);
    }
    picker.append(opt);
  }
  const requested = params.get('backend') ?? 'auto';
  const known = requested === 'auto' || states.some((s) => s.name === requested);
  if (!known) throw new Error(`?backend=${requested} is not one of auto, ${PAGE_BACKENDS.join(', ')}`);
  const state = states.find((s) => s.name === requested);
  if (state && !state.probe.available) throw new Error(`?backend=${requested} is unavailable here: ${state.probe.reason}`);
  picker.value = requested;
  await chooseBackend(requested);
  picker.addEventListener('change', () => void run(() => chooseBackend(picker.value)));
  const image = params.get('image');
  if (image) await classifyUrl(image);
}

window.addEventListener('unhandledrejection', (e) => {
  e.preventDefault();
  showError(e.reason);
});
void run(start);
