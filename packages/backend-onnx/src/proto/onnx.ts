// The part of the ONNX IR convzoo writes, as typed plain objects, and their protobuf encoding through protobufjs
// with the pinned official onnx.proto (see proto/onnx.proto and onnx-descriptor.ts). Field names follow the .proto.
import protobuf from 'protobufjs/light.js';
import { onnxDescriptor } from './onnx-descriptor.js';

/** TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, INT64: 7 } as const;
/** AttributeProto.AttributeType values used here. */
export const AttrType = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7 } as const;

export interface TensorProto {
  name: string;
  dims: number[];
  data_type: number;
  /** Little-endian element bytes. */
  raw_data: Uint8Array;
}

export interface AttributeProto {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  floats?: number[];
  ints?: number[];
}

export interface NodeProto {
  name: string;
  op_type: string;
  input: string[];
  output: string[];
  attribute: AttributeProto[];
  /** The operator set of op_type; '' or absent: ONNX's own. */
  domain?: string;
  doc_string?: string;
}

/** A dimension is a fixed size or a symbolic name (`batch`). */
export type Dim = number | string;

export interface ValueInfoProto {
  name: string;
  type: { tensor_type: { elem_type: number; shape: { dim: Array<{ dim_value: number } | { dim_param: string }> } } };
}

export interface GraphProto {
  name: string;
  node: NodeProto[];
  initializer: TensorProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
  doc_string?: string;
}

export interface ModelProto {
  ir_version: number;
  opset_import: Array<{ domain: string; version: number }>;
  producer_name: string;
  producer_version: string;
  doc_string?: string;
  graph: GraphProto;
  metadata_props: Array<{ key: string; value: string }>;
}

export function valueInfo(name: string, elemType: number, dims: Dim[]): ValueInfoProto {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) },
      },
    },
  };
}

let modelType: protobuf.Type | undefined;
const modelProtoType = (): protobuf.Type =>
  (modelType ??= protobuf.Root.fromJSON(onnxDescriptor as protobuf.INamespace).lookupType('onnx.ModelProto'));

export function encodeModel(model: ModelProto): Uint8Array {
  const type = modelProtoType();
  return type.encode(type.fromObject(model)).finish();
}

/** Decoded back to plain objects (bytes as Uint8Array, int64 as numbers): for tests and inspection. */
export function decodeModel(bytes: Uint8Array): ModelProto {
  const type = modelProtoType();
  return type.toObject(type.decode(bytes), { longs: Number, defaults: false, arrays: true }) as ModelProto;
}
