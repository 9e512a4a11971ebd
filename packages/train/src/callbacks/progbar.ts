// Keras 2's Progbar text, byte for byte: `24/24 [==============================] - 2s 86ms/step - loss: 1.1945 - ...`
import type { Logs } from '../types.js';

const WIDTH = 30;

/** `%4d/%d [====>....]` with Keras' rounding (the arrow only while unfinished). */
export function bar(current: number, target: number): string {
  const digits = Math.floor(Math.log10(target)) + 1;
  let s = `${String(current).padStart(digits)}/${target} [`;
  const progWidth = Math.floor((WIDTH * current) / target);
  if (progWidth > 0) s += '='.repeat(progWidth - 1) + (current < target ? '>' : '=');
  s += '.'.repeat(WIDTH - progWidth) + ']';
  return s;
}

/** Python's `%.4e`: two-digit exponent (`1.2345e-04`). */
function exp4(v: number): string {
  const [mant, e] = v.toExponential(4).split('e');
  const n = Number(e);
  return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
}

/** Keras shows `%.4f`, or `%.4e` for magnitudes at or below 1e-3. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v).toLowerCase().replace('infinity', 'inf');
  return Math.abs(v) > 1e-3 ? v.toFixed(4) : exp4(v);
}

export function formatLogs(logs: Logs, names: string[]): string {
  return names
    .filter((k) => logs[k] !== undefined)
    .map((k) => ` - ${k}: ${formatValue(logs[k]!)}`)
    .join('');
}

/** `%.0fs/step`, `%.0fms/step`, `%.0fus/step`, as Keras picks the unit. */
export function perStep(seconds: number): string {
  if (seconds >= 1 || seconds === 0) return `${seconds.toFixed(0)}s/step`;
  if (seconds >= 1e-3) return `${(seconds * 1e3).toFixed(0)}ms/step`;
  return `${(seconds * 1e6).toFixed(0)}us/step`;
}

export function eta(seconds: number): string {
  if (seconds > 3600) {
    return `${Math.floor(seconds / 3600)}:${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;
  }
  if (seconds > 60) return `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;
  return `${Math.floor(seconds)}s`;
}

/** The line while running (`- ETA: 3s`) or when done (`- 2s 86ms/step`). */
export function progressLine(current: number, target: number, elapsedSeconds: number, logs: Logs, names: string[]): string {
  const perUnit = current > 0 ? elapsedSeconds / current : 0;
  const time = current < target ? ` - ETA: ${eta(perUnit * (target - current))}` : ` - ${elapsedSeconds.toFixed(0)}s ${perStep(perUnit)}`;
  return bar(current, target) + time + formatLogs(logs, names);
}
