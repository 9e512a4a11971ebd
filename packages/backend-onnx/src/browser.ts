// The browser entry (the package's `browser` condition): the same API minus the Node host helpers. The
// onnxruntime-node backends stay registered so `doctor`-style listings show why they are off (Node.js only).
import { makeOnnxBackends } from './runtime/backends.js';
import { browserHost } from './runtime/host-browser.js';

export * from './exports-common.js';

const backends = makeOnnxBackends(browserHost);
/** The registry factories of every ONNX backend; in a browser only onnx-wasm and onnx-web-webgpu can start. */
export const onnxBackendFactories = backends.onnxBackendFactories;
/** Registers the ONNX Runtime backends (onnxruntime-web for onnx-wasm/-web-webgpu; the Node ones say why not). */
export const registerOnnxBackends = backends.registerOnnxBackends;
