// Loading TensorFlow.js lazily, starting its backends once, and running work on one of them at a time.
//
// tfjs has ONE global engine with one active backend. Models of different tfjs backends may live in one process:
// every call of a convzoo model runs inside `exclusive`, which queues it behind the others and activates the model's
// backend first (tf.setBackend on a started backend is cheap). Tensors never cross backends this way. User code that
// calls tfjs directly between our calls sees whichever backend the last convzoo call used.
import type * as tfc from '@tensorflow/tfjs-core';
import { BackendError, type MemoryModel } from '@convzoo/backend';
import { installKernels } from './kernels/index.js';

export type TF = typeof tfc;

/** How to load an optional package. Literal imports for the packages bundlers must see; see TfjsLoaders. */
export type Loader = () => Promise<unknown>;

export interface TfjsTarget {
  /** Registry name, e.g. `tfjs-wasm`. */
  name: string;
  /** tfjs' own backend name, e.g. `wasm`, `tensorflow`. */
  tfBackend: string;
  /** The npm package that provides the tfjs backend. */
  packageName: string;
  priority: number;
  load: Loader;
  /** Why this backend cannot work in this environment at all, checked before loading anything. */
  precheck?: () => string | undefined | Promise<string | undefined>;
  /** Extra advice when the package is missing (tfjs-node needs network access at install). */
  installHint?: string;
  /** Its memory limit and measured factors (memory.ts); absent where not measured (webgl, webgpu, tfjs-node). */
  memoryModel?: () => MemoryModel | undefined;
}

const describe = (e: unknown) => (e instanceof Error ? e.message : String(e));
const missingModule = (e: unknown) => /Cannot find (module|package)|ERR_MODULE_NOT_FOUND|Failed to resolve|Could not resolve/i.test(describe(e));

/** Why a package could not be loaded: `whenMissing` (how to install it) or its own error. */
function loadFailure(e: unknown, packageName: string, whenMissing: string): BackendError {
  return new BackendError('unavailable', missingModule(e) ? whenMissing : `${packageName} failed to load: ${describe(e)}`);
}

/** A package imported once; a failed import is not kept, so installing the package and calling again works. */
function importOnce<T>(packageName: string, load: () => Promise<T>, whenMissing: string): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().then(
      (m) => m,
      (e: unknown) => {
        pending = undefined;
        throw loadFailure(e, packageName, whenMissing);
      },
    );
    return pending;
  };
}

/** @tensorflow/tfjs-core, imported once. */
export const loadCore: () => Promise<TF> = importOnce(
  '@tensorflow/tfjs-core',
  () => import('@tensorflow/tfjs-core').then((m) => ((m as { default?: TF }).default?.setBackend ? (m as { default: TF }).default : m)),
  'package @tensorflow/tfjs-core is not installed (npm i @tensorflow/tfjs-core)',
);

/**
 * tfjs-core registers no gradient functions by itself in Node; importing @tensorflow/tfjs-layers registers all of
 * them (importing tfjs-core's own register_all_gradients fails there: extensionless ESM imports).
 */
export const loadGradients: () => Promise<void> = importOnce(
  '@tensorflow/tfjs-layers',
  () => import('@tensorflow/tfjs-layers').then(() => undefined),
  "training on TensorFlow.js needs @tensorflow/tfjs-layers, which registers tfjs' gradient functions (npm i @tensorflow/tfjs-layers)",
);

const started = new Map<string, Promise<TF>>();

async function start(target: TfjsTarget): Promise<TF> {
  const why = await target.precheck?.();
  if (why !== undefined) throw new BackendError('unavailable', why);
  const tf = await loadCore();
  try {
    await target.load();
  } catch (e) {
    const install = `package ${target.packageName} is not installed (npm i ${target.packageName})${target.installHint ? `; ${target.installHint}` : ''}`;
    throw loadFailure(e, target.packageName, install);
  }
  if (!tf.findBackendFactory(target.tfBackend)) {
    throw new BackendError(
      'unavailable',
      `${target.packageName} loaded but registered no '${target.tfBackend}' backend (is it built for the same @tensorflow/tfjs-core ${tf.version_core}?)`,
    );
  }
  // In the queue models run in: tfjs has one engine, and a second setBackend while one initialises cancels the first
  // (its setBackend returns false), so two backends started at once (a CLI probing every backend for a typo's
  // suggestion) left one unable to start; and a start must not switch the engine under a running model.
  await serial(async () => {
    const previous = tf.engine().backendName;
    // tfjs logs its own warning and returns false when a backend fails to initialise (no WebGL context, ...).
    if (!(await tf.setBackend(target.tfBackend))) {
      throw new BackendError('unavailable', `tfjs could not initialise its '${target.tfBackend}' backend here`);
    }
    // The cpu backend prints a "use tfjs-node" banner on first use; convzoo chooses backends explicitly.
    const backend = tf.engine().findBackend(target.tfBackend) as unknown as { firstUse?: boolean };
    if ('firstUse' in backend) backend.firstUse = false;
    try {
      installKernels(tf, target.tfBackend);
    } catch (e) {
      throw new BackendError('unavailable', `installing convzoo's replacement kernels on '${target.tfBackend}' failed: ${describe(e)}`);
    }
    if (previous && previous !== target.tfBackend) await tf.setBackend(previous);
  });
  return tf;
}

/** Starts a tfjs backend once (import, initialise, install kernels). Failures are not cached, so a fix can be retried. */
export function startBackend(target: TfjsTarget): Promise<TF> {
  let p = started.get(target.name);
  if (!p) {
    p = start(target);
    started.set(target.name, p);
    p.catch(() => started.delete(target.name));
  }
  return p;
}

let queue: Promise<unknown> = Promise.resolve();
let pending = 0;

/**
 * Runs `fn` with `tfBackend` active, after every earlier call finished. Never call `exclusive` from inside `fn`
 * (it would wait for itself).
 */
export function exclusive<T>(tf: TF, tfBackend: string, fn: () => T | Promise<T>): Promise<T> {
  return serial(async () => {
    if (tf.engine().backendName !== tfBackend) await tf.setBackend(tfBackend);
    return fn();
  });
}

/** Runs `fn` after every earlier queued call finished (the one queue for the engine's state). */
function serial<T>(fn: () => T | Promise<T>): Promise<T> {
  pending++;
  const run = queue.then(fn);
  queue = run.then(
    () => void pending--,
    () => void pending--,
  );
  return run;
}

/** Whether a convzoo call is queued or running. */
export const busy = () => pending > 0;

/** Resolves once every call queued so far has finished. */
export function whenIdle(): Promise<void> {
  return queue.then(() => undefined);
}
