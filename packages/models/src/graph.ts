// A small functional-API builder, like Keras' `layers.X(...)(x)`: each call appends one layer and returns its
// name, which is the handle the next call takes. Unnamed layers get Keras' automatic names (conv2d, conv2d_1, ...).
import type { ActivationName, Layer, ModelSpec, Padding, Pair, ResizeLayer, Shape3, ZeroPad2DLayer } from './types.js';
import { SpecError } from './errors.js';
import { validate } from './compiled.js';
import { LAYER_DEFS } from './kinds.js';

export type PairLike = number | Pair;
export type PaddingLike = number | Pair | ZeroPad2DLayer['padding'];

/** A layer without its name (given or automatic), one member per kind so literals are checked. */
export type LayerInit = Layer extends infer L ? (L extends Layer ? Omit<L, 'name' | 'trainable'> & Named : never) : never;

const pair = (v: PairLike): Pair => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);

/** Keras ZeroPadding2D accepts 1, (sym_h, sym_w) or an explicit box. */
export function paddingBox(p: PaddingLike): ZeroPad2DLayer['padding'] {
  if (typeof p === 'number') return { top: p, bottom: p, left: p, right: p };
  if (Array.isArray(p)) return { top: p[0], bottom: p[0], left: p[1], right: p[1] };
  return { ...p };
}

interface Named {
  name?: string;
  trainable?: boolean;
}

export interface Conv2DOptions extends Named {
  filters: number;
  kernelSize: PairLike;
  strides?: PairLike;
  padding?: Padding;
  dilation?: PairLike;
  groups?: number;
  useBias?: boolean;
  activation?: ActivationName;
}
export interface DenseOptions extends Named {
  units: number;
  useBias?: boolean;
  activation?: ActivationName;
}
export interface Pool2DOptions extends Named {
  poolSize: PairLike;
  /** Keras default: the pool size. */
  strides?: PairLike;
  padding?: Padding;
}
export interface BatchNormOptions extends Named {
  epsilon?: number;
  momentum?: number;
  center?: boolean;
  scale?: boolean;
}
export interface ResizeOptions extends Named {
  size: Pair;
  method?: ResizeLayer['method'];
}
export interface LrnOptions extends Named {
  depthRadius?: number;
  bias?: number;
  alpha?: number;
  beta?: number;
}

export class SpecBuilder {
  readonly layers: Layer[] = [];
  private readonly inputNames: string[] = [];
  private readonly counters = new Map<string, number>();
  private readonly used = new Set<string>();

  constructor(readonly name: string) {}

  private nameFor(kind: Layer['kind'], given?: string): string {
    if (given !== undefined) {
      if (this.used.has(given)) {
        throw new SpecError(`the name '${given}' is already used`, { rule: 'duplicate-name', layer: given, model: this.name });
      }
      this.used.add(given);
      return given;
    }
    const prefix = LAYER_DEFS[kind].namePrefix;
    for (;;) {
      const n = this.counters.get(prefix) ?? 0;
      this.counters.set(prefix, n + 1);
      const candidate = n === 0 ? prefix : `${prefix}_${n}`;
      if (!this.used.has(candidate)) {
        this.used.add(candidate);
        return candidate;
      }
    }
  }

  private push(layer: LayerInit): string {
    const { name: given, trainable, ...rest } = layer;
    const name = this.nameFor(layer.kind, given);
    const full = { name, ...rest, ...(trainable === false ? { trainable: false } : {}) } as unknown as Layer;
    this.layers.push(full);
    return name;
  }

  input(shape: Shape3, o: Named = {}): string {
    const name = this.push({ kind: 'input', inputs: [], shape: [...shape] as Shape3, ...o });
    this.inputNames.push(name);
    return name;
  }

  conv2d(x: string, o: Conv2DOptions): string {
    return this.push({
      kind: 'conv2d',
      inputs: [x],
      filters: o.filters,
      kernelSize: pair(o.kernelSize),
      strides: pair(o.strides ?? 1),
      padding: o.padding ?? 'valid',
      dilation: pair(o.dilation ?? 1),
      groups: o.groups ?? 1,
      useBias: o.useBias ?? true,
      activation: o.activation ?? 'linear',
      name: o.name,
      trainable: o.trainable,
    });
  }

  dense(x: string, o: DenseOptions): string {
    return this.push({
      kind: 'dense',
      inputs: [x],
      units: o.units,
      useBias: o.useBias ?? true,
      activation: o.activation ?? 'linear',
      name: o.name,
      trainable: o.trainable,
    });
  }

  private pool(kind: 'maxPool2d' | 'avgPool2d', x: string, o: Pool2DOptions): string {
    return this.push({
      kind,
      inputs: [x],
      poolSize: pair(o.poolSize),
      strides: pair(o.strides ?? o.poolSize),
      padding: o.padding ?? 'valid',
      name: o.name,
    });
  }
  maxPool2d(x: string, o: Pool2DOptions): string {
    return this.pool('maxPool2d', x, o);
  }
  avgPool2d(x: string, o: Pool2DOptions): string {
    return this.pool('avgPool2d', x, o);
  }
  globalAvgPool2d(x: string, o: Named = {}): string {
    return this.push({ kind: 'globalAvgPool2d', inputs: [x], name: o.name });
  }
  zeroPad2d(x: string, o: Named & { padding: PaddingLike }): string {
    return this.push({ kind: 'zeroPad2d', inputs: [x], padding: paddingBox(o.padding), name: o.name });
  }
  batchNorm(x: string, o: BatchNormOptions = {}): string {
    return this.push({
      kind: 'batchNorm',
      inputs: [x],
      epsilon: o.epsilon ?? 1e-3,
      momentum: o.momentum ?? 0.99,
      center: o.center ?? true,
      scale: o.scale ?? true,
      name: o.name,
      trainable: o.trainable,
    });
  }
  activation(x: string, o: Named & { activation: ActivationName }): string {
    return this.push({ kind: 'activation', inputs: [x], activation: o.activation, name: o.name });
  }
  relu(x: string, o: Named = {}): string {
    return this.activation(x, { ...o, activation: 'relu' });
  }
  dropout(x: string, o: Named & { rate: number }): string {
    return this.push({ kind: 'dropout', inputs: [x], rate: o.rate, name: o.name });
  }
  flatten(x: string, o: Named = {}): string {
    return this.push({ kind: 'flatten', inputs: [x], name: o.name });
  }
  concat(xs: string[], o: Named = {}): string {
    return this.push({ kind: 'concat', inputs: [...xs], axis: -1, name: o.name });
  }
  add(xs: string[], o: Named = {}): string {
    return this.push({ kind: 'add', inputs: [...xs], name: o.name });
  }
  resize(x: string, o: ResizeOptions): string {
    return this.push({ kind: 'resize', inputs: [x], size: [...o.size] as Pair, method: o.method ?? 'bilinear', name: o.name });
  }
  lrn(x: string, o: LrnOptions = {}): string {
    return this.push({
      kind: 'lrn',
      inputs: [x],
      depthRadius: o.depthRadius ?? 5,
      bias: o.bias ?? 1,
      alpha: o.alpha ?? 1,
      beta: o.beta ?? 0.5,
      name: o.name,
    });
  }

  /**
   * Any kind, with the fields of its KIND_FIELDS entry spelled out (no defaults): the way to a kind that has no method
   * above yet, e.g. a new one. Returns the layer's name.
   */
  layer(init: LayerInit): string {
    const name = this.push(init);
    if (init.kind === 'input') this.inputNames.push(name);
    return name;
  }

  /**
   * Finish the graph. Outputs are layer names, in the order the model returns them. The spec is validated here,
   * so a builder mistake (a kernel too large for its input, a mismatched add) surfaces at build time.
   */
  build(outputs: string | string[], meta?: ModelSpec['meta']): ModelSpec {
    const spec: ModelSpec = {
      format: 'convzoo.spec/1',
      name: this.name,
      inputs: [...this.inputNames],
      outputs: typeof outputs === 'string' ? [outputs] : [...outputs],
      layers: this.layers.map((l) => structuredClone(l)),
      ...(meta ? { meta: { ...meta } } : {}),
    };
    validate(spec);
    return spec;
  }
}
