// The backend registry: adapters register factories by name with a priority; `compile` resolves a name (or 'auto'),
// probes it once per registry, and compiles. A requested backend that cannot start throws one error with every reason;
// it is never swapped for another. `auto` says which backend it picked and what it skipped.
import { closestName, compileSpec, type CompiledSpec, type ModelSpec } from '@convzoo/models';
import type { BackendFactory, CompileOptions, Model, ProbeResult, TrainableModel, TrainingConfig } from './contract.js';
import { BackendError } from './errors.js';
import { checkMemory, describeMemoryCheck, type MemoryCheck, type MemoryNeed } from './memory.js';
import { optimizerSlots, resolveOptimizer } from './training.js';

/** What a resolve must satisfy: training, and, when given, the memory of `spec` at a batch size. */
export interface BackendNeed {
  training?: boolean;
  memory?: MemoryNeed & { spec: ModelSpec; compiled?: CompiledSpec };
}

export interface BackendInfo {
  name: string;
  priority: number;
  /** Whether the factory has compileTrainable: the one place trainability is decided. */
  canTrain: boolean;
}

/** A factory trains exactly when it can build a model with trainStep. */
export const factoryCanTrain = (f: BackendFactory): boolean => typeof f.compileTrainable === 'function';

/** Whether a compiled model is one that trains (what compileTrainable returns): it has trainStep. */
export function isTrainable(model: Model): model is TrainableModel {
  return typeof (model as Partial<TrainableModel>).trainStep === 'function';
}

export interface SkippedBackend {
  name: string;
  reason: string;
}

/** Which backend a request resolved to, and why. */
export interface BackendChoice {
  /** The backend that runs the model. */
  backend: string;
  /** What was asked for: a name or 'auto'. */
  requested: string;
  /** Higher-priority backends that `auto` passed over, with the reason. Empty for explicit requests. */
  skipped: SkippedBackend[];
}

export interface RegistryCompileOptions extends CompileOptions {
  /** Told which backend was chosen (useful with 'auto'), before the model compiles. */
  onBackend?: (choice: BackendChoice) => void;
}

export interface RegisterOptions {
  /** Replace a different factory already registered under the same name (tests, user overrides). */
  replace?: boolean;
}

export interface DoctorEntry extends BackendInfo, ProbeResult {
  /** With doctor({ memory }): whether the model fits this backend at that batch size. */
  memory?: MemoryCheck;
}

/** Each reason on its own line, prefixed with the backend name: `[onnx-cuda] libonnxruntime_providers_cuda.so not found`. */
function reasonLines(name: string, reason: string | undefined): string[] {
  const lines = (reason ?? 'unavailable (no reason given)').split('\n').filter((l) => l.trim() !== '');
  return lines.map((l) => `  [${name}] ${l}`);
}

const REGISTRY_KEY = Symbol.for('@convzoo/backend/registry');

export class BackendRegistry {
  private readonly factories = new Map<string, BackendFactory>();
  private readonly probes = new Map<string, Promise<ProbeResult>>();

  register(factory: BackendFactory, options: RegisterOptions = {}): void {
    const existing = this.factories.get(factory.name);
    if (existing === factory) return; // registering the same adapter twice (CLI + user code) is harmless
    if (existing && !options.replace) {
      throw new BackendError('duplicate-backend', `a different backend is already registered as '${factory.name}' (pass { replace: true } to override it)`);
    }
    this.factories.set(factory.name, factory);
    this.probes.delete(factory.name);
  }

  /** Registered backends, best first (priority, then name). */
  list(): BackendInfo[] {
    return [...this.factories.values()]
      .sort((a, b) => b.priority - a.priority || a.name.localeCompare(b.name))
      .map((f) => ({ name: f.name, priority: f.priority, canTrain: factoryCanTrain(f) }));
  }

  /** The registered factory, or an error listing the registered names. */
  factory(name: string): BackendFactory {
    const f = this.factories.get(name);
    if (f) return f;
    const names = this.list().map((b) => b.name);
    const close = closestName(name, names);
    throw new BackendError(
      'unknown-backend',
      names.length === 0
        ? `unknown backend '${name}': no backend is registered (call an adapter's register function, e.g. registerTfjsBackends() from @convzoo/backend-tfjs)`
        : `unknown backend '${name}'${close !== undefined ? ` (did you mean '${close}'?)` : ''}; registered: ${names.join(', ')}, or 'auto'`,
    );
  }

  /** Whether a backend can start here. Runs the factory's probe at most once; a probe that throws counts as unavailable. */
  probe(name: string): Promise<ProbeResult> {
    const f = this.factory(name);
    let p = this.probes.get(name);
    if (!p) {
      p = Promise.resolve()
        .then(() => f.probe())
        .catch((e: unknown): ProbeResult => ({ available: false, reason: `probe failed: ${e instanceof Error ? e.message : String(e)}` }));
      this.probes.set(name, p);
    }
    return p;
  }

  /** The memory check of `need` on backend `name`, or undefined when the backend has no memory model. */
  async memoryCheck(name: string, need: NonNullable<BackendNeed['memory']>): Promise<MemoryCheck | undefined> {
    const model = await this.factory(name).memoryModel?.();
    return model ? checkMemory(name, need.compiled ?? need.spec, model, need) : undefined;
  }

  /** Resolves a name or 'auto' to a backend that can start (and train, and hold the batch, when asked), or throws why none can. */
  async resolve(requested = 'auto', need: BackendNeed = {}): Promise<BackendChoice> {
    const trainers = () =>
      this.list()
        .filter((b) => b.canTrain)
        .map((b) => b.name);
    if (requested !== 'auto') {
      const f = this.factory(requested);
      if (need.training && !factoryCanTrain(f)) {
        const can = trainers();
        throw new BackendError(
          'cannot-train',
          `backend '${requested}' cannot train (no autodiff); backends that can: ${can.length ? can.join(', ') : 'none registered'}`,
        );
      }
      const probe = await this.probe(requested);
      if (!probe.available) {
        throw new BackendError('unavailable', [`backend '${requested}' cannot start here:`, ...reasonLines(requested, probe.reason)].join('\n'));
      }
      const tooSmall = await this.tooSmall(requested, need);
      if (tooSmall) throw new BackendError('out-of-memory', `${tooSmall}${await this.whichFit(requested, need)}`);
      return { backend: requested, requested, skipped: [] };
    }
    const candidates = this.list().filter((b) => !need.training || b.canTrain);
    if (candidates.length === 0) {
      const what = need.training ? 'no registered backend can train' : 'no backend is registered';
      throw new BackendError('unavailable', `${what} (call an adapter's register function, e.g. registerTfjsBackends() from @convzoo/backend-tfjs)`);
    }
    const skipped: SkippedBackend[] = [];
    for (const c of candidates) {
      const probe = await this.probe(c.name);
      const reason = probe.available ? await this.tooSmall(c.name, need) : (probe.reason ?? 'unavailable');
      if (reason === undefined) return { backend: c.name, requested, skipped };
      skipped.push({ name: c.name, reason });
    }
    const oom = need.memory && skipped.some((s) => s.reason.includes(' needs ~'));
    throw new BackendError(
      oom ? 'out-of-memory' : 'unavailable',
      [
        `no ${need.training ? 'training-capable ' : ''}backend can ${oom ? `hold batch ${need.memory!.batchSize} of ${need.memory!.spec.name}` : 'start'} here:`,
        ...skipped.flatMap((s) => reasonLines(s.name, s.reason)),
      ].join('\n'),
    );
  }

  /** Why `name` cannot hold `need.memory`, or undefined when it can (or has no memory model). */
  private async tooSmall(name: string, need: BackendNeed): Promise<string | undefined> {
    if (!need.memory) return undefined;
    const check = await this.memoryCheck(name, need.memory);
    return check && !check.fits ? describeMemoryCheck(check, need.memory.spec.name) : undefined;
  }

  /** `; backends that fit batch 128: tfjs-cpu` (started and big enough), or a note that none does. */
  private async whichFit(except: string, need: BackendNeed): Promise<string> {
    const fit: string[] = [];
    for (const b of this.list()) {
      if (b.name === except || (need.training && !b.canTrain) || !(await this.probe(b.name)).available) continue;
      if ((await this.tooSmall(b.name, need)) === undefined) fit.push(b.name);
    }
    return fit.length ? `; backends that fit batch ${need.memory!.batchSize}: ${fit.join(', ')}` : '; no other backend here fits it either';
  }

  /**
   * Validates and analyses the spec once (compileSpec), resolves the backend and compiles: `compileTrainable` when
   * `training` is given, else `compile`. `model.backend` names the backend that runs it.
   */
  compile(spec: ModelSpec, options: RegistryCompileOptions & { training: TrainingConfig }): Promise<TrainableModel>;
  compile(spec: ModelSpec, options?: RegistryCompileOptions): Promise<Model>;
  async compile(spec: ModelSpec, options: RegistryCompileOptions = {}): Promise<Model> {
    const compiled = compileSpec(spec);
    const { onBackend, ...rest } = options;
    const training = options.training !== undefined;
    const memory =
      options.batchSize !== undefined
        ? {
            spec,
            compiled,
            batchSize: options.batchSize,
            training,
            ...(options.training ? { optimizerSlots: optimizerSlots(resolveOptimizer(options.training.optimizer)).length } : {}),
          }
        : undefined;
    const choice = await this.resolve(options.backend ?? 'auto', { training, ...(memory ? { memory } : {}) });
    onBackend?.(choice);
    const factory = this.factory(choice.backend);
    const { weightsSource, ...given } = rest;
    if (weightsSource !== undefined && given.weights !== undefined)
      throw new BackendError('input', `compile('${spec.name}'): give 'weights' or 'weightsSource', not both`);
    // Weights by key go to backends that take them lazily (inference); everyone else gets them loaded.
    const lazy = weightsSource !== undefined && factory.lazyWeights === true && !rest.training;
    const weights = weightsSource !== undefined && !lazy ? { weights: await weightsSource.load(), strictWeights: true } : {};
    const compileOptions = { ...given, ...weights, ...(lazy ? { weightsSource } : {}), backend: choice.backend };
    // resolve() only returns a backend with compileTrainable when training is asked for.
    if (rest.training) return factory.compileTrainable!(compiled, { ...compileOptions, training: rest.training });
    return factory.compile(compiled, compileOptions);
  }

  /** Every registered backend, best first, with whether it can start here and why not; with `need.memory`, whether it fits. */
  async doctor(need: Pick<BackendNeed, 'memory'> = {}): Promise<DoctorEntry[]> {
    const out: DoctorEntry[] = [];
    for (const b of this.list()) {
      const probe = await this.probe(b.name);
      const memory = probe.available && need.memory && (b.canTrain || !need.memory.training) ? await this.memoryCheck(b.name, need.memory) : undefined;
      out.push({ ...b, ...probe, ...(memory ? { memory } : {}) });
    }
    return out;
  }

  /** Forgets every factory and cached probe (tests). */
  reset(): void {
    this.factories.clear();
    this.probes.clear();
  }
}

/**
 * The process-wide registry adapters register into. Tests reset it with resetRegistry(). Kept on globalThis so that
 * an ESM and a CJS copy of this package loaded in one process (dual-package hazard) still share one registry.
 */
export const defaultRegistry: BackendRegistry = ((globalThis as { [REGISTRY_KEY]?: BackendRegistry })[REGISTRY_KEY] ??= new BackendRegistry());

export const registerBackend = (factory: BackendFactory, options?: RegisterOptions) => defaultRegistry.register(factory, options);
export const listBackends = () => defaultRegistry.list();
export const probeBackend = (name: string) => defaultRegistry.probe(name);
export const resolveBackend = (name?: string, need?: BackendNeed) => defaultRegistry.resolve(name, need);
export function compile(spec: ModelSpec, options: RegistryCompileOptions & { training: TrainingConfig }): Promise<TrainableModel>;
export function compile(spec: ModelSpec, options?: RegistryCompileOptions): Promise<Model>;
export function compile(spec: ModelSpec, options?: RegistryCompileOptions): Promise<Model> {
  return defaultRegistry.compile(spec, options);
}
export const resetRegistry = () => defaultRegistry.reset();
