// The one training fault known in a runtime is recognised by spec, so onnx-web-webgpu refuses those models by name
// (apps/web's e2e checks the refusal in Chromium).
import { getModel } from '@convzoo/spec';
import { describe, expect, it } from 'vitest';
import { overlappingMaxPool } from '../src/train/known-faults.js';

describe('overlappingMaxPool', () => {
  it('names the first max pool whose windows overlap, and nothing for tiling pools', () => {
    expect(overlappingMaxPool(getModel('alexnet'))?.name).toBe('max_pooling2d');
    expect(overlappingMaxPool(getModel('googlenet'))).toBeDefined();
    expect(overlappingMaxPool(getModel('lenet'))).toBeUndefined();
    expect(overlappingMaxPool(getModel('vgg11'))).toBeUndefined();
    expect(overlappingMaxPool(getModel('resnet20'))).toBeUndefined();
  });
});
