// What the page's parts share: the backend in use, the one-at-a-time task queue, the timings and the test hook.
import { formatTiming } from './bars.js';
import type { BackendState } from './backends.js';
import type { StageEvent } from './stages.js';
import { $, clearError, setStatus, showError } from './status.js';

export interface Timing {
  cold?: number;
  warm: number[];
  /** From the user's action to the answer on screen, for the first answer on this backend (photo only). */
  firstAnswer?: number;
  /** Compiling the model on this backend (its engine's start-up included when it was the first model). */
  compile?: number;
}

/** For tests: the last model inputs and outputs, so they can be compared with Node on the same tensor. */
export interface TestHook {
  digit?: { input: Float32Array; probabilities: Float32Array };
  photo?: { input: Float32Array; probabilities: Float32Array };
  backends?: BackendState[];
  /** How long probing every backend took at start-up (before the first task can run). */
  probeMs?: number;
  timings: { digit: Timing; photo: Timing };
  /** The last photo load's stage transitions (download, verify, build, run). */
  stageLog?: StageEvent[];
  /** Where the last ResNet50 load's milliseconds went. */
  photoLoad?: Record<string, number | boolean>;
  /** Resolves when every scheduled prediction has finished. */
  idle?: () => Promise<void>;
}

export const hook: TestHook = { timings: { digit: { warm: [] }, photo: { warm: [] } } };
(globalThis as { __convzoo?: TestHook }).__convzoo = hook;

/** The backend in use ('' while none is: a bad ?backend= until the user picks one). */
export const current = { backend: '' };

// One task at a time: the status then says exactly what is happening.
let queue: Promise<unknown> = Promise.resolve();
hook.idle = () => new Promise<void>((r) => requestAnimationFrame(() => r())).then(() => queue.then(() => undefined));

export function run<T>(task: () => Promise<T>, onError?: (e: unknown) => void): Promise<T | undefined> {
  const next = queue.then(async () => {
    setStatus('busy');
    clearError();
    try {
      const r = await task();
      setStatus('ready');
      return r;
    } catch (e) {
      onError?.(e);
      showError(e);
      return undefined;
    }
  });
  queue = next;
  return next;
}

/** The backend to run on, or a readable error when none is chosen yet. */
export function backendInUse(): string {
  if (!current.backend) throw new Error('no backend in use: choose one in the Backend menu above');
  return current.backend;
}

export function resetTimings(): void {
  hook.timings = { digit: { warm: [] }, photo: { warm: [] } };
  $('digit-timing').textContent = '';
  $('photo-timing').textContent = '';
}

export function recordTiming(which: 'digit' | 'photo', t: { ms: number; cold: boolean; compileMs?: number }): void {
  const rec = hook.timings[which];
  if (t.compileMs !== undefined) rec.compile = t.compileMs;
  if (t.cold) rec.cold = t.ms;
  else rec.warm.push(t.ms);
  $('elapsed-ms').textContent = t.ms.toFixed(1);
  $(`${which}-timing`).textContent = `${current.backend}: ${formatTiming(rec)}`;
}
