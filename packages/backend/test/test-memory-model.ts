// The memory model the registry tests' fake factories report: a heap of `limitMiB`, with factors of a real backend's size.
import type { MemoryModel } from '../src/index.js';

const MiB = 2 ** 20;

export function testMemoryModel(limitMiB: number, limitSource = `a ${limitMiB} MiB test heap`): MemoryModel {
  return {
    limitBytes: limitMiB * MiB,
    limitSource,
    training: { activations: 6, temporary: 2, parameters: 4, overheadBytes: 16 * MiB },
    inference: { activations: 1.5, temporary: 2, overheadBytes: 16 * MiB },
  };
}
