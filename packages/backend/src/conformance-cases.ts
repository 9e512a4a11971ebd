// What the conformance suite runs: small graphs that exercise every layer kind and option (the corners where
// engines disagree: explicit and 'same' padding, dilation with stride, groups, avg pooling over padding, LRN,
// half-pixel resizing, multiple inputs and outputs), then every architecture of the spec registry at a small size.
import { getModel, listModels, SpecBuilder, type ModelSpec } from '@convzoo/models';

export interface ConformanceCase {
  /** Test title, e.g. `resnet50 (torchvision)`. */
  name: string;
  /** The spec, or a function building it (built when its tests run, not at import). */
  spec: ModelSpec | (() => ModelSpec);
  /** The registered architecture and flavour a case runs (architecture cases), for the coverage check. */
  model?: { name: string; flavour: string };
  /**
   * Parity (and shapes, dispose) only: the weight read-back check is an adapter property that the family's first
   * member already covers. Set for the deeper repeats of a family, to keep the suite within its time budget.
   */
  parityOnly?: boolean;
}

type Node = ReturnType<SpecBuilder['input']>;

/** The padding corners of a convolution, shared with the training parity: explicit, 'same' at stride 2, zero pad. */
export function convPaddingCorners(b: SpecBuilder, x: Node): Node {
  // 11x9 -> explicit (2,0 | 1,3), stride (2,1): 6x12 -> 'same' stride 2: 3x6 -> zero pad: 4x9 -> flatten 216.
  const explicit = b.conv2d(x, { filters: 4, kernelSize: [3, 2], strides: [2, 1], padding: { top: 2, bottom: 0, left: 1, right: 3 } });
  const same = b.conv2d(explicit, { filters: 6, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh' });
  return b.flatten(b.zeroPad2d(same, { padding: { top: 1, bottom: 0, left: 2, right: 1 } }));
}

/** The padding corners of pooling, shared with the training parity: max/avg 'same' and explicit, summed. */
export function poolPaddingCorners(b: SpecBuilder, x: Node): Node {
  const maxSame = b.maxPool2d(x, { poolSize: 3, strides: 2, padding: 'same' });
  const avgSame = b.avgPool2d(x, { poolSize: 3, strides: 2, padding: 'same' });
  const maxExplicit = b.maxPool2d(b.activation(x, { activation: 'tanh' }), { poolSize: 3, strides: 2, padding: { top: 1, bottom: 1, left: 1, right: 1 } });
  const avgExplicit = b.avgPool2d(x, { poolSize: 2, strides: 2, padding: { top: 1, bottom: 0, left: 0, right: 0 } });
  return b.add([maxSame, avgSame, maxExplicit, avgExplicit]);
}

/**
 * conv + BN + a 1 MiB dense layer, for the adapters' leak tests: a compile that kept its weights would grow memory
 * by >= 100 MiB over their 100 compile/dispose cycles.
 */
export function leakProbeSpec(name: string): ModelSpec {
  const b = new SpecBuilder(name);
  const x = b.input([8, 8, 4]);
  const c = b.batchNorm(b.conv2d(x, { filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }));
  const d = b.dense(b.flatten(c), { units: 512, activation: 'relu' });
  return b.build(b.dense(d, { units: 10, activation: 'softmax' }));
}

function convCorners(): ModelSpec {
  const b = new SpecBuilder('conv_corners');
  const x = b.input([11, 9, 4]);
  const a = convPaddingCorners(b, x);
  // Dilation 2 with stride 2 (tfjs refuses both at once), then a grouped conv: 6x5x4 -> 6x5x6 -> 6.
  const dilated = b.conv2d(x, { filters: 4, kernelSize: 3, dilation: 2, strides: 2, padding: 'same', activation: 'relu' });
  const grouped = b.conv2d(dilated, { filters: 6, kernelSize: 3, groups: 2, padding: 'same', useBias: false });
  const c = b.globalAvgPool2d(grouped);
  return b.build(b.dense(b.concat([a, c]), { units: 3, activation: 'sigmoid' }));
}

function poolCorners(): ModelSpec {
  const b = new SpecBuilder('pool_corners');
  const added = poolPaddingCorners(b, b.input([7, 10, 3]));
  const pooled = b.avgPool2d(added, { poolSize: 2, strides: 1 });
  return b.build([b.flatten(pooled), b.maxPool2d(added, { poolSize: 2 })]);
}

function normResize(): ModelSpec {
  const b = new SpecBuilder('norm_resize');
  const image = b.input([5, 6, 8], { name: 'image' });
  const extra = b.input([7, 4, 3], { name: 'extra' });
  const lrn = b.lrn(image, { depthRadius: 2, bias: 2, alpha: 1e-1, beta: 0.75 });
  const up = b.resize(lrn, { size: [10, 9], method: 'bilinear' });
  const near = b.resize(b.conv2d(image, { filters: 3, kernelSize: 1 }), { size: [10, 9], method: 'nearest' });
  const down = b.resize(extra, { size: [10, 9], method: 'bilinear' });
  const cat = b.concat([up, near, down]);
  const bn = b.batchNorm(cat, { center: false });
  const bn2 = b.batchNorm(b.relu(bn), { scale: false, epsilon: 1e-5 });
  const drop = b.dropout(bn2, { rate: 0.5 });
  const flat = b.flatten(drop);
  return b.build([b.dense(flat, { units: 5, activation: 'softmax' }), b.dense(flat, { units: 2, useBias: false })]);
}

/** Small graphs covering every layer kind and option. */
export function layerCases(): ConformanceCase[] {
  return [
    { name: 'layers: conv padding, stride+dilation, groups', spec: convCorners },
    { name: 'layers: max/avg pooling over same and explicit padding', spec: poolCorners },
    { name: 'layers: LRN, resize, BatchNorm, dropout, two inputs and outputs', spec: normResize },
  ];
}

/** Deeper members of a family: more of the same blocks, no new layer kind or wiring (see `parityOnly`). */
const DEEPER_REPEATS: ReadonlySet<string> = new Set([
  'vgg13',
  'vgg13_bn',
  'vgg16',
  'vgg16_bn',
  'vgg19',
  'vgg19_bn',
  'resnet34',
  'resnet101',
  'resnet152',
  'plain56',
  'resnet56',
]);

/** Per-model options that keep a case small without removing a layer kind (the tutorial GoogLeNet resizes to 224). */
const SMALL: Record<string, Record<string, unknown>> = {
  googlenet: { resizeTo: 96 },
};

/** The side of the square test input: the model's minimum, but at least 32 so spatial layers see real windows. */
const testSide = (min: number) => Math.max(min, 32);

/**
 * Every flavour of every registered architecture, small input, 10 classes. The list comes from the spec registry,
 * so a newly registered model or flavour joins the suite (and needs a reference fixture, see fixtures/README.md).
 */
export function architectureCases(): ConformanceCase[] {
  return listModels().flatMap((m) =>
    m.flavours.map((flavour) => {
      const [side, , channels] = m.inputShapes[flavour]!.minInputShape;
      const inputShape = [testSide(side), testSide(side), channels];
      // The tutorial AlexNet's point is its Dense(1) sigmoid head: keep its default classes.
      const classes = m.name === 'alexnet' && flavour === 'tutorial' ? {} : { classes: 10 };
      return {
        name: `${m.name} (${flavour}, ${inputShape.join('x')})`,
        model: { name: m.name, flavour },
        ...(DEEPER_REPEATS.has(m.name) ? { parityOnly: true } : {}),
        spec: () => getModel(m.name, { flavour, inputShape, ...classes, ...(flavour === 'tutorial' ? SMALL[m.name] : {}) }),
      };
    }),
  );
}

/** Registered architecture flavours that no case in `cases` runs (`name (flavour)`): must be empty. */
export function uncoveredModels(cases: readonly ConformanceCase[]): string[] {
  const covered = new Set(cases.flatMap((c) => (c.model ? [`${c.model.name} (${c.model.flavour})`] : [])));
  return listModels()
    .flatMap((m) => m.flavours.map((f) => `${m.name} (${f})`))
    .filter((k) => !covered.has(k));
}

export function defaultConformanceCases(): ConformanceCase[] {
  return [...layerCases(), ...architectureCases()];
}
