// The Teach section's test hook (window.__convzoo.teach) and its status line: what a test reads, and the figures.
import { $ } from './status.js';

export interface TeachPrediction {
  name: string;
  label: string;
  probability: number;
  probabilities: number[];
  /** The model input, for tests comparing with Node on the same tensor. */
  input: Float32Array;
}

/** For tests and the figures (ms on the page's clock). */
export interface TeachHook {
  status: string;
  classes: string[];
  photos: number;
  featuresDone: number;
  /** The backbone in use: 'ResNet50' or the user's .onnx file's name. */
  backbone: string;
  /** When the first photo was added, and when the first prediction was shown. */
  firstPhotoAt?: number;
  firstPredictionAt?: number;
  backboneMs?: number;
  /** The backbone started from its compiled model in Cache Storage (no weights read). */
  backboneFromCache?: boolean;
  featureMs: number;
  trainMs?: number;
  steps: number;
  validationAccuracy?: number;
  predictions: TeachPrediction[];
}

export const hook: TeachHook = { status: 'idle', classes: [], photos: 0, featuresDone: 0, backbone: 'ResNet50', featureMs: 0, steps: 0, predictions: [] };
(globalThis as unknown as { __convzoo: { teach?: TeachHook } }).__convzoo.teach = hook;

export function setStatus(text: string, detail = ''): void {
  hook.status = text;
  $('teach-status').textContent = text;
  $('teach-status').dataset.state = text.startsWith('error') ? 'error' : text === 'trained' || text === 'ready to train' ? 'done' : 'busy';
  $('teach-status-text').textContent = detail;
}
