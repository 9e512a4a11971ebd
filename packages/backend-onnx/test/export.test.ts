import { describe, expect, it } from 'vitest';
import { SpecBuilder } from '@convzoo/models';
import { buildOnnxModel, decodeModel, toOnnx, CONVZOO_VERSION, type NodeProto } from '../src/index.js';
import { lenet, seededWeights } from './helpers.js';

const attr = (node: NodeProto | undefined, name: string) => node?.attribute.find((a) => a.name === name);
const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

describe('toOnnx', () => {
  it('writes IR 8, the opset asked for, readable names and convzoo metadata', () => {
    const spec = lenet();
    const m = decodeModel(toOnnx(spec, seededWeights(spec), { opset: 15 }));
    expect(m.ir_version).toBe(8);
    expect(m.opset_import).toEqual([{ domain: '', version: 15 }]);
    expect(m.producer_name).toBe('convzoo');
    const meta = Object.fromEntries(m.metadata_props.map((p) => [p.key, p.value]));
    expect(meta['convzoo.version']).toBe(CONVZOO_VERSION);
    expect(meta['convzoo.spec_name']).toBe('lenet');
    expect(JSON.parse(meta['convzoo.spec']!)).toEqual(spec);
    expect(m.graph.name).toBe('lenet');
    expect(m.graph.input.map((v) => v.name)).toEqual(['input_layer']);
    expect(m.graph.output.map((v) => v.name)).toEqual(['dense_1']);
    const names = m.graph.node.map((n) => n.name);
    for (const layer of ['conv2d', 'max_pooling2d', 'conv2d_1', 'flatten', 'dense', 'dense_1']) expect(names).toContain(layer);
    const dims = Object.fromEntries(m.graph.initializer.map((t) => [t.name, t.dims]));
    expect(dims['conv2d_1/kernel']).toEqual([50, 20, 5, 5]); // OIHW
    expect(dims['dense/kernel']).toEqual([800, 500]); // Keras [in, out], rows kept in (h, w, c) order
  });

  it("adds caller metadata (e.g. a preprocessing recipe) and refuses to overwrite convzoo's own keys", () => {
    const spec = lenet();
    const m = decodeModel(toOnnx(spec, seededWeights(spec), { metadata: { 'convzoo.recipe': '{"preprocessing":"caffe"}', author: 'me' } }));
    const meta = Object.fromEntries(m.metadata_props.map((p) => [p.key, p.value]));
    expect(meta['convzoo.recipe']).toBe('{"preprocessing":"caffe"}');
    expect(meta.author).toBe('me');
    expect(meta['convzoo.spec_name']).toBe('lenet');
    expect(() => toOnnx(spec, seededWeights(spec), { metadata: { 'convzoo.spec': '{}' } })).toThrow(/metadata key 'convzoo\.spec' is reserved/);
  });

  it('transposes conv kernels HWIO -> OIHW element by element', () => {
    const b = new SpecBuilder('k');
    const spec = b.build(b.conv2d(b.input([4, 4, 2]), { filters: 3, kernelSize: [2, 1], useBias: false }));
    const w = seededWeights(spec);
    const m = buildOnnxModel(spec, w);
    const init = m.graph.initializer.find((t) => t.name === 'conv2d/kernel')!;
    const oihw = new Float32Array(init.raw_data.slice().buffer);
    const hwio = w['conv2d/kernel']!.data;
    for (let y = 0; y < 2; y++)
      for (let i = 0; i < 2; i++)
        for (let o = 0; o < 3; o++) {
          expect(oihw[(o * 2 + i) * 2 + y]).toBe(hwio[(y * 2 + i) * 3 + o]);
        }
  });

  it("writes TensorFlow 'same' padding explicitly: the odd cell after, never auto_pad", () => {
    const b = new SpecBuilder('same');
    let x = b.input([8, 7, 3]);
    x = b.conv2d(x, { filters: 4, kernelSize: 3, strides: 2, padding: 'same', name: 'c' });
    x = b.avgPool2d(x, { poolSize: 2, strides: 1, padding: 'same', name: 'p' });
    const spec = b.build(x);
    const m = buildOnnxModel(spec, seededWeights(spec));
    const conv = m.graph.node.find((n) => n.name === 'c');
    // height 8, stride 2, kernel 3: total padding 1 -> 0 before, 1 after; width 7: total 2 -> 1 and 1.
    expect(attr(conv, 'pads')?.ints).toEqual([0, 1, 1, 1]);
    expect(attr(conv, 'auto_pad')).toBeUndefined();
    const pool = m.graph.node.find((n) => n.name === 'p');
    expect(attr(pool, 'pads')?.ints).toEqual([0, 0, 1, 1]);
    expect(attr(pool, 'count_include_pad')?.i).toBe(0);
  });

  it('converts LRN depth_radius/alpha to ONNX size = 2r + 1 and alpha * size', () => {
    const b = new SpecBuilder('lrn');
    const spec = b.build(b.lrn(b.input([4, 4, 8]), { depthRadius: 2, alpha: 1e-4, beta: 0.75, bias: 2 }));
    const lrn = buildOnnxModel(spec, {}).graph.node.find((n) => n.op_type === 'LRN');
    expect(attr(lrn, 'size')?.i).toBe(5);
    expect(attr(lrn, 'alpha')?.f).toBeCloseTo(5e-4, 10);
    expect(attr(lrn, 'beta')?.f).toBeCloseTo(0.75, 7);
    expect(attr(lrn, 'bias')?.f).toBe(2);
  });

  it('writes BN epsilon from the spec and resize with Keras half-pixel semantics', () => {
    const b = new SpecBuilder('bn');
    let x = b.batchNorm(b.input([4, 4, 2]), { epsilon: 1e-5, name: 'bn' });
    x = b.resize(x, { size: [7, 3], method: 'nearest', name: 'up' });
    const spec = b.build(x);
    const m = buildOnnxModel(spec, seededWeights(spec));
    expect(
      attr(
        m.graph.node.find((n) => n.name === 'bn'),
        'epsilon',
      )?.f,
    ).toBeCloseTo(1e-5, 12);
    const up = m.graph.node.find((n) => n.name === 'up');
    expect(text(attr(up, 'coordinate_transformation_mode')?.s)).toBe('half_pixel');
    expect(text(attr(up, 'nearest_mode')?.s)).toBe('round_prefer_ceil');
  });

  it('rejects missing, misshapen and unknown weights, and opsets outside 13..17, naming them', () => {
    const spec = lenet();
    const w = seededWeights(spec);
    const { 'dense/bias': _, ...missing } = w;
    expect(() => toOnnx(spec, missing)).toThrow(/toOnnx\(lenet\): weight 'dense\/bias' of model 'lenet' is missing/);
    expect(() => toOnnx(spec, { ...w, 'dense/bias': { shape: [5], data: new Float32Array(5) } })).toThrow(/'dense\/bias' has shape \[5\].*expects \[500\]/);
    expect(() => toOnnx(spec, { ...w, 'nope/kernel': { shape: [1], data: new Float32Array(1) } })).toThrow(/unknown weight 'nope\/kernel' for model 'lenet'/);
    expect(() => toOnnx(spec, w, { opset: 12 })).toThrow(/option opset must be an integer from 13 to 17, got 12/);
  });
});
