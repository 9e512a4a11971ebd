// What registry.test.ts and memory.test.ts leave open: ties in priority, a replaced factory probed afresh, compile()
// routing (compile vs compileTrainable, weights by key lazily or loaded, weights given twice), and the refusals when
// no backend at all can hold a batch.
import { describe, expect, it } from 'vitest';
import { getModel, type CompiledSpec } from '@convzoo/models';
import { BackendError, BackendRegistry, type BackendFactory, type CompileOptions, type Model, type TrainableModel, type WeightsSource } from '../src/index.js';
import { inertModel } from './inert-model.js';
import { testMemoryModel } from './test-memory-model.js';

const lenet = getModel('lenet');
const adam = { loss: 'categoricalCrossentropy' as const, optimizer: { kind: 'adam' as const } };

interface Fake extends BackendFactory {
  probes: number;
  /** Each call: which method, and the options it was given. */
  calls: { method: 'compile' | 'compileTrainable'; options: CompileOptions }[];
}

function fake(name: string, priority: number, o: { available?: boolean; lazy?: boolean; limitMiB?: number; train?: boolean } = {}): Fake {
  const memory = o.limitMiB === undefined ? undefined : testMemoryModel(o.limitMiB, `${o.limitMiB} MiB`);
  const f: Fake = {
    name,
    priority,
    probes: 0,
    calls: [],
    ...(o.lazy ? { lazyWeights: true } : {}),
    async probe() {
      f.probes++;
      return o.available === false ? { available: false, reason: `${name} is absent` } : { available: true };
    },
    async memoryModel() {
      return memory;
    },
    async compile(compiled: CompiledSpec, options: CompileOptions): Promise<Model> {
      f.calls.push({ method: 'compile', options });
      return inertModel(compiled, options.backend!);
    },
    ...(o.train === false
      ? {}
      : {
          async compileTrainable(compiled: CompiledSpec, options: CompileOptions) {
            f.calls.push({ method: 'compileTrainable', options });
            return inertModel(compiled, options.backend!) as unknown as TrainableModel;
          },
        }),
  };
  return f;
}

/** A weights source that counts its loads. */
function source(): WeightsSource & { loads: number } {
  const s = {
    key: 'sha256:test',
    loads: 0,
    async load() {
      s.loads++;
      return {};
    },
  };
  return s;
}

describe('BackendRegistry: order and probing', () => {
  it('orders equal priorities by name, and auto takes the first of them', async () => {
    const r = new BackendRegistry();
    for (const n of ['zeta', 'alpha', 'mid']) r.register(fake(n, 5));
    r.register(fake('low', 1));
    expect(r.list().map((b) => b.name)).toEqual(['alpha', 'mid', 'zeta', 'low']);
    expect((await r.resolve('auto')).backend).toBe('alpha');
  });

  it('a replaced factory is probed afresh; the old verdict is not reused', async () => {
    const r = new BackendRegistry();
    r.register(fake('x', 1, { available: false }));
    await expect(r.resolve('x')).rejects.toThrow(/\[x\] x is absent/);
    const fixed = fake('x', 1);
    r.register(fixed, { replace: true });
    expect((await r.resolve('x')).backend).toBe('x');
    expect(fixed.probes).toBe(1);
  });

  it("'auto' for training passes over a higher backend that cannot train, without probing it", async () => {
    const r = new BackendRegistry();
    const inferenceOnly = fake('infer', 9, { train: false });
    r.register(inferenceOnly);
    r.register(fake('trainer', 1));
    expect(await r.resolve('auto', { training: true })).toEqual({ backend: 'trainer', requested: 'auto', skipped: [] });
    expect(inferenceOnly.probes).toBe(0);
  });
});

describe('BackendRegistry.compile routing', () => {
  it('training goes to compileTrainable, inference to compile, with the chosen backend named in the options', async () => {
    const r = new BackendRegistry();
    const b = fake('b', 1);
    r.register(b);
    await r.compile(lenet, { seed: 3 });
    await r.compile(lenet, { training: adam, seed: 4 });
    expect(b.calls.map((c) => [c.method, c.options.backend, c.options.seed])).toEqual([
      ['compile', 'b', 3],
      ['compileTrainable', 'b', 4],
    ]);
  });

  it('weights by key go as they are to a lazy backend for inference, and are loaded (strict) for training or other backends', async () => {
    const r = new BackendRegistry();
    const lazy = fake('lazy', 2, { lazy: true });
    const eager = fake('eager', 1);
    r.register(lazy);
    r.register(eager);
    const s = source();
    await r.compile(lenet, { backend: 'lazy', weightsSource: s });
    expect(s.loads).toBe(0);
    expect(lazy.calls[0]!.options.weightsSource).toBe(s);
    expect(lazy.calls[0]!.options.weights).toBeUndefined();
    await r.compile(lenet, { backend: 'lazy', weightsSource: s, training: adam });
    await r.compile(lenet, { backend: 'eager', weightsSource: s });
    expect(s.loads).toBe(2);
    for (const c of [lazy.calls[1]!, eager.calls[0]!]) {
      expect(c.options).toMatchObject({ weights: {}, strictWeights: true });
      expect(c.options.weightsSource).toBeUndefined();
    }
  });

  it('refuses weights given twice (weights and weightsSource), before loading either', async () => {
    const r = new BackendRegistry();
    const b = fake('b', 1);
    r.register(b);
    const s = source();
    const err = await r.compile(lenet, { weights: {}, weightsSource: s }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as BackendError).code).toBe('input');
    expect((err as Error).message).toBe("compile('lenet'): give 'weights' or 'weightsSource', not both");
    expect(s.loads).toBe(0);
    expect(b.calls).toEqual([]);
  });
});

describe('BackendRegistry: when no backend can hold the batch', () => {
  it('explicit: out-of-memory, saying no other backend fits either', async () => {
    const r = new BackendRegistry();
    r.register(fake('small', 2, { limitMiB: 64 }));
    r.register(fake('smaller', 1, { limitMiB: 32 }));
    r.register(fake('gone', 0, { available: false }));
    const err = await r.compile(lenet, { backend: 'small', batchSize: 4096, training: adam }).catch((e: unknown) => e);
    expect((err as BackendError).code).toBe('out-of-memory');
    expect((err as Error).message).toMatch(
      / on small; it has 64\.00 MiB \(64 MiB\): the largest batch that fits is \d+; no other backend here fits it either$/,
    );
  });

  it("'auto': out-of-memory naming the batch and the model, one line per backend passed over", async () => {
    const r = new BackendRegistry();
    r.register(fake('small', 2, { limitMiB: 64 }));
    r.register(fake('gone', 1, { available: false }));
    const err = await r.compile(lenet, { batchSize: 4096, training: adam }).catch((e: unknown) => e);
    expect((err as BackendError).code).toBe('out-of-memory');
    const lines = (err as Error).message.split('\n');
    expect(lines[0]).toBe('no training-capable backend can hold batch 4096 of lenet here:');
    expect(lines[1]).toMatch(/^ {2}\[small\] lenet at batch 4096 \(training\) needs ~/);
    expect(lines[2]).toBe('  [gone] gone is absent');
    expect(lines).toHaveLength(3);
  });

  it("'auto' with every backend unavailable (no memory involved) is 'unavailable', not out-of-memory", async () => {
    const r = new BackendRegistry();
    r.register(fake('gone', 1, { available: false }));
    const err = await r.compile(lenet, { batchSize: 4 }).catch((e: unknown) => e);
    expect((err as BackendError).code).toBe('unavailable');
    expect((err as Error).message).toBe('no backend can start here:\n  [gone] gone is absent');
  });
});
