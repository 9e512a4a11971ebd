// imageTransforms for Node: the same transforms, plus reading a file (or its bytes) with sharp.
import type { Tensor } from '@convzoo/backend';
import { decodeImage } from './decode.js';
import { type ImageRecipe, type ImageTransforms, imageTransforms as pixelTransforms } from './transforms.js';

export interface FileImageTransforms extends ImageTransforms {
  /** Decodes a JPEG/PNG (path or bytes) and applies the transforms: the model input [1, h, w, 3]. */
  fromFile(source: string | Uint8Array): Promise<Tensor>;
}

/** `recipe` as runnable transforms that also read files (`fromFile`). */
export function fileTransforms(recipe: ImageRecipe): FileImageTransforms {
  const t = pixelTransforms(recipe);
  return Object.assign(t, { fromFile: async (source: string | Uint8Array) => t(await decodeImage(source)) });
}
