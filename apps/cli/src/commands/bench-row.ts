// One row of `convzoo bench train`'s table: what bench.ts measures on convzoo's backends and bench-keras.ts on Keras,
// in a file of its own so neither imports the other.
export interface BenchRow {
  backend: string;
  msPerStep: number;
  /** Process CPU time per step: on a shared machine, what the step costs a core of its own (single-threaded engines). */
  cpuMsPerStep: number;
  samplesPerSecond: number;
  secondsPerEpoch: number;
  /** Per-phase milliseconds per step, when the backend measures them (the ONNX backends). */
  phases?: Record<string, number>;
}
