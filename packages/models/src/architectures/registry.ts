// The model registry: every architecture by name, with the options it takes. Options arrive untyped (from the CLI,
// JSON, a web form), so each entry declares a parser per option; an option the entry does not declare, or a value
// its parser rejects, is an Error naming the model and the option. Names follow torchvision's convention
// (vgg16_bn, inception_v3), which is also the one pretrained-weight registries use. An entry also carries its
// pretrained weight tags (pretrained-tags.ts): `getModel('resnet50', { weights: 'keras_imagenet' })` is the spec those
// weights fit.
import { editDistance } from '../names.js';
import { ACTIVATIONS } from '../schema.js';
import type { ModelSpec, Shape3 } from '../types.js';
import { alexnet, ALEXNET_FLAVOURS } from './alexnet.js';
import { cifarResnet, plainNet } from './cifar.js';
import { ModelOptionError } from './common.js';
import { GOOGLENET_FLAVOURS, googlenet } from './googlenet.js';
import { inceptionV3 } from './inception-v3.js';
import { LENET_FLAVOURS, lenet } from './lenet.js';
import { WEIGHT_TAGS } from './pretrained-tags.js';
import { tutorialResnet } from './residual.js';
import { RESNET_FLAVOURS, defaultResNetFlavour, resnet, type ResNetName } from './resnet.js';
import { vgg, type VggName } from './vgg.js';
import { findWeightTag, weightsBuildOptions, WeightsOptionError, type WeightTag, type WeightTagInfo } from './weight-tags.js';

type Parser<T> = (value: unknown, model: string, option: string) => T;

const fail = (model: string, option: string, expected: string, value: unknown): never => {
  throw new ModelOptionError(model, option, `must be ${expected}, got ${JSON.stringify(value)}`);
};
const positiveInt: Parser<number> = (v, m, o) => (Number.isInteger(v) && (v as number) > 0 ? (v as number) : fail(m, o, 'a positive integer', v));
const positiveNumber: Parser<number> = (v, m, o) => (typeof v === 'number' && v > 0 && Number.isFinite(v) ? v : fail(m, o, 'a positive number', v));
const bool: Parser<boolean> = (v, m, o) => (typeof v === 'boolean' ? v : fail(m, o, 'true or false', v));
const shape3: Parser<Shape3> = (v, m, o) =>
  Array.isArray(v) && v.length === 3 && v.every((d) => Number.isInteger(d) && d > 0)
    ? [v[0] as number, v[1] as number, v[2] as number]
    : fail(m, o, '[height, width, channels] of positive integers', v);
const oneOf =
  <T extends string>(values: readonly T[]): Parser<T> =>
  (v, m, o) =>
    values.find((x) => x === v) ?? fail(m, o, `one of ${values.map((x) => `'${x}'`).join(', ')}`, v);
const activation = oneOf(ACTIVATIONS);
const positiveIntOrFalse: Parser<number | false> = (v, m, o) =>
  v === false ? false : Number.isInteger(v) && (v as number) > 0 ? (v as number) : fail(m, o, 'a positive integer or false', v);

type Schema = Record<string, Parser<unknown>>;
type Parsed<S extends Schema> = { [K in keyof S]?: S[K] extends Parser<infer T> ? T : never };

/** Options every classifier entry takes. */
const classifier = { inputShape: shape3, classes: positiveInt, classifierActivation: activation, includeTop: bool };

export interface FlavourShapes {
  /** The input the flavour is built for when no inputShape is given. */
  defaultInputShape: Shape3;
  /** The smallest input (square, default options) the flavour's graph accepts; every layer keeps >= 1x1. */
  minInputShape: Shape3;
}

export interface ModelInfo extends FlavourShapes {
  name: string;
  description: string;
  /** Flavour names; the first is the default. */
  flavours: string[];
  /** Default and minimum input per flavour (the top-level fields are the default flavour's). */
  inputShapes: Record<string, FlavourShapes>;
  /** Option names getModel accepts for this model (`weights` where it has pretrained weights). */
  options: string[];
  /** Its pretrained weight tags (`getModel(name, { weights: tag })`), the default first; details: listWeightTags. */
  weights: string[];
}

interface Entry extends ModelInfo {
  tags: readonly WeightTag[];
  create(options: Record<string, unknown>): ModelSpec;
}

function entry<S extends Schema>(
  info: { name: string; description: string; inputShapes: Record<string, FlavourShapes>; flavours: readonly string[] },
  schema: S,
  build: (options: Parsed<S>) => ModelSpec,
): Entry {
  const first = info.flavours[0]!;
  const shapes = info.inputShapes[first]!;
  const tags = WEIGHT_TAGS[info.name] ?? [];
  return {
    name: info.name,
    description: info.description,
    flavours: [...info.flavours],
    inputShapes: info.inputShapes,
    defaultInputShape: shapes.defaultInputShape,
    minInputShape: shapes.minInputShape,
    options: [...Object.keys(schema), ...(tags.length ? ['weights'] : [])],
    weights: tags.map((t) => t.tag),
    tags,
    create(options) {
      const parsed: Parsed<S> = {};
      for (const [key, value] of Object.entries(options)) {
        if (value === undefined) continue;
        const parse = Object.hasOwn(schema, key) ? schema[key] : undefined;
        if (parse === undefined) {
          throw new ModelOptionError(info.name, key, `is not accepted; ${info.name} accepts ${Object.keys(schema).join(', ')}`);
        }
        Object.assign(parsed, { [key]: parse(value, info.name, key) });
      }
      return build(parsed);
    },
  };
}

const square = (s: number, c: number): Shape3 => [s, s, c];
const shapes = (defaultSize: number, min: number, c = 3): FlavourShapes => ({ defaultInputShape: square(defaultSize, c), minInputShape: square(min, c) });

const VGG_TEXT: Record<VggName, string> = { vgg11: 'VGG11 (config A)', vgg13: 'VGG13 (config B)', vgg16: 'VGG16 (config D)', vgg19: 'VGG19 (config E)' };
const vggEntries = (Object.keys(VGG_TEXT) as VggName[]).flatMap((config) => {
  const options = { ...classifier, flavour: oneOf(['keras'] as const), pooling: oneOf(['avg'] as const) };
  return [
    entry(
      { name: config, description: `${VGG_TEXT[config]}, keras.applications layout and names`, flavours: ['keras'], inputShapes: { keras: shapes(224, 32) } },
      options,
      (o) => vgg(config, o),
    ),
    entry(
      {
        name: `${config}_bn`,
        description: `${VGG_TEXT[config]} with BatchNorm after every conv (torchvision ${config}_bn)`,
        flavours: ['keras'],
        inputShapes: { keras: shapes(224, 32) },
      },
      { ...options, bnEpsilon: positiveNumber },
      (o) => vgg(config, { ...o, batchNorm: true }),
    ),
  ];
});

const RESNET_TEXT: Record<ResNetName, string> = {
  resnet18: 'ResNet18 (basic blocks 2-2-2-2)',
  resnet34: 'ResNet34 (basic blocks 3-4-6-3)',
  resnet50: 'ResNet50 (bottlenecks 3-4-6-3)',
  resnet101: 'ResNet101 (bottlenecks 3-4-23-3)',
  resnet152: 'ResNet152 (bottlenecks 3-8-36-3)',
};
const resnetEntries = (Object.keys(RESNET_TEXT) as ResNetName[]).map((name) => {
  const first = defaultResNetFlavour(name);
  const flavours = [first, ...RESNET_FLAVOURS.filter((f) => f !== first)];
  return entry(
    {
      name,
      description: `${RESNET_TEXT[name]}; flavours keras.applications / torchvision`,
      flavours,
      inputShapes: { keras: shapes(224, 1), torchvision: shapes(224, 1) },
    },
    { ...classifier, flavour: oneOf(RESNET_FLAVOURS), pooling: oneOf(['avg'] as const), bnEpsilon: positiveNumber },
    (o) => resnet(name, o),
  );
});

const cifarEntries = [20, 56].flatMap((depth) => {
  const options = { ...classifier, flavour: oneOf(['paper'] as const), bnEpsilon: positiveNumber, bnMomentum: positiveNumber };
  const inputShapes = { paper: shapes(32, 1) };
  return [
    entry(
      {
        name: `plain${depth}`,
        description: `CIFAR plain net, ${depth} layers (He et al. 2015, 4.2; the degradation figure)`,
        flavours: ['paper'],
        inputShapes,
      },
      options,
      (o) => plainNet({ ...o, depth }),
    ),
    entry(
      {
        name: `resnet${depth}`,
        description: `CIFAR ResNet, ${depth} layers (He et al. 2015, 4.2; 1x1 projection shortcuts)`,
        flavours: ['paper'],
        inputShapes,
      },
      options,
      (o) => cifarResnet({ ...o, depth }),
    ),
  ];
});

const ENTRIES: Entry[] = [
  entry(
    {
      name: 'lenet',
      description: "LeNet as in the tutorial (ReLU, max pool, 20-50 maps, dense 500); flavour 'lenet5': LeCun 1998",
      flavours: LENET_FLAVOURS,
      inputShapes: { tutorial: shapes(28, 16, 1), lenet5: shapes(28, 1, 1) },
    },
    { ...classifier, flavour: oneOf(LENET_FLAVOURS) },
    lenet,
  ),
  entry(
    {
      name: 'alexnet',
      description: "AlexNet as in the tutorial (BatchNorm, ZeroPadding, Dense(1) sigmoid unless classes > 1); flavour 'torchvision'",
      flavours: ALEXNET_FLAVOURS,
      inputShapes: { tutorial: shapes(224, 67), torchvision: shapes(224, 63) },
    },
    { ...classifier, flavour: oneOf(ALEXNET_FLAVOURS) },
    alexnet,
  ),
  ...vggEntries,
  entry(
    {
      name: 'googlenet',
      description: "GoogLeNet as in the tutorial (CIFAR 32x32 resized to 224, aux heads); flavour 'torchvision' (BatchNorm)",
      flavours: GOOGLENET_FLAVOURS,
      inputShapes: { tutorial: shapes(32, 1), torchvision: shapes(224, 15) },
    },
    { ...classifier, flavour: oneOf(GOOGLENET_FLAVOURS), aux: bool, resizeTo: positiveIntOrFalse },
    googlenet,
  ),
  entry(
    {
      name: 'inception_v3',
      description: 'Inception-v3, torchvision layout (factorised 7x1/1x7 and 3x1/1x3 convs, BatchNorm)',
      flavours: ['torchvision'],
      inputShapes: { torchvision: shapes(299, 75) },
    },
    { ...classifier, flavour: oneOf(['torchvision'] as const), aux: bool },
    inceptionV3,
  ),
  ...resnetEntries,
  entry(
    {
      name: 'resnet_tutorial',
      description: "The tutorial's small MNIST ResNet (pre-activation residual units 8-16-32-64)",
      flavours: ['tutorial'],
      inputShapes: { tutorial: shapes(28, 4, 1) },
    },
    { ...classifier, flavour: oneOf(['tutorial'] as const), bnEpsilon: positiveNumber },
    tutorialResnet,
  ),
  ...cifarEntries,
];

const BY_NAME = new Map(ENTRIES.map((e) => [e.name, e]));

/** Every registered architecture, in a stable order (by family, then depth). */
export function listModels(): ModelInfo[] {
  return ENTRIES.map(({ create: _create, tags: _tags, ...info }) => structuredClone(info));
}

/** Registered names within a few edits of `name` (or containing it), closest first. */
export function closeModelNames(name: string): string[] {
  const wanted = name.toLowerCase().replace(/[-\s]/g, '_');
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  return ENTRIES.map((e) => ({ name: e.name, d: editDistance(wanted, e.name) }))
    .filter(({ name: n, d }) => d <= limit || (wanted.length >= 3 && n.includes(wanted)))
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
    .slice(0, 5)
    .map((m) => m.name);
}

function findEntry(name: string): Entry {
  const found = BY_NAME.get(name);
  if (found === undefined) {
    const close = closeModelNames(name);
    const hint = close.length ? `did you mean ${close.map((n) => `'${n}'`).join(', ')}?` : `known models: ${ENTRIES.map((e) => e.name).join(', ')}`;
    throw new Error(`unknown model '${name}'; ${hint}`);
  }
  return found;
}

const tagInfo = (model: string, tag: WeightTag): WeightTagInfo => structuredClone({ ...tag, model, id: `${model}.${tag.tag}` });

/** Every pretrained weight tag (of `model`, or of all models), the default of each model first. */
export function listWeightTags(model?: string): WeightTagInfo[] {
  const entries = model === undefined ? ENTRIES : [findEntry(model)];
  return entries.flatMap((e) => e.tags.map((t) => tagInfo(e.name, t)));
}

/**
 * A weight tag by model and tag (`'resnet50', 'keras_imagenet'`; an alias such as `keras-imagenet` too), or by its
 * full name (`'resnet50.keras_imagenet'`). Unknown tags fail listing the model's tags.
 */
export function getWeightTag(model: string, tag?: string): WeightTagInfo {
  const [name, asked] = tag === undefined ? splitWeightId(model) : [model, tag];
  const entry = findEntry(name);
  if (entry.tags.length === 0) {
    const withWeights = listWeightTags().map((t) => t.id);
    throw new WeightsOptionError(name, asked, 'weights', `${name}: no pretrained weights; models with weights: ${withWeights.join(', ')}`);
  }
  return tagInfo(name, findWeightTag(name, entry.tags, asked));
}

function splitWeightId(id: string): [string, string] {
  const dot = id.lastIndexOf('.');
  if (dot <= 0) throw new Error(`'${id}' is not a weight tag's full name (<model>.<tag>, e.g. resnet50.keras_imagenet)`);
  return [id.slice(0, dot), id.slice(dot + 1)];
}

/**
 * The spec of a registered architecture. `options` are the builder's keyword options (inputShape, classes,
 * includeTop, flavour, and the family's own: aux, batchNorm variants, bnEpsilon, ...). `weights: tag` gives the spec
 * that pretrained weight set fits (the tag's builder options; options contradicting the weights fail naming both).
 */
export function getModel(name: string, options: Record<string, unknown> = {}): ModelSpec {
  const found = findEntry(name);
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new Error(`${name}: options must be an object, got ${JSON.stringify(options)}`);
  const { weights, ...rest } = options;
  if (weights === undefined) return found.create(rest);
  if (typeof weights !== 'string') throw new ModelOptionError(name, 'weights', `must be a weight tag (a string), got ${JSON.stringify(weights)}`);
  const tag = getWeightTag(name, weights);
  return found.create(weightsBuildOptions(name, weights, tag, rest));
}
