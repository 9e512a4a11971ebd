// Collects the nodes and initializers of one ONNX graph, with the attribute helpers the layer emitters need.
import { AttrType, DataType, type AttributeProto, type NodeProto, type TensorProto } from '../proto/onnx.js';

export type AttrValue = number | number[] | string | { float: number } | { floats: number[] };

/** Attributes are ints unless wrapped: `{ float: 1e-3 }`, `{ floats: [...] }`; strings are strings. */
function attribute(name: string, v: AttrValue): AttributeProto {
  if (typeof v === 'string') return { name, type: AttrType.STRING, s: new TextEncoder().encode(v) };
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`ONNX attribute '${name}': ${v} is not an integer; wrap floats as { float }`);
    return { name, type: AttrType.INT, i: v };
  }
  if (Array.isArray(v)) return { name, type: AttrType.INTS, ints: v };
  if ('float' in v) return { name, type: AttrType.FLOAT, f: v.float };
  return { name, type: AttrType.FLOATS, floats: v.floats };
}

function littleEndianBytes(data: Float32Array | BigInt64Array): Uint8Array {
  // Typed arrays use the platform's byte order; every platform ONNX Runtime ships for is little-endian.
  // A view, not a copy: encodeModel copies the bytes into the model buffer anyway, and one fewer copy of every
  // weight is held while a large model (ResNet50: ~100 MB) is exported.
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  /** Operator sets other than ONNX's that nodes use (each needs an opset_import). */
  readonly domains = new Set<string>();
  private readonly names = new Set<string>();

  /** Adds a node; its name must be unique (layer names are, and sub-steps get `<layer>/<step>`). */
  node(opType: string, name: string, inputs: string[], outputs: string[], attrs: Record<string, AttrValue> = {}, domain = ''): void {
    if (this.names.has(`node:${name}`)) throw new Error(`internal: ONNX node name '${name}' used twice`);
    this.names.add(`node:${name}`);
    if (domain) this.domains.add(domain);
    this.nodes.push({
      name,
      op_type: opType,
      input: inputs,
      output: outputs,
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
      ...(domain ? { domain } : {}),
    });
  }

  floatInit(name: string, dims: number[], data: Float32Array): string {
    this.addInit({ name, dims, data_type: DataType.FLOAT, raw_data: littleEndianBytes(data) });
    return name;
  }

  int64Init(name: string, values: number[]): string {
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    this.addInit({ name, dims: [values.length], data_type: DataType.INT64, raw_data: littleEndianBytes(data) });
    return name;
  }

  private addInit(t: TensorProto): void {
    if (this.names.has(`init:${t.name}`)) throw new Error(`internal: ONNX initializer '${t.name}' defined twice`);
    this.names.add(`init:${t.name}`);
    this.initializers.push(t);
  }
}
