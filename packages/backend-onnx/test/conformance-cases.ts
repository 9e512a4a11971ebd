// What the shared conformance suite runs on each ONNX backend: its default cases (every layer corner, every flavour
// of every registered architecture, against the Keras/PyTorch fixtures) plus one graph with every layer kind at
// once, which has no fixture and is compared with tfjs-cpu.
import { defaultConformanceCases, type ConformanceCase } from '@convzoo/backend/conformance';
import { allKinds } from './helpers.js';

const allKindsCase: ConformanceCase = { name: 'onnx: every layer kind in one graph (nearest downsampling, channel softmax on an image output)', spec: allKinds };

export function onnxCases(): ConformanceCase[] {
  return [...defaultConformanceCases(), allKindsCase];
}
