// `--backend` names checked before any work, with a suggestion ranked by edit distance, then by whether the backend
// starts here (so `onnx-cup` suggests onnx-cpu, not the unavailable onnx-cuda at the same distance). The names listed
// are those that can run in Node: the browser-only ones (WebGL, browser WebGPU) are registered but never start here.
import { listBackends, probeBackend, type AdapterPackage } from '@convzoo/backend';
import { registerOnnxBackends } from '@convzoo/backend-onnx';
import { registerTfjsBackends } from '@convzoo/backend-tfjs';
import { editDistance } from '@convzoo/models';
import { CliError } from './command.js';

// Each shipped adapter's register call (all its backends: in Node they start or say why not); typed by the table.
const REGISTER: Record<AdapterPackage, () => void> = {
  '@convzoo/backend-tfjs': () => registerTfjsBackends(),
  '@convzoo/backend-onnx': () => registerOnnxBackends(),
};

let registered = false;

/** Registers every adapter of @convzoo/backend's SHIPPED_ADAPTERS (once): TensorFlow.js and ONNX Runtime backends. */
export function registerBackends(): void {
  if (registered) return;
  for (const register of Object.values(REGISTER)) register();
  registered = true;
}

/** Registered by the adapters for the browser build; in Node their probes always say no. */
export const BROWSER_ONLY_BACKENDS: readonly string[] = ['tfjs-webgl', 'tfjs-webgpu', 'onnx-web-webgpu'];

/** The registered backends that can run in Node, best first. */
export function nodeBackends(): string[] {
  registerBackends();
  return listBackends()
    .map((b) => b.name)
    .filter((n) => !BROWSER_ONLY_BACKENDS.includes(n));
}

/** The closest Node backend to a typo, or undefined when none is close: nearest first, then the ones that start here. */
export async function suggestBackend(name: string): Promise<string | undefined> {
  const names = nodeBackends();
  const ranked = await Promise.all(names.map(async (n, order) => ({ n, order, d: editDistance(name, n), here: (await probeBackend(n)).available ? 0 : 1 })));
  ranked.sort((a, b) => a.d - b.d || a.here - b.here || a.order - b.order);
  const best = ranked[0];
  return best && best.d <= Math.max(2, Math.floor(name.length / 4)) ? best.n : undefined;
}

/** Refuses a name that is not a registered backend (or 'auto' where allowed), naming the option and the likely intent. */
export async function checkBackendName(name: string, option: string, allowAuto = true): Promise<void> {
  registerBackends();
  if ((allowAuto && name === 'auto') || listBackends().some((b) => b.name === name)) return;
  const close = await suggestBackend(name);
  const hint = close !== undefined ? ` (did you mean '${close}'?)` : '';
  const names = `${nodeBackends().join(', ')}${allowAuto ? ", or 'auto'" : ''}`;
  throw new CliError(`--${option} ${name}: unknown backend '${name}'${hint}; backends: ${names} (convzoo doctor: which start here)`);
}
