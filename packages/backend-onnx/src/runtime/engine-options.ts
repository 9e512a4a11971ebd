// `CompileOptions.engine` for the ONNX backends: checked by name so a typo is an error, not a silent default.

export type GraphOptimizationLevel = 'disabled' | 'basic' | 'extended' | 'all';

export interface OnnxEngineOptions {
  /** Threads inside one operator (onnxruntime-node; 0 = ORT's default, one per core). */
  intraOpNumThreads?: number;
  /** Threads across operators when executionMode is 'parallel' (onnxruntime-node). */
  interOpNumThreads?: number;
  /** ORT graph optimisations (default 'all'). */
  graphOptimizationLevel?: GraphOptimizationLevel;
  executionMode?: 'sequential' | 'parallel';
  /** onnxruntime-web only: WASM threads. Read once per process, at the first session (an ORT limitation). */
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
  /** ORT log level: 0 verbose, 1 info, 2 warning, 3 error (default: node-placement warnings are noise), 4 fatal. */
  logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
}

const LEVELS: readonly GraphOptimizationLevel[] = ['disabled', 'basic', 'extended', 'all'];

export function parseEngineOptions(backend: string, raw: Record<string, unknown> | undefined): OnnxEngineOptions {
  const o: OnnxEngineOptions = {};
  const fail = (key: string, want: string, got: unknown): never => {
    throw new Error(`${backend}: engine option '${key}' must be ${want}, got ${JSON.stringify(got)}`);
  };
  const count = (key: string, v: unknown, min: number): number =>
    typeof v === 'number' && Number.isInteger(v) && v >= min ? v : fail(key, `an integer >= ${min}`, v);
  for (const [key, v] of Object.entries(raw ?? {})) {
    if (v === undefined) continue;
    switch (key) {
      case 'intraOpNumThreads':
        o.intraOpNumThreads = count(key, v, 0);
        break;
      case 'interOpNumThreads':
        o.interOpNumThreads = count(key, v, 0);
        break;
      case 'numThreads':
        o.numThreads = count(key, v, 0);
        break;
      case 'opset':
        o.opset = count(key, v, 1);
        break;
      case 'logSeverityLevel':
        o.logSeverityLevel = count(key, v, 0) <= 4 ? (v as 0 | 1 | 2 | 3 | 4) : fail(key, 'an integer from 0 to 4', v);
        break;
      case 'graphOptimizationLevel':
        o.graphOptimizationLevel = LEVELS.includes(v as GraphOptimizationLevel) ? (v as GraphOptimizationLevel) : fail(key, LEVELS.join(' | '), v);
        break;
      case 'executionMode':
        o.executionMode = v === 'sequential' || v === 'parallel' ? v : fail(key, "'sequential' | 'parallel'", v);
        break;
      case 'allowSpinning':
        o.allowSpinning = typeof v === 'boolean' ? v : fail(key, 'true or false', v);
        break;
      case 'executionProvider':
        o.executionProvider = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : fail(key, 'an object', v);
        break;
      default:
        throw new Error(
          `${backend}: unknown engine option '${key}' (known: intraOpNumThreads, interOpNumThreads, graphOptimizationLevel, executionMode, numThreads, executionProvider, opset, logSeverityLevel, allowSpinning)`,
        );
    }
  }
  return o;
}
