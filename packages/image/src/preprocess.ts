// Keras' `preprocess_input` modes (keras/src/applications/imagenet_utils.py), on RGB values in [0, 255], last axis
// the 3 channels. Arithmetic is float32 step by step, as NumPy does it on a float32 array, so results match Keras
// bit for bit.
import { ImageError } from './errors.js';
import type { Tensor } from '@convzoo/backend';

/**
 * - caffe: RGB -> BGR, then subtract the ImageNet mean [103.939, 116.779, 123.68] (BGR order); no scaling
 *   (Keras ResNet50, VGG16/19).
 * - tf: x / 127.5 - 1, to [-1, 1] (Keras MobileNet, Inception V3, Xception).
 * - torch: x / 255, then (x - [0.485, 0.456, 0.406]) / [0.229, 0.224, 0.225] per RGB channel (torchvision models,
 *   Keras DenseNet).
 */
export type PreprocessPreset = 'caffe' | 'tf' | 'torch';

export const PREPROCESS_PRESETS: readonly PreprocessPreset[] = ['caffe', 'tf', 'torch'];

export const IMAGENET_CAFFE_MEAN_BGR = [103.939, 116.779, 123.68] as const;
export const IMAGENET_TORCH_MEAN = [0.485, 0.456, 0.406] as const;
export const IMAGENET_TORCH_STD = [0.229, 0.224, 0.225] as const;

const f32 = Math.fround;

/** A new tensor: `preset` applied to `tensor` (RGB in [0, 255], shape [..., 3]). */
export function preprocess(tensor: Tensor, preset: PreprocessPreset): Tensor {
  if (!PREPROCESS_PRESETS.includes(preset)) {
    throw new ImageError(`unknown preprocessing preset '${String(preset)}'; expected one of ${PREPROCESS_PRESETS.join(', ')}`);
  }
  if (tensor.shape[tensor.shape.length - 1] !== 3) {
    throw new ImageError(`preprocess '${preset}' needs RGB values on the last axis (3 channels), got shape [${tensor.shape.join(', ')}]`);
  }
  const src = tensor.data;
  const out = new Float32Array(src.length);
  if (preset === 'caffe') {
    const mean = IMAGENET_CAFFE_MEAN_BGR.map(f32);
    for (let i = 0; i < src.length; i += 3) {
      for (let c = 0; c < 3; c++) out[i + c] = (src[i + 2 - c] as number) - (mean[c] as number);
    }
  } else if (preset === 'tf') {
    for (let i = 0; i < src.length; i++) out[i] = f32((src[i] as number) / 127.5) - 1;
  } else {
    const mean = IMAGENET_TORCH_MEAN.map(f32);
    const std = IMAGENET_TORCH_STD.map(f32);
    for (let i = 0; i < src.length; i++) {
      const c = i % 3;
      out[i] = f32(f32((src[i] as number) / 255) - (mean[c] as number)) / (std[c] as number);
    }
  }
  return { shape: [...tensor.shape], data: out };
}
