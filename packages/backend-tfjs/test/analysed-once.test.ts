// One rule, one place: the registry analyses a spec once (compileSpec) and the adapter reads that analysis, so a
// compile infers shapes exactly once, inference or training, with or without the memory check. Shape inference is
// counted by wrapping spec's own module (every importer, the package entry included, sees the wrapper).
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { counted } from '../../models/test/infer-shapes-counter.js';
import { compile } from '@convzoo/backend';
import { getModel } from '@convzoo/models';
import { NODE_BACKENDS, randomTensor, registerNodeBackends } from './helpers.js';

vi.mock('../../models/src/shapes.js', async (importOriginal) =>
  (await import('../../models/test/infer-shapes-counter.js')).countingShapes(await importOriginal()),
);

describe.each(NODE_BACKENDS)('shapes are inferred once per compile on %s', (backend) => {
  beforeAll(registerNodeBackends);
  const spec = getModel('lenet');
  const training = { loss: 'categoricalCrossentropy' as const, optimizer: { kind: 'adam' as const } };

  it('inference, training, and with the memory check; none while running', async () => {
    const [model, n] = await counted(() => compile(spec, { backend }));
    expect(n).toBe(1);
    const [, inPredict] = await counted(() => model.predict(randomTensor([2, 28, 28, 1], 1)));
    expect(inPredict).toBe(0);
    model.dispose();
    const [trainable, nTrain] = await counted(() => compile(spec, { backend, training }));
    expect(nTrain).toBe(1);
    const [, inStep] = await counted(() => trainable.trainStep(randomTensor([2, 28, 28, 1], 2), randomTensor([2, 10], 3, 0, 1)));
    expect(inStep).toBe(0);
    trainable.dispose();
    const [sized, nSized] = await counted(() => compile(spec, { backend, training, batchSize: 32 }));
    expect(nSized).toBe(1);
    sized.dispose();
  });
});
