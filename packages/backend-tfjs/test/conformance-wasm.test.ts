// The shared conformance suite on tfjs-wasm, against the Keras (and PyTorch) fixtures.
import { describeBackendConformance } from '@convzoo/backend/conformance';
import { registerTfjsBackends } from '../src/index.js';

describeBackendConformance({ backend: 'tfjs-wasm', setup: () => registerTfjsBackends() });
