// The page: backend picker, digit pad (LeNet) and photo classifier (ResNet50). Every user-caused failure ends up
// in the status pill and the one error banner; the page stays usable, a bad ?backend= included.
import { resolveBackend } from '@convzoo/backend';
import { renderBars } from './bars.js';
import { isolationWarning, PAGE_BACKENDS, probeAll } from './backends.js';
import { DigitPad, showDigit } from './digit-pad.js';
import { lenetSlot, resnetSlot } from './models.js';
import { backendInUse, current, hook, recordTiming, resetTimings, run } from './page.js';
import { classify, describeWeights, fetchPhoto, resetPhoto, setupPhoto } from './photo.js';
import { $, showError } from './status.js';
import { setupTeach } from './teach-section.js';
import { setupTrain } from './train-section.js';

const params = new URLSearchParams(location.search);
const picker = $<HTMLSelectElement>('backend-picker');

function showBackend(name: string, auto: boolean): void {
  $('backend').textContent = !name ? 'none' : auto ? `${name} (auto)` : name;
  $('backend').dataset.name = name;
  for (const el of document.querySelectorAll<HTMLElement>('.runs-on')) el.textContent = name || 'no backend yet';
}

function clearDigit(): void {
  $('digit').textContent = '';
  $('digit-bars').replaceChildren();
}

async function chooseBackend(name: string): Promise<void> {
  const choice = await resolveBackend(name === 'auto' ? 'auto' : name);
  if (name === 'auto' && !(PAGE_BACKENDS as readonly string[]).includes(choice.backend))
    throw new Error(`auto picked ${choice.backend}, which this page does not offer`);
  current.backend = choice.backend;
  showBackend(choice.backend, name === 'auto');
  lenetSlot.dispose();
  resnetSlot.dispose();
  resetTimings();
  resetPhoto();
  clearDigit();
  // The drawing stays: answer it on the new backend.
  if (pad.digit().hasInk) scheduleDigit();
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
  const t = await lenetSlot.predict(backendInUse(), { shape: [1, 28, 28, 1], data: d.data });
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
  clearDigit();
});

setupPhoto();
setupTeach();
// A net trained in the Train section answers the digit pad (undefined: the bundled LeNet again); the drawing stays.
setupTrain(
  (loaded) =>
    void run(async () => {
      if (loaded) lenetSlot.useWeights(loaded);
      else lenetSlot.forget();
      if (pad.digit().hasInk) scheduleDigit();
    }),
);

/** Why the requested backend cannot run here, or undefined when it can. */
function refusal(requested: string, states: Awaited<ReturnType<typeof probeAll>>): string | undefined {
  if (requested === 'auto') return undefined;
  const state = states.find((s) => s.name === requested);
  if (!state) return `?backend=${requested} is not one of auto, ${PAGE_BACKENDS.join(', ')}`;
  if (!state.probe.available) return `?backend=${requested} is unavailable here: ${state.probe.reason}`;
  return undefined;
}

// Backends: the picker works from the moment it has options, whatever ?backend= asked for.
async function start(): Promise<void> {
  void describeWeights();
  const t0 = performance.now();
  const states = await probeAll();
  hook.probeMs = performance.now() - t0;
  hook.backends = states;
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
  const off = states.filter((s) => !s.probe.available).length;
  $('reasons-summary').textContent = off ? `${off} of ${states.length} backends unavailable in this browser` : `all ${states.length} backends available`;
  const warning = isolationWarning();
  if (warning) {
    $('isolation-note').textContent = warning;
    $('isolation-note').hidden = false;
  }
  picker.addEventListener('change', () => void run(() => chooseBackend(picker.value)));
  const requested = params.get('backend') ?? 'auto';
  const refused = refusal(requested, states);
  if (refused) {
    // Nothing is silently substituted: the user picks (the placeholder is selected, so any choice is a change).
    picker.value = '';
    showBackend('', false);
    throw new Error(`${refused}. Choose a backend in the menu above.`);
  }
  picker.value = requested;
  await chooseBackend(requested);
  const image = params.get('image');
  // From navigation start: the first answer's wait includes the page's own start-up.
  if (image) void classify(() => fetchPhoto(image), 0);
}

window.addEventListener('unhandledrejection', (e) => {
  e.preventDefault();
  showError(e.reason);
});
void run(start);
