// The Node entry (the package's `node` and default condition): every ONNX backend, with the host checks for
// onnxruntime-node's CUDA and WebGPU providers.
import { makeOnnxBackends } from './runtime/backends.js';
import { nodeHost } from './runtime/host-node.js';

export * from './exports-common.js';
export { CUDA_INSTALL_COMMAND, cudaMissingReason, cudaProviderFiles, ensureVulkanIcd, quietWaylandProbe } from './runtime/node-env.js';

const backends = makeOnnxBackends(nodeHost);
/** The registry factories of every ONNX backend (onnx-cuda, onnx-cpu, onnx-webgpu, onnx-web-webgpu, onnx-wasm). */
export const onnxBackendFactories = backends.onnxBackendFactories;
/**
 * Registers the ONNX Runtime backends. Nothing loads until a backend is probed or compiled; runtimes are optional
 * peers (onnxruntime-node for onnx-cpu/-cuda/-webgpu, onnxruntime-web for onnx-wasm/-web-webgpu).
 */
export const registerOnnxBackends = backends.registerOnnxBackends;
