// Image decoding with sharp (libvips; installs offline from npm). Output matches PIL's `Image.open(p).convert('RGB')`
// for ordinary 8-bit files: alpha dropped (not composited), grey expanded to RGB, EXIF orientation NOT applied
// (Keras' load_img does not apply it either), and an embedded ICC profile NOT applied: the stored RGB values are
// what PIL-based training pipelines (Keras, torchvision) fed their networks. sharp's default would convert e.g. an
// Adobe RGB JPEG to sRGB (up to 55 levels of difference on a real photo).
import { ImageError } from './errors.js';

/** 8-bit RGB pixels, row-major HWC. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export type SharpModule = typeof import('sharp');
let sharpModule: Promise<SharpModule> | undefined;

/**
 * sharp, imported on first use: it loads a native library, so only image users pay for it. A missing sharp is an
 * ImageError saying what needed it (`use`) and how to install it; a failed import is retried on the next call.
 */
export async function loadSharp(use = 'image decoding'): Promise<SharpModule> {
  sharpModule ??= import('sharp').then((m) => ((m as unknown as { default?: SharpModule }).default ?? m) as SharpModule);
  try {
    return await sharpModule;
  } catch (err) {
    sharpModule = undefined;
    throw new ImageError(`${use} needs the npm package sharp (npm install sharp@^0.34): ${String(err)}`, undefined, { cause: err });
  }
}

/**
 * Decodes a JPEG/PNG (or anything libvips reads) from a path or from bytes. A missing, truncated or non-image file is
 * an ImageError naming `source` (the path, or `name` for bytes).
 */
export async function decodeImage(source: string | Uint8Array, name = typeof source === 'string' ? source : '<bytes>'): Promise<RgbImage> {
  const sharp = await loadSharp();
  try {
    // failOn 'warning' (sharp's default, stated here on purpose): a truncated JPEG is an error, not a grey stripe.
    const { data, info } = await sharp(source, { failOn: 'warning' })
      .keepIccProfile()
      .removeAlpha()
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels, expected 3`);
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ImageError(`${name}: unreadable image (${reason})`, name, { cause: err });
  }
}
