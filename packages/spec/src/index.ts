export type * from './types.js';
export { SpecBuilder, paddingBox } from './graph.js';
export type { Conv2DOptions, DenseOptions, Pool2DOptions, BatchNormOptions, ResizeOptions, LrnOptions, PairLike, PaddingLike } from './graph.js';
export * from './models/index.js';
