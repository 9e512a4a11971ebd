// TFRecord framing: uint64 length (LE), masked crc32c of those 8 bytes, the data, masked crc32c of the data.
import { maskedCrc32c } from './crc32c.js';

export function frameRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + 4 + data.length + 4);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

/** Reads every record back, checking both CRCs; the error names the record and what is wrong. */
export function readRecords(bytes: Uint8Array): Uint8Array[] {
  const records: Uint8Array[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let off = 0;
  while (off < bytes.length) {
    const index = records.length;
    if (off + 12 > bytes.length) throw new Error(`record ${index}: truncated header at byte ${off}`);
    const len = Number(view.getBigUint64(off, true));
    if (view.getUint32(off + 8, true) !== maskedCrc32c(bytes.subarray(off, off + 8))) throw new Error(`record ${index}: length crc mismatch`);
    const end = off + 12 + len;
    if (end + 4 > bytes.length) throw new Error(`record ${index}: truncated data (needs ${len} bytes)`);
    const data = bytes.subarray(off + 12, end);
    if (view.getUint32(end, true) !== maskedCrc32c(data)) throw new Error(`record ${index}: data crc mismatch`);
    records.push(data);
    off = end + 4;
  }
  return records;
}
