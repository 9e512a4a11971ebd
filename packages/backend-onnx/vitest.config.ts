import { packageTestConfig } from '../../vitest.shared.js';

// The longest files first (clean-clone CI 13, 2 busy cores: 166, 107, 90, 71 s), so none starts at the end alone.
export default packageTestConfig({
  parallelFiles: true,
  slowFirst: ['test/training-webgpu.test.ts', 'test/training-steps-cpu.test.ts', 'test/conformance-wasm.test.ts', 'test/conformance-cpu.test.ts'],
});
