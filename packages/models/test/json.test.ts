import { describe, expect, it } from 'vitest';
import { SpecBuilder, SpecError, countParams, specFromJSON, specToJSON, summary } from '../src/index.js';
import { tutorialLeNet } from './fixtures.js';

function graphWithEverything() {
  const b = new SpecBuilder('everything');
  const x = b.input([16, 16, 3]);
  const z = b.zeroPad2d(x, { padding: { top: 1, bottom: 0, left: 2, right: 1 } });
  const c = b.conv2d(z, { filters: 8, kernelSize: [3, 1], strides: 2, padding: 'same', dilation: [1, 2], groups: 1, useBias: false });
  const n = b.batchNorm(c, { trainable: false });
  const r = b.lrn(b.relu(n), { depthRadius: 2, alpha: 1e-4, beta: 0.75 });
  const p = b.maxPool2d(r, { poolSize: 3, strides: 1, padding: 'same' });
  const a = b.avgPool2d(r, { poolSize: 3, strides: 1, padding: { top: 1, bottom: 1, left: 1, right: 1 } });
  const cat = b.concat([p, a]);
  const s = b.add([cat, b.conv2d(cat, { filters: 16, kernelSize: 1 })]);
  const up = b.resize(s, { size: [16, 16], method: 'nearest' });
  const g = b.globalAvgPool2d(up);
  const d = b.dense(b.dropout(g, { rate: 0.5 }), { units: 4, activation: 'softmax' });
  const aux = b.dense(b.flatten(s), { units: 2 });
  return b.build([d, aux], { flavour: 'test', year: 2026, paper: false, note: 'tricky [a,b], "quoted"\n[1,\n2]' });
}

describe('JSON', () => {
  it('round-trips every layer kind', () => {
    const spec = graphWithEverything();
    const text = specToJSON(spec);
    const back = specFromJSON(text, 'everything.json');
    expect(back).toEqual(spec);
    expect(summary(back)).toBe(summary(spec));
    expect(countParams(specFromJSON(specToJSON(tutorialLeNet()))).total).toBe(431_080);
    expect(text).toContain('"kernelSize": [3, 1]');
  });

  const lenetJSON = () => JSON.parse(specToJSON(tutorialLeNet())) as Record<string, unknown> & { layers: Record<string, unknown>[] };
  const load = (data: unknown) => () => specFromJSON(typeof data === 'string' ? data : JSON.stringify(data), 'models/lenet.json');

  it('names the file and the problem for broken files', () => {
    expect(load('{ "format": ')).toThrow(/^models\/lenet\.json: \[format\] not valid JSON/);
    expect(load([1, 2])).toThrow(/models\/lenet\.json: \[format\] a spec must be a JSON object/);
    expect(load({ ...lenetJSON(), format: 'keras' })).toThrow(/models\/lenet\.json: \[format\] field 'format' must be 'convzoo\.spec\/1', got "keras"/);
    expect(load({ ...lenetJSON(), outputz: [] })).toThrow(/\[field\] unknown field 'outputz'/);
    expect(load({ ...lenetJSON(), name: 3 })).toThrow(/\[field\] field 'name'/);
    expect(load({ ...lenetJSON(), outputs: 'dense_1' })).toThrow(/model 'sequential': \[field\] field 'outputs'/);
    expect(load({ ...lenetJSON(), meta: { a: [1] } })).toThrow(/field 'meta'/);
  });

  it('names the layer and field inside the file', () => {
    const typo = lenetJSON();
    typo.layers[1]!.kernel_size = [5, 5];
    expect(load(typo)).toThrow(/models\/lenet\.json, model 'sequential', layer 'conv2d': \[field\] unknown field 'kernel_size'/);
    const wrongType = lenetJSON();
    wrongType.layers[1]!.strides = 1;
    expect(load(wrongType)).toThrow(/layer 'conv2d': \[field\] field 'strides' of a conv2d layer must be a pair/);
    const badGraph = lenetJSON();
    badGraph.layers[3]!.kernelSize = [20, 20];
    let err: unknown;
    try {
      load(badGraph)();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SpecError);
    expect(err).toMatchObject({ rule: 'kernel-too-large', layer: 'conv2d_1', source: 'models/lenet.json' });
  });
});
