// The adapters convzoo ships, in one table that the CLI and the web page both read: the package that registers each
// backend, and which of them a browser page can start. Data only, so it bundles anywhere: backend never imports an
// adapter (they depend on it), so each app maps a package to that package's register function, typed by
// a `Record<AdapterPackage, ...>`, so that an adapter added here fails to compile until every app registers it.

export interface ShippedAdapter {
  /** Every backend the package's register function (registerTfjsBackends, registerOnnxBackends) adds, from its Node
   * entry and its browser entry alike, best first. */
  backends: readonly string[];
  /** Those a browser page can start (the rest need Node.js), in the order the web app's picker lists them. */
  browser: readonly string[];
}

/** Keyed by the npm package that registers the backends. */
export const SHIPPED_ADAPTERS = {
  '@convzoo/backend-tfjs': {
    backends: ['tfjs-node', 'tfjs-webgpu', 'tfjs-webgl', 'tfjs-wasm', 'tfjs-cpu'],
    browser: ['tfjs-cpu', 'tfjs-wasm', 'tfjs-webgl', 'tfjs-webgpu'],
  },
  '@convzoo/backend-onnx': {
    backends: ['onnx-cuda', 'onnx-cpu', 'onnx-webgpu', 'onnx-web-webgpu', 'onnx-wasm'],
    browser: ['onnx-wasm', 'onnx-web-webgpu'],
  },
} as const satisfies Record<string, ShippedAdapter>;

export type AdapterPackage = keyof typeof SHIPPED_ADAPTERS;
/** A backend a browser page can start. */
export type BrowserBackendName = (typeof SHIPPED_ADAPTERS)[AdapterPackage]['browser'][number];
