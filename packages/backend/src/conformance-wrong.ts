// A deliberately wrong backend for the suite's self-test: it runs another backend on a copy of the spec in which one
// 'same'-padded conv pads one row more on top and one less at the bottom (the classic TF-vs-Caffe padding slip).
// Shapes, weights and everything else stay right, so only a real numerical comparison can catch it.
import type { ModelSpec } from '@convzoo/models';
import { BackendError, defaultRegistry, type BackendFactory, type BackendRegistry, type Model } from '@convzoo/backend';

export interface WrongPaddingOptions {
  /** Registry name of the wrong backend. */
  name: string;
  /** The backend it runs underneath. */
  base: string;
  /** The conv2d layer whose padding it shifts; it must have padding 'same', stride 1 and an odd kernel height >= 3. */
  layer: string;
  registry?: BackendRegistry;
}

function shiftPadding(spec: ModelSpec, layerName: string): ModelSpec {
  const layers = spec.layers.map((l) => {
    if (l.name !== layerName) return l;
    if (l.kind !== 'conv2d' || l.padding !== 'same') throw new BackendError('input', `wrong-padding backend: '${layerName}' is not a 'same'-padded conv2d`);
    const [kh, kw] = l.kernelSize;
    const [sh, sw] = l.strides;
    if (sh !== 1 || sw !== 1 || kh < 3 || kh % 2 === 0)
      throw new BackendError('input', `wrong-padding backend: '${layerName}' needs stride 1 and an odd kernel height >= 3`);
    const half = (kh - 1) / 2;
    const side = (kw - 1) / 2;
    return { ...l, padding: { top: half + 1, bottom: half - 1, left: side, right: side } };
  });
  if (!spec.layers.some((l) => l.name === layerName)) throw new BackendError('input', `wrong-padding backend: no layer '${layerName}'`);
  return { ...spec, layers };
}

/** A factory for `registry.register()` whose models are right everywhere except the padding of `layer`. */
export function wrongPaddingBackend(options: WrongPaddingOptions): BackendFactory {
  const registry = () => options.registry ?? defaultRegistry;
  return {
    name: options.name,
    priority: -100,
    probe: async () => ({ available: true, details: `${options.base} with '${options.layer}' padded one row low (conformance self-test)` }),
    async compile({ spec }, compileOptions) {
      const inner = await registry().compile(shiftPadding(spec, options.layer), { ...compileOptions, backend: options.base });
      const model: Model = {
        spec,
        backend: options.name,
        predict: (x) => inner.predict(x),
        getWeights: () => inner.getWeights(),
        setWeights: (w) => inner.setWeights(w),
        dispose: () => inner.dispose(),
      };
      return model;
    },
  };
}
