// state.json is hand-editable JSON that decides where a resumed run starts; check every field a resume reads, so
// a damaged file fails here, naming the field, and not as a NaN epoch or a crash deep inside fit().
import { describeValue } from '@convzoo/models';
import { CheckpointError } from './checkpoint-error.js';
import type { TrainingState } from './training-state.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function checkTrainingState(raw: unknown, path: string): TrainingState {
  const fail = (m: string): never => {
    throw new CheckpointError(`${path}: ${m}`);
  };
  if (!isObject(raw)) fail('must be a JSON object');
  const s = raw as Record<string, unknown>;
  if (s.format !== 'convzoo.train-state/1') fail(`field 'format' must be 'convzoo.train-state/1', got ${describeValue(s.format)}`);
  if (!Number.isSafeInteger(s.epoch) || (s.epoch as number) < 0) fail(`field 'epoch' must be a non-negative integer, got ${describeValue(s.epoch)}`);
  if (!Number.isSafeInteger(s.seed) || (s.seed as number) < 0) fail(`field 'seed' must be a non-negative integer, got ${describeValue(s.seed)}`);
  const h = s.history;
  if (!isObject(h) || !Array.isArray(h.epoch) || !h.epoch.every((e) => Number.isSafeInteger(e)) || !isObject(h.history)) {
    fail(`field 'history' must be { epoch: integer[], history: { name: number[] } }`);
  }
  const hist = h as { epoch: number[]; history: Record<string, unknown> };
  for (const [k, v] of Object.entries(hist.history)) {
    // null: a non-finite value (JSON has no NaN), as Keras' history can hold one.
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' || x === null)) fail(`history.history['${k}'] must be an array of numbers`);
  }
  if (s.training !== undefined && !isObject(s.training)) fail(`field 'training' must be an object`);
  if (s.extra !== undefined && !isObject(s.extra)) fail(`field 'extra' must be an object`);
  return s as unknown as TrainingState;
}
