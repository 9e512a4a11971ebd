import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { crc32c, fit, frameRecord, maskedCrc32c, readRecords, TensorBoard } from '../src/index.js';
import { FakeModel, toyData } from './fake-model.js';

// The subset of tensorflow/core/util/event.proto and summary.proto that scalars use, to decode independently.
const schema = protobuf.parse(
  `
syntax = "proto3";
message TensorShapeProto { message Dim { int64 size = 1; } repeated Dim dim = 2; }
message TensorProto { int32 dtype = 1; TensorShapeProto tensor_shape = 2; bytes tensor_content = 4; }
message PluginData { string plugin_name = 1; bytes content = 2; }
message SummaryMetadata { PluginData plugin_data = 1; int32 data_class = 4; }
message Value { string tag = 1; float simple_value = 2; TensorProto tensor = 8; SummaryMetadata metadata = 9; }
message Summary { repeated Value value = 1; }
message Event { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; }
`,
  { keepCase: true },
).root;
const Event = schema.lookupType('Event');

const ascii = (s: string) => new TextEncoder().encode(s);

describe('crc32c', () => {
  it('matches the standard check value and RFC 3720 vectors', () => {
    expect(crc32c(ascii('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('masks as TensorFlow: rotate right 15, add 0xa282ead8', () => {
    // Values printed by TensorBoard 2.21's own tensorboard.summary.writer.record_writer.masked_crc32c.
    expect(maskedCrc32c(ascii('123456789'))).toBe(0xc78ab0e5);
    expect(maskedCrc32c(ascii('hello'))).toBe(0x191c1fbb);
  });
});

describe('TFRecord framing', () => {
  it('writes length, masked crc of length, data, masked crc of data, and reads it back', () => {
    const data = ascii('hello');
    const rec = frameRecord(data);
    expect(rec.length).toBe(8 + 4 + 5 + 4);
    expect(Array.from(rec.subarray(0, 8))).toEqual([5, 0, 0, 0, 0, 0, 0, 0]);
    const view = new DataView(rec.buffer);
    expect(view.getUint32(8, true)).toBe(maskedCrc32c(rec.subarray(0, 8)));
    expect(view.getUint32(17, true)).toBe(maskedCrc32c(data));
    expect(readRecords(rec).map((r) => new TextDecoder().decode(r))).toEqual(['hello']);
    const corrupt = rec.slice();
    corrupt[13] = corrupt[13]! ^ 1;
    expect(() => readRecords(corrupt)).toThrow(/record 0: data crc mismatch/);
    expect(() => readRecords(rec.subarray(0, 15))).toThrow(/record 0: truncated data/);
  });
});

describe('TensorBoard callback', () => {
  it('writes Keras layout: train/ and validation/ event files with epoch_* TF2 scalars at step = epoch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tb-'));
    const tb = new TensorBoard(dir);
    const m = new FakeModel({ features: 4, classes: 3 });
    const h = await fit(m, toyData(40, 3), { epochs: 3, batchSize: 8, validationSplit: 0.25, callbacks: [tb] });
    expect(readdirSync(dir).sort()).toEqual(['train', 'validation']);
    for (const [sub, prefix] of [
      ['train', ''],
      ['validation', 'val_'],
    ] as const) {
      const files = readdirSync(join(dir, sub));
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/^events\.out\.tfevents\.\d+\..+\.v2$/);
      const events = readRecords(new Uint8Array(readFileSync(join(dir, sub, files[0]!)))).map((r) => Event.toObject(Event.decode(r), { longs: Number }));
      expect(events[0]!.file_version).toBe('brain.Event:2');
      const epochEvents = events.slice(1).filter((e) => e.summary.value[0].tag.startsWith('epoch_'));
      const iterationEvents = events.slice(1).filter((e) => !e.summary.value[0].tag.startsWith('epoch_'));
      if (sub === 'validation') {
        // Keras also logs validation metrics against optimizer updates: 4 steps per epoch here.
        expect(iterationEvents.map((e) => [e.summary.value[0].tag, e.step])).toEqual(
          [1, 2, 3].flatMap((ep) => [
            ['evaluation_loss_vs_iterations', 4 * ep],
            ['evaluation_accuracy_vs_iterations', 4 * ep],
          ]),
        );
      } else {
        expect(iterationEvents).toEqual([]);
      }
      const scalars = epochEvents.map((e) => {
        const v = e.summary.value[0];
        expect(v.metadata.plugin_data.plugin_name).toBe('scalars');
        expect(v.tensor.dtype).toBe(1);
        const content = v.tensor.tensor_content as Uint8Array;
        expect(content).toHaveLength(4);
        return { step: e.step ?? 0, tag: v.tag, value: new DataView(content.buffer, content.byteOffset, 4).getFloat32(0, true) };
      });
      expect(scalars.map((s) => s.tag).sort()).toEqual(['epoch_accuracy', 'epoch_accuracy', 'epoch_accuracy', 'epoch_loss', 'epoch_loss', 'epoch_loss']);
      for (const s of scalars) {
        const key = `${prefix}${s.tag.slice('epoch_'.length)}`;
        expect(s.value).toBeCloseTo(h.history[key]![s.step]!, 6);
      }
    }
  });
});
