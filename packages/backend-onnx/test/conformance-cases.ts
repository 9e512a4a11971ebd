// What the shared conformance suite runs on each ONNX backend: its default cases (every layer corner, every
// architecture at a small size) plus one graph with every layer kind at once; a WebGPU subset (see helpers.ts).
import { architectureCases, defaultConformanceCases, layerCases, type ConformanceCase } from '@convzoo/backend/conformance';
import { allKinds, CONFORMANCE_ALL, WEBGPU_CASE_PREFIXES } from './helpers.js';

const allKindsCase: ConformanceCase = { name: 'onnx: every layer kind in one graph (nearest downsampling, channel softmax on an image output)', spec: allKinds };

export function onnxCases(backend: 'onnx-cpu' | 'onnx-wasm' | 'onnx-webgpu'): ConformanceCase[] {
  if (CONFORMANCE_ALL) return [...layerCases(), ...architectureCases([]), allKindsCase];
  if (backend !== 'onnx-webgpu') return [...defaultConformanceCases(), allKindsCase];
  const small = architectureCases().filter((c) => WEBGPU_CASE_PREFIXES.some((prefix) => c.name.startsWith(prefix)));
  return [...layerCases(), ...small, allKindsCase];
}
