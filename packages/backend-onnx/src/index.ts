export { toOnnx, buildOnnxModel, DEFAULT_OPSET, MIN_OPSET, MAX_OPSET, IR_VERSION } from './export/to-onnx.js';
export type { ToOnnxOptions } from './export/to-onnx.js';
export { decodeModel } from './proto/onnx.js';
export type { ModelProto, GraphProto, NodeProto, TensorProto } from './proto/onnx.js';
export { CONVZOO_VERSION } from './version.js';
export { registerOnnxBackends, onnxBackendFactories } from './runtime/backends.js';
export type { OnnxEngineOptions, GraphOptimizationLevel } from './runtime/engine-options.js';
export { CUDA_INSTALL_COMMAND, cudaMissingReason, cudaProviderFiles, ensureVulkanIcd, quietWaylandProbe } from './runtime/node-env.js';
