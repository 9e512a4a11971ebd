// The shared conformance suite on tfjs-cpu: parity against the Keras (and PyTorch) fixtures, shapes, weight round
// trip, leak-free dispose and named errors.
import { describeBackendConformance } from '@convzoo/backend/conformance';
import { registerTfjsBackends } from '../src/index.js';

describeBackendConformance({ backend: 'tfjs-cpu', setup: () => registerTfjsBackends() });
