// The shared conformance suite on tfjs-cpu. It is the reference backend, so parity is checked against Keras itself
// in keras-parity.test.ts; here: shapes, weight round trip, leak-free dispose and named errors.
import { describeBackendConformance } from '@convzoo/backend/conformance';
import { registerTfjsBackends } from '../src/index.js';

describeBackendConformance({ backend: 'tfjs-cpu', reference: 'tfjs-cpu', setup: () => registerTfjsBackends() });
