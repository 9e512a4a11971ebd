// The exports every entry shares (Node and browser); each entry adds its host's backends.
export { toOnnx, buildOnnxModel, DEFAULT_OPSET, MIN_OPSET, MAX_OPSET, IR_VERSION } from './export/to-onnx.js';
export type { ToOnnxOptions } from './export/to-onnx.js';
export { decodeModel, encodeModel } from './proto/onnx.js';
export type { ModelProto, GraphProto, NodeProto, TensorProto } from './proto/onnx.js';
export { CONVZOO_VERSION } from './version.js';
export type { OnnxEngineOptions, GraphOptimizationLevel } from './runtime/engine-options.js';
export type { OnnxBackends } from './runtime/backends.js';
export { importOnnx, IMPORTABLE_OPS } from './import/import-onnx.js';
export type { ImportedOnnx, ImportOnnxOptions } from './import/import-onnx.js';
export { OnnxImportError, IMPORT_MIN_OPSET, IMPORT_MAX_OPSET } from './import/onnx-read.js';
export { nchwToNhwc, OnnxTrainingSession } from './import/training-session.js';
export { outputsProbabilities, withSoftmaxOutput } from './import/softmax-output.js';
export type { OnnxTrainingSessionOptions } from './import/training-session.js';
