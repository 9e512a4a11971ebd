// State tensors (parameters, optimizer slots, BatchNorm statistics) cross a training graph's boundary every step: in
// as inputs, out as new values that onnxruntime-node copies into fresh JS ArrayBuffers. glibc maps every buffer over
// its mmap threshold (32 MB at most) afresh and returns it on free, so each step re-faults them page by page: on a
// 2-core VM an Identity graph passing 67 MB through took 196-245 ms (99-134 ms of it system time), the same bytes as
// 16 pieces of 4.2 MB 20-27 ms (`npx tsx --conditions=source scripts/state-pieces-cost.ts 67`, two runs). vgg11_bn at
// 32x32 (28 M parameters, Adam's two slots) spent ~40% of a step so: `convzoo bench train` 1,624 -> 842 ms at batch 128.
// Large state tensors therefore cross in pieces (flat, in order); the graph joins a parameter (Concat + Reshape) where
// layers read it and splits its gradient, and the optimizer updates piece by piece (elementwise). Small tensors, and
// every tensor where the engine keeps state on a device, cross whole.
import type { GraphParam } from './train-graph.js';

/** The CPU EP's piece size, in elements (4 MiB of float32): 8.4 MB pieces took 20 ms in one run, 81 in another. */
export const STATE_CHUNK = 1 << 20;

/** The elements of each piece of a `size`-element tensor cut into at most `chunk`-element pieces (0: whole). */
export function pieceCount(size: number, chunk: number): number {
  return chunk > 0 && size > chunk ? Math.ceil(size / chunk) : 1;
}

export interface StatePiece {
  /** The graph input or output name. */
  name: string;
  shape: number[];
  /** Where the piece starts in the flat tensor, and its length. */
  offset: number;
  size: number;
}

/** Piece `i` of state tensor `io` (an IO name) crossing in `pieces` pieces: `io` itself when whole. */
export function pieceName(io: string, i: number, pieces: number): string {
  return pieces === 1 ? io : `${io}#${i}`;
}

/** The pieces of state tensor `io` (an IO name) of parameter `p`: one, `io` itself, when it crosses whole. */
export function statePieces(io: string, p: Pick<GraphParam, 'shape' | 'pieces'>): StatePiece[] {
  const size = p.shape.reduce((a, b) => a * b, 1);
  if (p.pieces === 1) return [{ name: io, shape: p.shape, offset: 0, size }];
  const each = Math.ceil(size / p.pieces);
  return Array.from({ length: p.pieces }, (_, i) => {
    const offset = i * each;
    const len = Math.min(each, size - offset);
    return { name: pieceName(io, i, p.pieces), shape: [len], offset, size: len };
  });
}
