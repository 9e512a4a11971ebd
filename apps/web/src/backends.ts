// The registry the page uses: convzoo's tfjs and ONNX backends, with literal imports (so Vite bundles them) and the
// .wasm files served from this origin (copied into dist/ by vite.config.ts).
import { defaultRegistry, probeBackend, type ProbeResult } from '@convzoo/backend';
import { registerOnnxBackends } from '@convzoo/backend-onnx';
import { registerTfjsBackends } from '@convzoo/backend-tfjs';

/** What the picker offers, best first as the registry ranks them. */
export const PAGE_BACKENDS = ['tfjs-cpu', 'tfjs-wasm', 'tfjs-webgl', 'tfjs-webgpu', 'onnx-wasm', 'onnx-web-webgpu'] as const;
export type PageBackend = (typeof PAGE_BACKENDS)[number];

const assetUrl = (path: string): string => new URL(path, document.baseURI).href;

let registered = false;
export function registerPageBackends(): void {
  if (registered) return;
  registered = true;
  registerTfjsBackends({
    registry: defaultRegistry,
    only: ['tfjs-cpu', 'tfjs-wasm', 'tfjs-webgl', 'tfjs-webgpu'],
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
  });
  registerOnnxBackends(defaultRegistry);
}

/**
 * onnxruntime-web finds its .wasm through import.meta.url (Vite emits it as an asset), and uses threads only when
 * the page is cross-origin isolated.
 */
export async function configureOrt(): Promise<void> {
  const ort = await import('onnxruntime-web');
  if (!globalThis.crossOriginIsolated) ort.env.wasm.numThreads = 1;
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
