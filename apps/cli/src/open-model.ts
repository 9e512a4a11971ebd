// Opening a model for a command: registering the adapters this CLI ships, resolving --backend ('auto' included) and
// --batch-size auto against the backends' memory models, and compiling.
import {
  BackendError,
  compile,
  defaultRegistry,
  describeMemoryCheck,
  listBackends,
  optimizerSlots,
  probeBackend,
  resolveBackend,
  resolveOptimizer,
  type BackendChoice,
  type Model,
  type TrainableModel,
  type TrainingConfig,
  type WeightMap,
  type WeightsSource,
} from '@convzoo/backend';
import type { ModelSpec } from '@convzoo/models';
import { BROWSER_ONLY_BACKENDS, checkBackendName } from './backend-names.js';
import { CliError } from './command.js';

export { registerBackends } from './backend-names.js';

export interface OpenOptions {
  backend: string;
  training?: TrainingConfig;
  seed?: number;
  weights?: WeightMap;
  /** Weights by key, loaded only by backends that need them (see CompileOptions.weightsSource). */
  weightsSource?: WeightsSource;
  /**
   * The batch the model will see, checked against the backend's memory before anything is allocated. 'auto' takes
   * `autoMax` (the recipe's batch) or, when that does not fit, the largest batch that does.
   */
  batchSize?: number | 'auto';
  autoMax?: number;
  /** false: the command takes no `--batch-size auto` (bench), so a batch that does not fit is refused without suggesting it. */
  autoBatch?: false;
  /** Backend-specific engine options (CompileOptions.engine), e.g. `{ intraOpNumThreads: 2 }` for onnx-cpu. */
  engine?: Record<string, unknown>;
}

export interface OpenedModel<M extends Model> {
  model: M;
  /** One line saying which backend runs the model and, for auto, what was passed over. */
  choice: string;
  /** The batch size checked (the chosen one for 'auto'); undefined when none was given. */
  batchSize?: number;
}

/**
 * `--batch-size auto`: the recipe's batch when the backend (for 'auto': any backend it would pick) holds it, else the
 * largest batch the requested backend (for 'auto': the best one that starts) holds.
 */
async function autoBatch(spec: ModelSpec, options: OpenOptions): Promise<number> {
  const max = options.autoMax ?? 128;
  const training = options.training !== undefined;
  const slots = options.training ? optimizerSlots(resolveOptimizer(options.training.optimizer)).length : 0;
  const need = { spec, batchSize: max, training, optimizerSlots: slots };
  try {
    await resolveBackend(options.backend, { training, memory: need });
    return max;
  } catch (e) {
    if (!(e instanceof BackendError && e.code === 'out-of-memory')) throw e;
  }
  // No backend holds `max`: the requested one (or, for 'auto', the best that starts and holds at least one image).
  const names =
    options.backend === 'auto'
      ? listBackends()
          .filter((b) => !training || b.canTrain)
          .map((b) => b.name)
      : [options.backend];
  const refusals: string[] = [];
  for (const name of names) {
    if (!(await probeBackend(name)).available) continue;
    const check = await defaultRegistry.memoryCheck(name, need);
    if (check && check.largestBatch > 0) return check.largestBatch;
    if (check) refusals.push(describeMemoryCheck(check, spec.name));
  }
  throw new CliError(`--batch-size auto: ${refusals.join('; ') || `no backend here holds ${spec.name}`}`);
}

/** `backend 'tfjs-wasm' (auto: best available; not here: tfjs-node, tfjs-webgpu — see convzoo doctor)`. */
function describe(c: BackendChoice): string {
  if (c.requested !== 'auto') return `backend '${c.backend}'`;
  const tooSmall = c.skipped.filter((s) => s.reason.includes(' needs ~'));
  // The browser-only backends never start in Node: naming them here would only be noise.
  const absent = c.skipped.filter((s) => !tooSmall.includes(s) && !BROWSER_ONLY_BACKENDS.includes(s.name));
  const notHere = absent.length ? `; not available here: ${absent.map((s) => s.name).join(', ')} (see convzoo doctor)` : '';
  const small = tooSmall.map((s) => `; passed over ${s.name}: ${s.reason.replace(/^.*? needs /, 'needs ')}`).join('');
  return `backend '${c.backend}' (auto: the best available${notHere}${small})`;
}

/** Compiles `spec` on the requested backend ('auto' picks the best available one that can do the job). */
export async function openModel(spec: ModelSpec, options: OpenOptions & { training: TrainingConfig }): Promise<OpenedModel<TrainableModel>>;
export async function openModel(spec: ModelSpec, options: OpenOptions): Promise<OpenedModel<Model>>;
export async function openModel(spec: ModelSpec, options: OpenOptions): Promise<OpenedModel<Model>> {
  await checkBackendName(options.backend, 'backend');
  let choice = '';
  let model: Model;
  let batchSize: number | undefined;
  try {
    batchSize = options.batchSize === 'auto' ? await autoBatch(spec, options) : options.batchSize;
    model = await compile(spec, {
      ...(batchSize !== undefined ? { batchSize } : {}),
      backend: options.backend,
      ...(options.training ? { training: options.training } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.weights ? { weights: options.weights } : {}),
      ...(options.weightsSource ? { weightsSource: options.weightsSource } : {}),
      ...(options.engine ? { engine: options.engine } : {}),
      onBackend: (c) => (choice = describe(c)),
    });
  } catch (e) {
    if (e instanceof BackendError && (e.code === 'unknown-backend' || e.code === 'unavailable' || e.code === 'cannot-train')) {
      throw new CliError(`--backend ${options.backend}: ${e.message}`);
    }
    if (e instanceof BackendError && e.code === 'out-of-memory')
      throw new CliError(`--batch-size ${batchSize}: ${e.message}${options.autoBatch === false ? '' : '; --batch-size auto picks one that fits'}`);
    throw e;
  }
  return { model, choice, ...(batchSize !== undefined ? { batchSize } : {}) };
}
