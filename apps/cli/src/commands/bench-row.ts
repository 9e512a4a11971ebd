// The figures of `convzoo bench train`: what bench.ts measures per round on convzoo's backends and on the Python peers
// (bench-peer.ts), and the table rows summarized from them, in a file of its own so neither side imports the other.

/** One backend's (or peer's) median step in one round. */
export interface BenchSample {
  backend: string;
  round: number;
  ms: number;
  /** Process CPU time per step (every thread): cpuMs / ms is how many cores the step kept busy. */
  cpuMs: number;
  /** The machine's 1-minute load average when the round began (others' work slows every engine of the round). */
  load: number;
  /** Per-phase milliseconds per step, when the backend measures them (the ONNX backends). */
  phases?: Record<string, number>;
}

export interface BenchRow {
  backend: string;
  /** Medians over the rounds. */
  msPerStep: number;
  cpuMsPerStep: number;
  samplesPerSecond: number;
  secondsPerEpoch: number;
  /** Median over the rounds of this backend's ms/step over the peer's in the same round, per peer name. */
  ratios: Record<string, number>;
  phases?: Record<string, number>;
}
