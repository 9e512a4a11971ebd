// Hand-encoded tensorflow.Event protobufs: only the fields a TF2 scalar summary needs.
//   Event { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; }
//   Summary { repeated Value value = 1; }  Value { string tag = 1; TensorProto tensor = 8; SummaryMetadata metadata = 9; }
//   SummaryMetadata { PluginData plugin_data = 1; DataClass data_class = 4; }  PluginData { string plugin_name = 1; }
//   TensorProto { DataType dtype = 1; TensorShapeProto tensor_shape = 2; bytes tensor_content = 4; }
// Byte for byte what Keras 3 / TF 2.21 write (checked by decoding a Keras-written file): the float in
// tensor_content, an empty shape, plugin 'scalars'; we add data_class SCALAR, which TensorBoard's data provider reads.

class ProtoWriter {
  private parts: number[] = [];

  private varint(v: number | bigint): void {
    let x = BigInt.asUintN(64, BigInt(v));
    while (x >= 0x80n) {
      this.parts.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    this.parts.push(Number(x));
  }

  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  int(field: number, v: number): this {
    this.tag(field, 0);
    this.varint(v);
    return this;
  }

  double(field: number, v: number): this {
    this.tag(field, 1);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, true);
    this.parts.push(...b);
    return this;
  }

  bytes(field: number, b: Uint8Array): this {
    this.tag(field, 2);
    this.varint(b.length);
    for (const x of b) this.parts.push(x);
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }

  message(field: number, m: ProtoWriter): this {
    return this.bytes(field, m.finish());
  }

  float32LE(field: number, value: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    return this.bytes(field, b);
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

const DT_FLOAT = 1;
const DATA_CLASS_SCALAR = 1;

export function fileVersionEvent(wallTime: number): Uint8Array {
  return new ProtoWriter().double(1, wallTime).string(3, 'brain.Event:2').finish();
}

/** A scalar as `tf.summary.scalar` writes it in TF2: a float tensor tagged for the `scalars` plugin. */
export function scalarEvent(wallTime: number, step: number, tag: string, value: number): Uint8Array {
  const tensor = new ProtoWriter().int(1, DT_FLOAT).message(2, new ProtoWriter()).float32LE(4, value);
  const metadata = new ProtoWriter().message(1, new ProtoWriter().string(1, 'scalars')).int(4, DATA_CLASS_SCALAR);
  const summaryValue = new ProtoWriter().string(1, tag).message(8, tensor).message(9, metadata);
  const summary = new ProtoWriter().message(1, summaryValue);
  return new ProtoWriter().double(1, wallTime).int(2, step).message(5, summary).finish();
}
