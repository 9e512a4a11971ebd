// `CompileOptions.engine` for the ONNX backends: checked by name so a typo is an error, not a silent default.

export type GraphOptimizationLevel = 'disabled' | 'basic' | 'extended' | 'all';

export interface OnnxEngineOptions {
  /**
   * Threads inside one operator (onnxruntime-node). Default: the cores this process may use (os.availableParallelism());
   * 0 leaves it to ORT, whose default is one thread on a 2-core machine.
   */
  intraOpNumThreads?: number;
  /** Threads across operators when executionMode is 'parallel' (onnxruntime-node). */
  interOpNumThreads?: number;
  /** ORT graph optimisations (default 'all'). */
  graphOptimizationLevel?: GraphOptimizationLevel;
  executionMode?: 'sequential' | 'parallel';
  /**
   * onnxruntime-web only: WASM threads. Default: in Node the cores this process may use (os.availableParallelism()), in
   * a browser ORT's own (half the cores, at most 4; one where the page is not cross-origin isolated). Read once per
   * process, at the first session (an ORT limitation).
   */
  numThreads?: number;
  /** Extra fields merged into this backend's execution provider entry, e.g. `{ deviceId: 1 }` for CUDA. */
  executionProvider?: Record<string, unknown>;
  /** Opset of the exported graph (13 to 17). */
  opset?: number;
  /**
   * Whether idle intra-op threads spin-wait for work (onnxruntime-node; ORT's default is on). convzoo turns it off:
   * on a shared or small machine spinning threads take the cores the working ones need (measured on 2 busy cores: a
   * LeNet training step 324 ms with spinning, 147 ms without); on an idle machine it saves a few microseconds per op.
   */
  allowSpinning?: boolean;
  /**
   * onnx-cpu training: convolutions with whole blocks of channels as ONNX Runtime's blocked-channel Conv where its CPU
   * kernels have one (x86 with AVX2 or AVX-512), as ORT itself does for constant weights. Default true; false: ONNX's Conv.
   */
  blockedConv?: boolean;
  /** ORT log level: 0 verbose, 1 info, 2 warning, 3 error (default: node-placement warnings are noise), 4 fatal. */
  logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
}

const LEVELS: readonly GraphOptimizationLevel[] = ['disabled', 'basic', 'extended', 'all'];

/** Checks one option's value: returns it, or calls `fail` with what it must be. */
type Check<T> = (v: unknown, fail: (want: string) => never) => T;

const count =
  (min: number): Check<number> =>
  (v, fail) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min ? v : fail(`an integer >= ${min}`);
const oneOf =
  <T extends string>(values: readonly T[], want: string): Check<T> =>
  (v, fail) =>
    values.includes(v as T) ? (v as T) : fail(want);

/** Every engine option and its check, in the order the "unknown option" error lists them. */
const CHECKS: { [K in keyof Required<OnnxEngineOptions>]: Check<OnnxEngineOptions[K]> } = {
  intraOpNumThreads: count(0),
  interOpNumThreads: count(0),
  graphOptimizationLevel: oneOf(LEVELS, LEVELS.join(' | ')),
  executionMode: oneOf(['sequential', 'parallel'] as const, "'sequential' | 'parallel'"),
  numThreads: count(0),
  executionProvider: (v, fail) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : fail('an object')),
  opset: count(1),
  logSeverityLevel: (v, fail) => (count(0)(v, fail) <= 4 ? (v as 0 | 1 | 2 | 3 | 4) : fail('an integer from 0 to 4')),
  allowSpinning: (v, fail) => (typeof v === 'boolean' ? v : fail('true or false')),
  blockedConv: (v, fail) => (typeof v === 'boolean' ? v : fail('true or false')),
};

export function parseEngineOptions(backend: string, raw: Record<string, unknown> | undefined): OnnxEngineOptions {
  const o: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(raw ?? {})) {
    if (v === undefined) continue;
    if (!Object.hasOwn(CHECKS, key)) throw new Error(`${backend}: unknown engine option '${key}' (known: ${Object.keys(CHECKS).join(', ')})`);
    o[key] = CHECKS[key as keyof OnnxEngineOptions](v, (want) => {
      throw new Error(`${backend}: engine option '${key}' must be ${want}, got ${JSON.stringify(v)}`);
    });
  }
  return o as OnnxEngineOptions;
}
