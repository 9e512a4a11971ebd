// Counts spec's inferShapes calls, for the adapters' "a compile infers shapes once" tests (backend-tfjs,
// backend-onnx). Each test file mocks spec's own module with `countingShapes` (vi.mock is hoisted per file, so the
// one line stays there); every importer, the package entry included, then sees the counting wrapper.
import type * as Shapes from '../src/shapes.js';

let calls = 0;

export function countingShapes(m: typeof Shapes): typeof Shapes {
  return { ...m, inferShapes: (...args: Parameters<typeof m.inferShapes>) => (calls++, m.inferShapes(...args)) };
}

/** `f`'s result and how many times it inferred shapes. */
export async function counted<T>(f: () => Promise<T>): Promise<[T, number]> {
  calls = 0;
  const r = await f();
  return [r, calls];
}
