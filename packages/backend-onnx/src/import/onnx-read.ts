// Reading a decoded ONNX model: tensors (raw_data or the typed fields), attributes by name, and the one error type
// every refusal of the importer throws, naming the node, its op and the model's opset.
import type { AttributeProto, NodeProto, TensorProto } from '../proto/onnx.js';

/** Opsets of the default domain the importer reads (the operators it maps did not change meaning across them). */
export const IMPORT_MIN_OPSET = 11;
export const IMPORT_MAX_OPSET = 21;

export interface OnnxImportErrorInit {
  node?: string;
  op?: string;
  opset?: number;
}

/** Why an ONNX graph cannot become a convzoo spec: `node`, `op` and `opset` name where (when one node is at fault). */
export class OnnxImportError extends Error {
  readonly node: string | undefined;
  readonly op: string | undefined;
  readonly opset: number | undefined;
  constructor(detail: string, where: OnnxImportErrorInit = {}) {
    const at = where.node === undefined ? '' : ` node '${where.node}' (${where.op ?? '?'}, opset ${where.opset ?? '?'}):`;
    super(`importOnnx:${at} ${detail}`);
    this.name = 'OnnxImportError';
    this.node = where.node;
    this.op = where.op;
    this.opset = where.opset;
  }
}

/** TensorProto.DataType values the importer reads. */
const FLOAT = 1;
const INT32 = 6;
const INT64 = 7;
const DOUBLE = 11;

/** A constant: float data as Float32Array, integer data as plain numbers. */
export interface ConstTensor {
  dims: number[];
  data: Float32Array | number[];
}

type WireTensor = TensorProto & { float_data?: number[]; int32_data?: number[]; int64_data?: number[]; double_data?: number[]; data_location?: number };

/** The values of an initializer or Constant; external data and types beyond float/double/int32/int64 are refused. */
export function readTensor(t: TensorProto, where: string): ConstTensor {
  const w = t as WireTensor;
  const dims = (w.dims ?? []).map(Number);
  const count = dims.reduce((a, b) => a * b, 1);
  if (w.data_location === 1)
    throw new OnnxImportError(
      `tensor '${w.name}' of ${where} keeps its data in an external file; save the model with its weights inside (onnx.save_model(..., save_as_external_data=False))`,
    );
  const raw = w.raw_data && w.raw_data.length > 0 ? w.raw_data : undefined;
  const view = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : undefined;
  switch (w.data_type) {
    case FLOAT: {
      if (view) return { dims, data: Float32Array.from({ length: count }, (_, i) => view.getFloat32(i * 4, true)) };
      return { dims, data: Float32Array.from(w.float_data ?? []) };
    }
    case DOUBLE: {
      if (view) return { dims, data: Float32Array.from({ length: count }, (_, i) => view.getFloat64(i * 8, true)) };
      return { dims, data: Float32Array.from(w.double_data ?? []) };
    }
    case INT64: {
      if (view) return { dims, data: Array.from({ length: count }, (_, i) => Number(view.getBigInt64(i * 8, true))) };
      return { dims, data: (w.int64_data ?? []).map(Number) };
    }
    case INT32: {
      if (view) return { dims, data: Array.from({ length: count }, (_, i) => view.getInt32(i * 4, true)) };
      return { dims, data: (w.int32_data ?? []).map(Number) };
    }
    default:
      throw new OnnxImportError(`tensor '${w.name}' of ${where} has data type ${w.data_type}; only float, double, int32 and int64 are read`);
  }
}

/** A node's attributes by name, with typed getters that fall back to the operator's default. */
export class Attrs {
  private readonly byName: Map<string, AttributeProto>;
  constructor(node: NodeProto) {
    this.byName = new Map((node.attribute ?? []).map((a) => [a.name, a]));
  }
  has(name: string): boolean {
    return this.byName.has(name);
  }
  int(name: string, fallback: number): number {
    const a = this.byName.get(name);
    return a?.i === undefined ? fallback : Number(a.i);
  }
  float(name: string, fallback: number): number {
    return this.byName.get(name)?.f ?? fallback;
  }
  ints(name: string, fallback: number[]): number[] {
    const a = this.byName.get(name);
    return a?.ints === undefined || a.ints.length === 0 ? fallback : a.ints.map(Number);
  }
  string(name: string, fallback: string): string {
    const s = this.byName.get(name)?.s;
    return s === undefined ? fallback : new TextDecoder().decode(s);
  }
  tensor(name: string): TensorProto | undefined {
    return (this.byName.get(name) as (AttributeProto & { t?: TensorProto }) | undefined)?.t;
  }
  floats(name: string): number[] | undefined {
    return this.byName.get(name)?.floats;
  }
}
