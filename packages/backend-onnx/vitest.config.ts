import { packageTestConfig } from '../../vitest.shared.js';

// The longest files first (clean-clone CI, 2 cores: 90, 58, 53, 43, 40, 34, 33 s), so none starts at the end alone.
export default packageTestConfig({
  parallelFiles: true,
  slowFirst: [
    'test/conformance-webgpu-large.test.ts',
    'test/training-webgpu.test.ts',
    'test/training-steps-webgpu.test.ts',
    'test/conformance-webgpu.test.ts',
    'test/conformance-wasm.test.ts',
    'test/conformance-cpu.test.ts',
    'test/training-steps-cpu.test.ts',
  ],
});
