// onnx-cpu's intra-op thread count reaches the ORT session: observed as the worker threads the session starts (ORT
// runs an n-thread pool as the caller plus n - 1 workers, one OS thread each), not as a timing. Linux only: the
// threads are counted in /proc/self/task.
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { BackendRegistry } from '@convzoo/backend';
import { registerOnnxBackends } from '../src/index.js';
import { lenet } from './helpers.js';

const registry = new BackendRegistry();
registerOnnxBackends(registry);
const osThreads = () => readdirSync('/proc/self/task').length;

/** The OS threads one onnx-cpu session adds while it is open (after the runtime itself has started). */
async function threadsAdded(engine?: Record<string, unknown>): Promise<number> {
  const before = osThreads();
  const model = await registry.compile(lenet(), { backend: 'onnx-cpu', ...(engine ? { engine } : {}) });
  const added = osThreads() - before;
  model.dispose();
  return added;
}

describe.runIf(process.platform === 'linux')('onnx-cpu intra-op threads (counted in /proc/self/task, Linux)', () => {
  beforeAll(async () => {
    await threadsAdded({ intraOpNumThreads: 1 }); // the runtime's own start-up threads, out of the counts below
  });

  it('defaults to os.availableParallelism(), not ORT default of one thread on 2 cores', async () => {
    expect(await threadsAdded()).toBe(availableParallelism() - 1);
  });

  it('engine.intraOpNumThreads overrides it', async () => {
    expect(await threadsAdded({ intraOpNumThreads: 1 })).toBe(0);
    expect(await threadsAdded({ intraOpNumThreads: 4 })).toBe(3);
  });

  it('doctor and probe name the count', async () => {
    const probe = await registry.probe('onnx-cpu');
    expect(probe.details).toContain(`${availableParallelism()} intra-op thread`);
  });
});
