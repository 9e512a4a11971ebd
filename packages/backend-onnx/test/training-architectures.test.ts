// Every registered architecture (but the ill-posed ones, see ILL_POSED_TRAINING) trained on onnx-cpu, held to
// tfjs-wasm (which agrees with tfjs-cpu and the Keras fixtures to ~1e-6 on these): one step within 1e-4, ten within
// 1e-3. About 2.5 minutes on 2 cores, so not in the fast suite: CONVZOO_FULL_RUN=1 (or =training) runs it.
import { describe, it } from 'vitest';
import { architectureTrainingCases, describeTrainingConformance } from '@convzoo/backend/conformance';
import { registerTfjsBackends } from '@convzoo/backend-tfjs';
import { registerOnnxBackends } from '../src/index.js';

const run = process.env.CONVZOO_FULL_RUN === '1' || process.env.CONVZOO_FULL_RUN === 'training';

if (run) {
  describeTrainingConformance({
    backend: 'onnx-cpu',
    reference: 'tfjs-wasm',
    models: architectureTrainingCases(),
    setup: () => {
      registerTfjsBackends();
      registerOnnxBackends();
    },
  });
} else {
  describe('training conformance of every architecture [opt-in: CONVZOO_FULL_RUN]', () => {
    it.skip('set CONVZOO_FULL_RUN=training to run (about 2.5 minutes on 2 cores)', () => {});
  });
}
