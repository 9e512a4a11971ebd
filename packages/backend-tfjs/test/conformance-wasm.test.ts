// The shared conformance suite on tfjs-wasm, against tfjs-cpu as the reference.
import { describeBackendConformance } from '@convzoo/backend/conformance';
import { registerTfjsBackends } from '../src/index.js';

describeBackendConformance({ backend: 'tfjs-wasm', reference: 'tfjs-cpu', setup: () => registerTfjsBackends() });
