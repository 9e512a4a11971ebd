// Memory checks: the plan priced by a memory model, the largest batch that fits, and the registry refusing (explicit)
// or passing over (auto) a backend too small, before any compile.
import { describe, expect, it } from 'vitest';
import { getModel, memoryPlan, type CompiledSpec } from '@convzoo/models';
import {
  BackendError,
  BackendRegistry,
  checkMemory,
  doctor,
  estimateBytes,
  formatDoctor,
  type BackendChoice,
  type BackendFactory,
  type MemoryModel,
  type Model,
  type TrainableModel,
} from '../src/index.js';
import { inertModel } from './inert-model.js';
import { testMemoryModel } from './test-memory-model.js';

const MiB = 2 ** 20;
const lenet = getModel('lenet');
const model = (limitMiB: number): MemoryModel => testMemoryModel(limitMiB);

function fake(name: string, priority: number, memory: MemoryModel | undefined): BackendFactory & { compiled: number } {
  const f = {
    name,
    priority,
    compiled: 0,
    async probe() {
      return { available: true };
    },
    async memoryModel() {
      return memory;
    },
    async compile(compiled: CompiledSpec, options: { backend?: string }): Promise<Model> {
      f.compiled++;
      return inertModel(compiled, options.backend!);
    },
    compileTrainable: async (c: CompiledSpec, options: { backend?: string }) => (await f.compile(c, options)) as TrainableModel,
  };
  return f;
}

describe('memory plan priced by a model', () => {
  it('is weights x (1 + parameters) + gradients + slots + overhead + factors x activations and im2col', () => {
    const plan = memoryPlan(lenet, { batchSize: 128, training: true, optimizerSlots: 2 });
    // LeNet: 431,080 parameters; activations per image 784 + 11520 + 2880 + 3200 + 800 + 800 + 500 + 10 floats.
    expect(plan.weightBytes).toBe(431_080 * 4);
    expect(plan.gradientBytes).toBe(431_080 * 4);
    expect(plan.optimizerBytes).toBe(431_080 * 8);
    expect(plan.activationBytes).toBe((784 + 11_520 + 2_880 + 3_200 + 800 + 800 + 500 + 10) * 4 * 128);
    // conv2d_1: 8x8 outputs, 5x5x20 patches -> 128 x 64 x 500 floats
    expect(plan.largestTemporaryBytes).toBe(128 * 64 * 500 * 4);
    expect(plan.largestTemporaryLayer).toBe('conv2d_1');
    const m = model(1024);
    const want = plan.weightBytes * 5 + plan.gradientBytes + plan.optimizerBytes + 16 * MiB + 6 * plan.activationBytes + 2 * plan.largestTemporaryBytes;
    expect(estimateBytes(plan, m)).toBe(want);
  });

  it('finds the exact largest batch: it fits, one more does not', () => {
    const m = model(256);
    const c = checkMemory('test', lenet, m, { batchSize: 4096, training: true });
    expect(c.fits).toBe(false);
    expect(c.largestBatch).toBeGreaterThan(100);
    const at = (b: number) => estimateBytes(memoryPlan(lenet, { batchSize: b, training: true }), m);
    expect(at(c.largestBatch)).toBeLessThanOrEqual(m.limitBytes);
    expect(at(c.largestBatch + 1)).toBeGreaterThan(m.limitBytes);
    expect(checkMemory('test', lenet, model(8), { batchSize: 1, training: true }).largestBatch).toBe(0);
  });
});

describe('the registry checks memory before compiling', () => {
  it('refuses an explicit backend that cannot hold the batch, naming the largest batch and the backends that fit', async () => {
    const r = new BackendRegistry();
    const small = fake('small', 9, model(64));
    r.register(small);
    r.register(fake('big', 1, model(64 * 1024)));
    const err = await r
      .compile(lenet, { backend: 'small', batchSize: 4096, training: { loss: 'categoricalCrossentropy', optimizer: { kind: 'adam' } } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as BackendError).code).toBe('out-of-memory');
    expect((err as BackendError).message).toMatch(
      /^lenet at batch 4096 \(training\) needs ~[\d.]+ GiB on small; it has 64\.00 MiB \(a 64 MiB test heap\): the largest batch that fits is \d+; backends that fit batch 4096: big$/,
    );
    expect(small.compiled).toBe(0);
  });

  it("'auto' passes over a backend too small, with the reason; without batchSize nothing is checked", async () => {
    const r = new BackendRegistry();
    r.register(fake('small', 9, model(64)));
    r.register(fake('big', 1, model(64 * 1024)));
    r.register(fake('unknown', 0, undefined));
    let choice: BackendChoice | undefined;
    await r.compile(lenet, { batchSize: 4096, onBackend: (c) => (choice = c) });
    expect(choice).toMatchObject({ backend: 'big', skipped: [{ name: 'small' }] });
    expect((choice as unknown as { skipped: { reason: string }[] }).skipped[0]!.reason).toMatch(/needs ~.* on small/);
    expect((await r.resolve('auto')).backend).toBe('small');
  });

  it('doctor shows, per backend, whether a model and batch fit', async () => {
    const r = new BackendRegistry();
    r.register(fake('small', 9, model(64)));
    r.register(fake('big', 1, model(64 * 1024)));
    const entries = await doctor(r, { memory: { spec: lenet, batchSize: 4096, training: true } });
    expect(entries.map((e) => e.memory?.fits)).toEqual([false, true]);
    const text = formatDoctor(entries);
    expect(text).toMatch(
      /small[^\n]*\n\s+memory: batch 4096 training needs ~[\d.]+ GiB of 64\.00 MiB \(a 64 MiB test heap\): does NOT fit \(largest batch that fits: \d+\)/,
    );
    expect(text).toContain("'auto' picks big");
  });
});
