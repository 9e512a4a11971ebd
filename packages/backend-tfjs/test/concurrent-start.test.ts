// Two tfjs backends started at once (a CLI probing every backend to suggest one for a typo, Promise.all in a user's
// code): tfjs has one engine, and a second setBackend while the first initialises cancels it. Both must start, and
// a model must run on each afterwards. Its own file: the engine is fresh in this process.
import { describe, expect, it } from 'vitest';
import { SpecBuilder } from '@convzoo/models';
import { BackendRegistry } from '@convzoo/backend';
import { registerTfjsBackends } from '../src/index.js';

describe('starting tfjs backends concurrently', () => {
  it('tfjs-cpu and tfjs-wasm probed at once both start, and both then run a model', async () => {
    const registry = new BackendRegistry();
    registerTfjsBackends({ registry });
    const probes = await Promise.all(['tfjs-wasm', 'tfjs-cpu', 'tfjs-wasm', 'tfjs-cpu'].map((b) => registry.probe(b)));
    expect(probes.map((p) => p.available)).toEqual([true, true, true, true]);
    const b = new SpecBuilder('relu');
    const spec = b.build(b.relu(b.input([2, 2, 1])));
    for (const backend of ['tfjs-wasm', 'tfjs-cpu']) {
      const model = await registry.compile(spec, { backend });
      const [y] = await model.predict({ shape: [1, 2, 2, 1], data: Float32Array.from([-1, 2, -3, 4]) });
      expect([...y!.data], backend).toEqual([0, 2, 0, 4]);
      model.dispose();
    }
  });
});
