// The boundary Tensor ({ shape, data: Float32Array }) and the checks every adapter runs on what crosses it.
import { BackendError, type BackendErrorCode } from './errors.js';
import type { Tensor } from './contract.js';

export const formatShape = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/** Number of elements of a shape; [] is a scalar (1). */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

const validShape = (shape: readonly number[]) => shape.every((d) => Number.isInteger(d) && d >= 0);

/**
 * A tensor from a shape and data (copied into a Float32Array); zeros when data is omitted. Throws when the data
 * length does not match the shape.
 */
export function tensor(shape: readonly number[], data?: ArrayLike<number>): Tensor {
  if (!validShape(shape)) throw new BackendError('input', `tensor shape ${formatShape(shape)} must hold non-negative integers`);
  const size = sizeOf(shape);
  if (data !== undefined && data.length !== size) {
    throw new BackendError('input', `tensor of shape ${formatShape(shape)} needs ${size} values, got ${data.length}`);
  }
  return { shape: [...shape], data: data === undefined ? new Float32Array(size) : Float32Array.from(data) };
}

/**
 * Checks that `t` is a well-formed Tensor: a Float32Array whose length matches the shape. `what` names it in the
 * error (`input 'input_layer'`, `weight 'conv2d/kernel'`).
 */
export function checkTensor(t: unknown, what: string, code: BackendErrorCode = 'input'): asserts t is Tensor {
  const c = t as Partial<Tensor> | null | undefined;
  if (!c || !Array.isArray(c.shape) || !(c.data instanceof Float32Array)) {
    throw new BackendError(code, `${what} must be a tensor { shape: number[], data: Float32Array }`);
  }
  if (!validShape(c.shape)) throw new BackendError(code, `${what} has an invalid shape ${formatShape(c.shape)}`);
  const size = sizeOf(c.shape);
  if (c.data.length !== size) {
    throw new BackendError(code, `${what} has shape ${formatShape(c.shape)} (${size} values) but ${c.data.length} data values`);
  }
}

/** Index of the first NaN or ±Infinity, or -1. */
export function findNonFinite(data: Float32Array): number {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) return i;
  }
  return -1;
}

/** Throws naming `what`, the flat index and the value when the tensor holds NaN or ±Infinity. */
export function assertFinite(t: Tensor, what: string, code: BackendErrorCode = 'input'): void {
  const i = findNonFinite(t.data);
  if (i >= 0) {
    throw new BackendError(code, `${what} contains ${t.data[i]} at flat index ${i} (shape ${formatShape(t.shape)}); inputs must be finite`);
  }
}

export const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
