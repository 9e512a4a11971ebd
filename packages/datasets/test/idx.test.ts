import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DatasetError, parseIdx, readIdx } from '../src/index.js';
import { idxBytes, tempDir } from './helpers.js';

const images = idxBytes(
  0x08,
  [2, 2, 3],
  Uint8Array.from({ length: 12 }, (_, i) => i * 20),
);

describe('parseIdx', () => {
  it('reads ubyte images as a view of the bytes', () => {
    const arr = parseIdx(images, 'mem');
    expect(arr.dtype).toBe('uint8');
    expect(arr.shape).toEqual([2, 2, 3]);
    expect([...arr.data]).toEqual(Array.from({ length: 12 }, (_, i) => i * 20));
    expect(arr.data.buffer).toBe(images.buffer);
  });

  it('decodes the wider IDX types big-endian', () => {
    const body = new Uint8Array(8);
    const view = new DataView(body.buffer);
    view.setInt16(0, -2);
    view.setInt16(2, 300);
    expect([...parseIdx(idxBytes(0x0b, [2], body.subarray(0, 4)), 'm').data]).toEqual([-2, 300]);
    view.setFloat32(0, 1.5);
    view.setFloat32(4, -0.25);
    const f = parseIdx(idxBytes(0x0d, [1, 2], body), 'm');
    expect(f.dtype).toBe('float32');
    expect([...f.data]).toEqual([1.5, -0.25]);
    view.setFloat64(0, Math.PI);
    expect([...parseIdx(idxBytes(0x0e, [1], body), 'm').data]).toEqual([Math.PI]);
    view.setInt32(0, -123456);
    expect([...parseIdx(idxBytes(0x0c, [1], body.subarray(0, 4)), 'm').data]).toEqual([-123456]);
    expect([...parseIdx(idxBytes(0x09, [2], Uint8Array.of(0xff, 5)), 'm').data]).toEqual([-1, 5]);
  });

  it('rejects a wrong magic number, naming the file and the magic found', () => {
    const bad = images.slice();
    bad[0] = 0x1f; // e.g. a PNG or another format
    expect(() => parseIdx(bad, 'train-images-idx3-ubyte')).toThrow(/train-images-idx3-ubyte: not an IDX file: magic number 0x1f000803/);
    const unknownType = images.slice();
    unknownType[2] = 0x0a;
    expect(() => parseIdx(unknownType, 'f')).toThrow(/magic number 0x00000a03/);
    expect(() => parseIdx(images, 'f')).not.toThrow();
  });

  it('rejects a type or rank other than the caller expects', () => {
    const floats = idxBytes(0x0d, [1, 1, 1], new Uint8Array(4));
    expect(() => parseIdx(floats, 'imgs', { dtype: 'uint8' })).toThrow(/imgs: expected IDX type uint8, found float32 \(code 0x0d\)/);
    expect(() => parseIdx(images, 'labels', { ndim: 1 })).toThrow(/labels: expected 1 dimensions \(magic 0x00000801\), found 3 \(magic 0x00000803\)/);
    expect(() => parseIdx(images, 'x', { shape: [null, 28, 28] })).toThrow(/expected shape \[\*, 28, 28\], found \[2, 2, 3\]/);
  });

  it('rejects truncated files and trailing bytes with expected and found sizes', () => {
    expect(() => parseIdx(images.subarray(0, images.length - 1), 'f')).toThrow(
      /f: IDX file truncated: header says \[2, 2, 3\] uint8 = 28 bytes, found 27 bytes/,
    );
    expect(() => parseIdx(images.subarray(0, 9), 'f')).toThrow(/truncated IDX header: expected 16 bytes for 3 dimensions, found 9/);
    expect(() => parseIdx(images.subarray(0, 2), 'f')).toThrow(/too short/);
    const longer = new Uint8Array(images.length + 3);
    longer.set(images);
    expect(() => parseIdx(longer, 'f')).toThrow(/trailing bytes: .* = 28 bytes, found 31 bytes/);
  });
});

describe('readIdx', async () => {
  const dir = await tempDir();

  it('reads raw and gzip files alike', async () => {
    await writeFile(join(dir, 'a-idx3-ubyte'), images);
    await writeFile(join(dir, 'a-idx3-ubyte.gz'), gzipSync(images));
    const raw = await readIdx(join(dir, 'a-idx3-ubyte'));
    const gz = await readIdx(join(dir, 'a-idx3-ubyte.gz'));
    expect(gz.shape).toEqual(raw.shape);
    expect([...gz.data]).toEqual([...raw.data]);
  });

  it('names the file when it is truncated, corrupt or missing', async () => {
    const path = join(dir, 'cut-idx3-ubyte');
    await writeFile(path, images.subarray(0, 20));
    const err = await readIdx(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as DatasetError).path).toBe(path);
    expect((err as Error).message).toContain(`${path}: IDX file truncated`);

    const gz = gzipSync(images);
    await writeFile(join(dir, 'cut.gz'), gz.subarray(0, gz.length - 6));
    await expect(readIdx(join(dir, 'cut.gz'))).rejects.toThrow(/cut\.gz: corrupt or truncated gzip data/);
    await expect(readIdx(join(dir, 'absent'))).rejects.toThrow(/absent: cannot read IDX file/);
  });
});
