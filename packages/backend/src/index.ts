export type * from './contract.js';
export { isTrainable } from './contract.js';
