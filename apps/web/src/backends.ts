// The registry the page uses: convzoo's tfjs and ONNX backends, with literal imports (so Vite bundles them) and the
// .wasm files served from this origin (copied into dist/ by vite.config.ts).
import { type AdapterPackage, type BrowserBackendName, defaultRegistry, probeBackend, type ProbeResult, SHIPPED_ADAPTERS } from '@convzoo/backend';
import { registerOnnxBackends } from '@convzoo/backend-onnx';
import { registerTfjsBackends } from '@convzoo/backend-tfjs';

/** What the picker offers: every shipped adapter's browser backends (@convzoo/backend's SHIPPED_ADAPTERS). */
export const PAGE_BACKENDS: readonly BrowserBackendName[] = Object.values(SHIPPED_ADAPTERS).flatMap((a) => a.browser);
export type PageBackend = BrowserBackendName;

// A worker has no document: the Train section's worker is told the page's base URL (setAssetBase).
let assetBase: string | undefined;
export function setAssetBase(base: string): void {
  assetBase = base;
}
const assetUrl = (path: string): string => new URL(path, assetBase ?? document.baseURI).href;

// Each shipped adapter's register call, with the page's literal loaders; typed by the table, so none is missed.
const REGISTER: Record<AdapterPackage, () => void> = {
  '@convzoo/backend-tfjs': () =>
    registerTfjsBackends({
      registry: defaultRegistry,
      only: [...SHIPPED_ADAPTERS['@convzoo/backend-tfjs'].browser],
      loaders: {
        'tfjs-cpu': () => import('@tensorflow/tfjs-backend-cpu'),
        'tfjs-wasm': async () => {
          const m = await import('@tensorflow/tfjs-backend-wasm');
          m.setWasmPaths(assetUrl('tfjs-wasm/'));
          return m;
        },
        'tfjs-webgl': () => import('@tensorflow/tfjs-backend-webgl'),
        'tfjs-webgpu': () => import('@tensorflow/tfjs-backend-webgpu'),
      },
    }),
  '@convzoo/backend-onnx': () => registerOnnxBackends(defaultRegistry),
};

let registered = false;
export function registerPageBackends(): void {
  if (registered) return;
  registered = true;
  for (const register of Object.values(REGISTER)) register();
}

/**
 * onnxruntime-web finds its .wasm through import.meta.url (Vite emits it as an asset), and uses threads only when
 * the page is cross-origin isolated.
 */
export async function configureOrt(): Promise<void> {
  const ort = await import('onnxruntime-web');
  if (!globalThis.crossOriginIsolated) ort.env.wasm.numThreads = 1;
  const warning = isolationWarning();
  if (warning && !warned) {
    warned = true;
    console.warn(warning);
  }
}
let warned = false;

/** Without cross-origin isolation there is no SharedArrayBuffer, so no WASM threads: says which headers fix it. */
export function isolationWarning(): string | undefined {
  if (globalThis.crossOriginIsolated) return undefined;
  return (
    'This page is not cross-origin isolated, so ONNX Runtime and tfjs-wasm run on one thread. Serve it with the headers ' +
    'Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp for WASM threads.'
  );
}

export interface BackendState {
  name: PageBackend;
  probe: ProbeResult;
}

/** Probes every page backend (each probe starts the engine once; results are cached by the registry). */
export async function probeAll(): Promise<BackendState[]> {
  registerPageBackends();
  await configureOrt();
  const out: BackendState[] = [];
  for (const name of PAGE_BACKENDS) {
    try {
      out.push({ name, probe: await probeBackend(name) });
    } catch (e) {
      out.push({ name, probe: { available: false, reason: (e as Error).message } });
    }
  }
  return out;
}
