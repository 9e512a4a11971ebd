// Compiled with DOM-only types (no @types/node, skipLibCheck false): every browser entry's public .d.ts must
// stand on its own in a browser project.
import type * as Spec from '@convzoo/models';
import type * as Backend from '@convzoo/backend';
import type * as BackendTfjs from '@convzoo/backend-tfjs';
import type * as BackendOnnx from '@convzoo/backend-onnx';
import type * as Weights from '@convzoo/weights/browser';
import type * as Datasets from '@convzoo/datasets/browser';
import type * as Image from '@convzoo/image/browser';
import type * as Train from '@convzoo/train/browser';

export type Everything = [typeof Spec, typeof Backend, typeof BackendTfjs, typeof BackendOnnx, typeof Weights, typeof Datasets, typeof Image, typeof Train];
