import { describe, expect, it } from 'vitest';
import { SpecBuilder, SpecError, validate, type Layer, type ModelSpec, type SpecRule } from '../src/index.js';
import { tutorialLeNet } from './fixtures.js';

/** A LeNet spec with one edit applied, bypassing the builder's own check. */
function edited(edit: (s: ModelSpec, layer: (name: string) => Record<string, unknown>) => void): ModelSpec {
  const spec = structuredClone(tutorialLeNet());
  const layer = (name: string) => spec.layers.find((l) => l.name === name) as unknown as Record<string, unknown>;
  edit(spec, layer);
  return spec;
}

/** The builder's graph as a spec without build()'s validation: what validate() is tested on. */
function unvalidated(b: SpecBuilder, outputs: string[]): ModelSpec {
  const inputs = b.layers.filter((l) => l.kind === 'input').map((l) => l.name);
  return { format: 'convzoo.spec/1', name: b.name, inputs, outputs, layers: b.layers };
}

function expectBroken(spec: ModelSpec, rule: SpecRule, layer: string | null) {
  let error: unknown;
  try {
    validate(spec);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(SpecError);
  const e = error as SpecError;
  expect({ rule: e.rule, layer: e.layer }).toEqual({ rule, layer });
  expect(e.message).toContain(`[${rule}]`);
  if (layer !== null) expect(e.message).toContain(`layer '${layer}'`);
}

/** The tutorial LeNet with `edit` applied breaks `rule` at `layer`. */
const expectEditBroken = (edit: Parameters<typeof edited>[0], rule: SpecRule, layer: string | null) => expectBroken(edited(edit), rule, layer);

describe('validate', () => {
  it('accepts the tutorial LeNet', () => {
    expect(() => validate(tutorialLeNet())).not.toThrow();
  });

  it('rejects an unknown input reference', () => {
    expectEditBroken((_, l) => (l('conv2d_1').inputs = ['max_pool']), 'unknown-input', 'conv2d_1');
  });

  it('rejects layers out of topological order, and cycles', () => {
    expectEditBroken((s) => s.layers.reverse(), 'topological-order', 'dense_1');
    expectEditBroken((_, l) => (l('conv2d').inputs = ['max_pooling2d']), 'cycle', 'conv2d');
    expectEditBroken((_, l) => (l('flatten').inputs = ['flatten']), 'cycle', 'flatten');
  });

  it('rejects duplicate names, in specs and in the builder', () => {
    expectEditBroken((_, l) => (l('dense_1').name = 'dense'), 'duplicate-name', 'dense');
    const b = new SpecBuilder('t');
    const x = b.input([4, 4, 1], { name: 'x' });
    expect(() => b.flatten(x, { name: 'x' })).toThrow(/layer 'x'.*duplicate-name/);
  });

  it('rejects unknown kinds and malformed fields', () => {
    expectEditBroken((_, l) => (l('flatten').kind = 'reshape'), 'unknown-kind', 'flatten');
    expectEditBroken((_, l) => delete l('conv2d').strides, 'field', 'conv2d');
    expectEditBroken((_, l) => (l('dense').activation = 'gelu'), 'field', 'dense');
  });

  it('rejects non-positive sizes, strides, filters and units', () => {
    expectEditBroken((_, l) => (l('conv2d').filters = 0), 'non-positive', 'conv2d');
    expectEditBroken((_, l) => (l('conv2d').strides = [1, -1]), 'non-positive', 'conv2d');
    expectEditBroken((_, l) => (l('conv2d_1').kernelSize = [0, 5]), 'non-positive', 'conv2d_1');
    expectEditBroken((_, l) => (l('max_pooling2d').poolSize = [2, 0]), 'non-positive', 'max_pooling2d');
    expectEditBroken((_, l) => (l('dense').units = -5), 'non-positive', 'dense');
    expectEditBroken((_, l) => (l('input_layer').shape = [28, 0, 1]), 'non-positive', 'input_layer');
  });

  it('rejects a kernel or pool larger than its padded input', () => {
    expectEditBroken((_, l) => (l('conv2d_1').kernelSize = [13, 3]), 'kernel-too-large', 'conv2d_1');
    expectEditBroken((_, l) => (l('conv2d_1').dilation = [1, 4]), 'kernel-too-large', 'conv2d_1');
    expectEditBroken((_, l) => (l('max_pooling2d_1').poolSize = [9, 9]), 'kernel-too-large', 'max_pooling2d_1');
    // the same kernel fits once padded
    expect(() =>
      validate(edited((_, l) => Object.assign(l('conv2d_1'), { kernelSize: [13, 3], padding: { top: 6, bottom: 6, left: 1, right: 1 } }))),
    ).not.toThrow();
  });

  it('rejects mismatched concat and add', () => {
    const branches = (merge: 'concat' | 'add', strides: number, filters = 4) => {
      const b = new SpecBuilder('t');
      const x = b.input([8, 8, 4]);
      const a = b.conv2d(x, { filters: 4, kernelSize: 1 });
      const c = b.conv2d(x, { filters, kernelSize: 1, strides });
      b.layers.push({ name: 'merge', kind: merge, inputs: [a, c], ...(merge === 'concat' ? { axis: -1 } : {}) } as Layer);
      return unvalidated(b, ['merge']);
    };
    expect(() => validate(branches('concat', 1, 6))).not.toThrow();
    expectBroken(branches('concat', 2), 'concat-mismatch', 'merge');
    expect(() => validate(branches('add', 1))).not.toThrow();
    expectBroken(branches('add', 1, 6), 'add-mismatch', 'merge');
    expectBroken(branches('add', 2), 'add-mismatch', 'merge');
  });

  it('rejects dense on an image, suggesting flatten', () => {
    const spec = edited((s) => {
      s.layers = s.layers.filter((l) => l.name !== 'flatten');
      (s.layers.find((l) => l.name === 'dense') as Layer).inputs = ['max_pooling2d_1'];
    });
    expectBroken(spec, 'dense-input-rank', 'dense');
    expect(() => validate(spec)).toThrow(/flatten/);
  });

  it('rejects image layers on a flat input', () => {
    const pooled = edited((_, l) => Object.assign(l('dense'), { kind: 'maxPool2d', poolSize: [2, 2], strides: [2, 2], padding: 'valid' }));
    expectBroken(pooled, 'input-rank', 'dense');
  });

  it('rejects missing or unknown model inputs and outputs', () => {
    expectEditBroken((s) => (s.outputs = []), 'model-outputs', null);
    expectEditBroken((s) => (s.outputs = ['dense_2']), 'model-outputs', 'dense_2');
    expectEditBroken((s) => (s.inputs = []), 'model-inputs', null);
    expectEditBroken((s) => (s.inputs = ['conv2d']), 'model-inputs', 'conv2d');
    expectEditBroken((s) => (s.inputs = ['image']), 'model-inputs', 'image');
  });

  it('rejects wrong input counts', () => {
    expectEditBroken((_, l) => (l('conv2d_1').inputs = ['max_pooling2d', 'conv2d']), 'arity', 'conv2d_1');
  });

  it('rejects a dropout rate outside [0, 1)', () => {
    const withDropout = (rate: number) => {
      const b = new SpecBuilder('t');
      const x = b.input([2, 2, 1]);
      b.layers.push({ name: 'drop', kind: 'dropout', inputs: [x], rate });
      return unvalidated(b, ['drop']);
    };
    expect(() => validate(withDropout(0))).not.toThrow();
    expectBroken(withDropout(1), 'dropout-rate', 'drop');
    expectBroken(withDropout(-0.1), 'dropout-rate', 'drop');
  });

  it('rejects groups that do not divide the channels', () => {
    expectEditBroken((_, l) => (l('conv2d_1').groups = 3), 'groups', 'conv2d_1');
    expectEditBroken((_, l) => Object.assign(l('conv2d_1'), { groups: 4, filters: 50 }), 'groups', 'conv2d_1');
  });

  it('runs when the builder finishes a graph', () => {
    const b = new SpecBuilder('tiny');
    const x = b.conv2d(b.input([4, 4, 1]), { filters: 1, kernelSize: 5 });
    expect(() => b.build(x)).toThrow(/layer 'conv2d'.*kernel-too-large/);
  });
});

describe('validate: sizes that cannot be allocated', () => {
  const base = (filters: number, input: [number, number, number] = [28, 28, 1]): ModelSpec => {
    const b = new SpecBuilder('huge');
    b.conv2d(b.input(input, { name: 'in' }), { filters, kernelSize: 5, name: 'conv' });
    return unvalidated(b, ['conv']);
  };

  it('refuses 1e12 filters with the size the weights would need, naming layer and weight', () => {
    // The output (24, 24, 1e12) is checked first: it is as unallocatable as the kernel.
    expect(() => validate(base(1e12, [5, 5, 1]))).toThrow(
      /layer 'conv': \[too-large\] output \(1, 1, 1000000000000\) needs 1,000,000,000,000 float32 values \(3\.638 TiB\) per image; one tensor holds at most 1,073,741,824 float32 values \(4\.000 GiB\)/,
    );
    const wide = new SpecBuilder('wide');
    wide.dense(wide.flatten(wide.input([100, 100, 3], { name: 'in' }), { name: 'f' }), { units: 1e6, name: 'd' });
    const dense = unvalidated(wide, ['d']);
    expect(() => validate(dense)).toThrow(/layer 'd': \[too-large\] weight 'd\/kernel' \[30000, 1000000\] needs 30,000,000,000 float32 values \(111\.8 GiB\)/);
    expect(() => validate(base(1e300))).toThrow(/\[too-large\].*5\.760e\+302 float32 values/);
  });

  it('accepts the largest real tensor (VGG16 fc1, 102,760,448 values)', () => {
    expect(() => validate(base(64, [224, 224, 3]))).not.toThrow();
  });
});
