// Views of a spec the model tests compare against published tables: one row per layer, parameters per layer.
import { inferShapes, paramInfos, paramSize, type Layer, type ModelSpec } from '../../src/index.js';

export interface Row {
  name: string;
  kind: Layer['kind'];
  shape: number[];
  params: number;
}

export function rows(spec: ModelSpec): Row[] {
  const shapes = inferShapes(spec);
  const params = new Map<string, number>();
  for (const p of paramInfos(spec)) params.set(p.layer, (params.get(p.layer) ?? 0) + paramSize(p));
  return spec.layers.map((l) => ({ name: l.name, kind: l.kind, shape: shapes.get(l.name)!, params: params.get(l.name) ?? 0 }));
}

/** A layer of one kind (`Layer & { kind }` keeps Pool2DLayer, whose kind is a union, for both pool kinds). */
type OfKind<K extends Layer['kind']> = Layer & { kind: K };

export function layer<K extends Layer['kind']>(spec: ModelSpec, name: string, kind: K): OfKind<K> {
  const found = spec.layers.find((l) => l.name === name);
  if (found === undefined) throw new Error(`no layer '${name}' in ${spec.name}`);
  if (found.kind !== kind) throw new Error(`layer '${name}' of ${spec.name} is a ${found.kind}, not a ${kind}`);
  return found as OfKind<K>;
}

export const shapeOf = (spec: ModelSpec, name: string) => {
  const s = inferShapes(spec).get(name);
  if (s === undefined) throw new Error(`no layer '${name}' in ${spec.name}`);
  return s;
};

export const outputShapes = (spec: ModelSpec) => {
  const shapes = inferShapes(spec);
  return spec.outputs.map((o) => shapes.get(o));
};

export const ofKind = <K extends Layer['kind']>(spec: ModelSpec, kind: K) => spec.layers.filter((l): l is OfKind<K> => l.kind === kind);
