// tfjs-backend-wasm's BatchMatMul leaves XNNPACK's fast path when an operand is transposed, which is exactly what
// dense-layer gradients ask for (x^T dy, dy W^T). Transposing explicitly first keeps every product on it.
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { StockKernels } from './stock.js';

function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

export function batchMatMulUntransposed(stock: StockKernels, a: TensorInfo, b: TensorInfo, attrs: NamedAttrMap): TensorInfo {
  const { transposeA, transposeB } = attrs as { transposeA?: boolean; transposeB?: boolean };
  if (!transposeA && !transposeB) return stock.run('BatchMatMul', { a, b }, attrs);
  const a2 = transposeA ? stock.run('Transpose', { x: a }, { perm: swapLastTwo(a.shape.length) }) : a;
  const b2 = transposeB ? stock.run('Transpose', { x: b }, { perm: swapLastTwo(b.shape.length) }) : b;
  try {
    return stock.run('BatchMatMul', { a: a2, b: b2 }, { ...attrs, transposeA: false, transposeB: false });
  } finally {
    if (a2 !== a) stock.dispose(a2);
    if (b2 !== b) stock.dispose(b2);
  }
}
