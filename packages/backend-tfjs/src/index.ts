export { registerTfjsBackends, tfjsFactories } from './factories.js';
export type { TfjsOptions, TfjsBackendName } from './factories.js';
export type { Loader } from './engine.js';
