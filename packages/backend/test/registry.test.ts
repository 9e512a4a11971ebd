// The registry with fake factories: resolution, 'auto', probing once, one error with every reason, training checks.
import { describe, expect, it, vi } from 'vitest';
import { SpecBuilder, SpecError, type CompiledSpec } from '@convzoo/models';
import { BackendError, BackendRegistry, formatDoctor, type BackendChoice, type BackendFactory, type Model, type TrainableModel } from '../src/index.js';
import { inertModel } from './inert-model.js';

function fake(name: string, priority: number, o: { available?: boolean; reason?: string; canTrain?: boolean } = {}): BackendFactory & { probes: number } {
  const f = {
    name,
    priority,
    probes: 0,
    async probe() {
      f.probes++;
      return o.available === false ? { available: false, reason: o.reason ?? `${name} is missing` } : { available: true, details: `${name} ok` };
    },
    async compile(compiled: CompiledSpec, options: { backend?: string }): Promise<Model> {
      return inertModel(compiled, options.backend!);
    },
    // A fake that trains only says so by having compileTrainable (the model itself is never stepped here).
    ...(o.canTrain ? { compileTrainable: async (c: CompiledSpec, options: { backend?: string }) => (await f.compile(c, options)) as TrainableModel } : {}),
  };
  return f;
}

const spec = () => {
  const b = new SpecBuilder('m');
  return b.build(b.flatten(b.input([2, 2, 1])));
};

describe('BackendRegistry', () => {
  it('lists backends best first and resolves an explicit name', async () => {
    const r = new BackendRegistry();
    r.register(fake('slow', 1));
    r.register(fake('fast', 9));
    expect(r.list().map((b) => b.name)).toEqual(['fast', 'slow']);
    expect(await r.resolve('slow')).toEqual({ backend: 'slow', requested: 'slow', skipped: [] });
    const m = await r.compile(spec(), { backend: 'slow' });
    expect(m.backend).toBe('slow');
  });

  it("'auto' picks the best available backend and reports what it skipped", async () => {
    const r = new BackendRegistry();
    r.register(fake('gpu', 50, { available: false, reason: 'no adapter' }));
    r.register(fake('wasm', 20));
    r.register(fake('cpu', 10));
    const seen: BackendChoice[] = [];
    const m = await r.compile(spec(), { onBackend: (c) => seen.push(c) });
    expect(m.backend).toBe('wasm');
    expect(seen).toEqual([{ backend: 'wasm', requested: 'auto', skipped: [{ name: 'gpu', reason: 'no adapter' }] }]);
  });

  it('never swaps an unavailable requested backend: one error with every reason, prefixed with its name', async () => {
    const r = new BackendRegistry();
    r.register(fake('onnx-cuda', 90, { available: false, reason: 'libonnxruntime_providers_cuda.so not found\nlibcudnn.so.9 not found' }));
    r.register(fake('cpu', 1));
    const err = await r.compile(spec(), { backend: 'onnx-cuda' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as BackendError).code).toBe('unavailable');
    expect((err as Error).message).toBe(
      "backend 'onnx-cuda' cannot start here:\n  [onnx-cuda] libonnxruntime_providers_cuda.so not found\n  [onnx-cuda] libcudnn.so.9 not found",
    );
  });

  it("'auto' with nothing available lists every backend's reason", async () => {
    const r = new BackendRegistry();
    r.register(fake('a', 2, { available: false, reason: 'no A' }));
    r.register(fake('b', 1, { available: false, reason: 'no B' }));
    await expect(r.resolve()).rejects.toThrow('no backend can start here:\n  [a] no A\n  [b] no B');
  });

  it('names the registered backends for an unknown name, with the closest one', async () => {
    const r = new BackendRegistry();
    r.register(fake('tfjs-wasm', 2));
    r.register(fake('tfjs-cpu', 1));
    await expect(r.compile(spec(), { backend: 'tfjs-wsam' })).rejects.toThrow(
      "unknown backend 'tfjs-wsam' (did you mean 'tfjs-wasm'?); registered: tfjs-wasm, tfjs-cpu, or 'auto'",
    );
    await expect(new BackendRegistry().resolve('x')).rejects.toThrow(/no backend is registered \(call an adapter's register function/);
  });

  it('training on a backend that cannot train names those that can; auto skips them', async () => {
    const r = new BackendRegistry();
    r.register(fake('onnx-cpu', 70));
    r.register(fake('tfjs-wasm', 20, { canTrain: true }));
    r.register(fake('tfjs-cpu', 10, { canTrain: true }));
    const training = { loss: 'categoricalCrossentropy' as const, optimizer: { kind: 'adam' as const } };
    const err = (await r.compile(spec(), { backend: 'onnx-cpu', training }).catch((e: unknown) => e)) as BackendError;
    expect(err.code).toBe('cannot-train');
    expect(err.message).toBe("backend 'onnx-cpu' cannot train (no autodiff); backends that can: tfjs-wasm, tfjs-cpu");
    expect((await r.compile(spec(), { training })).backend).toBe('tfjs-wasm');
    expect((await r.compile(spec())).backend).toBe('onnx-cpu');
  });

  it('probes each backend at most once, and a throwing probe counts as unavailable', async () => {
    const r = new BackendRegistry();
    const a = fake('a', 1);
    r.register(a);
    r.register({ ...fake('boom', 5), probe: () => Promise.reject(new Error('segfault-ish')) });
    await Promise.all([r.probe('a'), r.probe('a'), r.resolve('a'), r.doctor()]);
    expect(a.probes).toBe(1);
    expect(await r.probe('boom')).toEqual({ available: false, reason: 'probe failed: segfault-ish' });
  });

  it('validates the spec before any backend is touched', async () => {
    const r = new BackendRegistry();
    const f = fake('a', 1);
    const compile = vi.spyOn(f, 'compile');
    r.register(f);
    const bad = spec();
    bad.outputs = ['nope'];
    await expect(r.compile(bad, { backend: 'a' })).rejects.toBeInstanceOf(SpecError);
    expect(compile).not.toHaveBeenCalled();
  });

  it('refuses a second factory under one name unless replacing; re-registering the same one is harmless', () => {
    const r = new BackendRegistry();
    const a = fake('a', 1);
    r.register(a);
    r.register(a);
    expect(() => r.register(fake('a', 2))).toThrow(/already registered as 'a'/);
    r.register(fake('a', 3), { replace: true });
    expect(r.list()).toEqual([{ name: 'a', priority: 3, canTrain: false }]);
    r.reset();
    expect(r.list()).toEqual([]);
  });

  it('doctor reports every backend, and the format says what auto picks', async () => {
    const r = new BackendRegistry();
    r.register(fake('gpu', 9, { available: false, reason: 'no WebGPU adapter' }));
    r.register(fake('cpu', 1, { canTrain: true }));
    const entries = await r.doctor();
    expect(entries).toEqual([
      { name: 'gpu', priority: 9, canTrain: false, available: false, reason: 'no WebGPU adapter' },
      { name: 'cpu', priority: 1, canTrain: true, available: true, details: 'cpu ok' },
    ]);
    const text = formatDoctor(entries);
    expect(text).toContain('✗ gpu  unavailable  priority 9, inference only\n    no WebGPU adapter');
    expect(text).toContain("1 of 2 backends available; 'auto' picks cpu (for training: cpu)");
  });
});
