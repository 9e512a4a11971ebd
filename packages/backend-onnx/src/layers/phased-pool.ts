// A first conv followed by a 2x2 max pool, trained as one unit on the CPU EP. ONNX Runtime's MaxPool with its
// Indices output is a scalar loop (LeNet's first pool: 3.4 ms of a 23 ms step, 0.6 without Indices), so the conv is
// computed on the space-to-depth input instead: its output comes out as the four window phases [N, 4, F, H/2, W/2]
// (phase = row-major cell of the 2x2 window), the pool is a ReduceMax over the phases, its arg-max an ArgMax there
// (the first maximal cell: TensorFlow's tie rule), and the gradient goes back in that layout, with no index loop and
// no MaxUnpool. The kernel is rearranged in the graph each step: a Gather in, four Gathers summed out.
import type { CompiledSpec, FeatureShape, Layer } from '@convzoo/models';
import type { ForwardCtx, ForwardResult, TrainCtx } from './emitter.js';
import { im2colWeightGrad } from './im2col.js';

type ConvLayer = Extract<Layer, { kind: 'conv2d' }>;
type PoolLayer = Extract<Layer, { kind: 'maxPool2d' | 'avgPool2d' }>;

const zeroPads = (p: ConvLayer['padding'] | PoolLayer['padding']) =>
  p === 'valid' || (typeof p === 'object' && p.top === 0 && p.bottom === 0 && p.left === 0 && p.right === 0);

/**
 * Convs computed by phases: stride 1, no dilation or groups or padding, relu or linear, even input sides, few input
 * channels for their filters (C*kh*kw <= 2F: the space-to-depth conv does 4*ceil((k+1)/2)^2/k^2 of the work, 1.44x
 * for 5x5), no gradient wanted below them, and read only by a 2x2/2 max pool without padding.
 */
export function phasedConvs(compiled: CompiledSpec, needsGrad: ReadonlySet<string>): Set<string> {
  const { spec, shapes } = compiled;
  const readers = new Map<string, Layer[]>();
  for (const l of spec.layers) for (const i of l.inputs) readers.set(i, [...(readers.get(i) ?? []), l]);
  const out = new Set<string>();
  for (const l of spec.layers) {
    if (l.kind !== 'conv2d') continue;
    const [h, w, c] = shapes.get(l.inputs[0]!)! as [number, number, number];
    const r = readers.get(l.name) ?? [];
    const pool = r.length === 1 && r[0]!.kind === 'maxPool2d' ? r[0] : undefined;
    const ok =
      l.groups === 1 &&
      l.strides.every((s) => s === 1) &&
      l.dilation.every((d) => d === 1) &&
      zeroPads(l.padding) &&
      (l.activation === 'relu' || l.activation === 'linear') &&
      h % 2 === 0 &&
      w % 2 === 0 &&
      l.kernelSize[0] % 2 === 1 &&
      l.kernelSize[1] % 2 === 1 &&
      c * l.kernelSize[0] * l.kernelSize[1] <= 2 * l.filters &&
      !needsGrad.has(l.inputs[0]!) &&
      !spec.outputs.includes(l.name) &&
      pool?.kind === 'maxPool2d' &&
      pool.poolSize.every((k) => k === 2) &&
      pool.strides.every((s) => s === 2) &&
      zeroPads(pool.padding);
    if (ok) out.add(l.name);
  }
  return out;
}

/** Where each element of the phase kernel [4F, 4C, kh', kw'] reads the OIHW kernel (flat index; size = the zero). */
function phaseKernelIndex(f: number, c: number, kh: number, kw: number) {
  const kh2 = (kh + 1) / 2;
  const kw2 = (kw + 1) / 2;
  const size = f * c * kh * kw;
  const gather = new Array<number>(16 * f * c * kh2 * kw2).fill(size);
  // back[phase][w]: the position of kernel element w in the phase kernel, for phase's share of dW.
  const back = new Array<number>(4 * size);
  for (let a = 0; a < 2; a++)
    for (let b = 0; b < 2; b++)
      for (let fi = 0; fi < f; fi++)
        for (let p = 0; p < 2; p++)
          for (let q = 0; q < 2; q++)
            for (let ci = 0; ci < c; ci++)
              for (let u = 0; u < kh2; u++)
                for (let v = 0; v < kw2; v++) {
                  // Output cell (2i + a, 2j + b) reads input (2(i + u) + p, 2(j + v) + q): kernel tap (2u + p - a, 2v + q - b).
                  const ky = 2 * u + p - a;
                  const kx = 2 * v + q - b;
                  if (ky < 0 || ky >= kh || kx < 0 || kx >= kw) continue;
                  const phase = a * 2 + b;
                  // SpaceToDepth (DCR) puts input cell (p, q) of each 2x2 block in channel (p * 2 + q) * C + c.
                  const at = (((phase * f + fi) * 4 + (p * 2 + q)) * c + ci) * kh2 * kw2 + u * kw2 + v;
                  const wi = ((fi * c + ci) * kh + ky) * kw + kx;
                  gather[at] = wi;
                  back[phase * size + wi] = at;
                }
  return { kh2, kw2, gather, back };
}

/** The conv's forward: its relu'd output in phases, [N, 4, F, Ho/2, Wo/2]; saves the space-to-depth input. */
export function phasedConvForward(c: ForwardCtx, layer: ConvLayer, x: string, inShape: FeatureShape, p: (name: string) => string): ForwardResult {
  const n = layer.name;
  const [kh, kw] = layer.kernelSize;
  const [h, w, cin] = inShape as [number, number, number];
  const f = layer.filters;
  const { kh2, kw2, gather } = phaseKernelIndex(f, cin, kh, kw);
  const flat = c.op('Concat', `${n}/wflat`, [c.op('Reshape', `${n}/w1`, [p('kernel'), c.ints([-1])]), c.floats(`${n}/wzero`, [1], Float32Array.of(0))], {
    axis: 0,
  });
  const kernel = c.op('Reshape', `${n}/wphase`, [c.op('Gather', `${n}/wgather`, [flat, c.ints(gather)], { axis: 0 }), c.ints([4 * f, 4 * cin, kh2, kw2])]);
  const xs = c.op('SpaceToDepth', `${n}/s2d`, [x], { blocksize: 2 });
  const ins = [xs, kernel];
  if (layer.useBias) ins.push(c.op('Tile', `${n}/bphase`, [p('bias'), c.ints([4])]));
  let z = c.op('Conv', `${n}/conv`, ins, { kernel_shape: [kh2, kw2] });
  if (layer.activation === 'relu') z = c.op('Relu', `${n}/relu`, [z]);
  const ho = h - kh + 1;
  const wo = w - kw + 1;
  return { output: c.op('Reshape', `${n}/phases`, [z, c.ints([0, 4, f, ho / 2, wo / 2])]), saved: { xs } };
}

/** The pool's forward over the conv's phases: the max and its first arg-max. */
export function phasedPoolForward(c: ForwardCtx, n: string, phases: string): ForwardResult {
  return {
    output: c.op('ReduceMax', `${n}/max`, [phases, c.ints([1])], { keepdims: 0 }),
    saved: { phase: c.op('ArgMax', `${n}/argmax`, [phases], { axis: 1, keepdims: 1, select_last_index: 0 }) },
  };
}

/** The pool's backward: dy (relu mask applied) to each window's first maximal phase, [N, 4, F, Ho/2, Wo/2]. */
export function phasedPoolBackward(c: TrainCtx, n: string, dy: string, phase: string): string {
  const ids = c.op('Reshape', `${n}/phase_ids`, [c.ints([0, 1, 2, 3]), c.ints([1, 4, 1, 1, 1])]);
  // A float mask times dy: ORT's CPU Where costs 1.5 ns a cell (2.4 ms here), Cast + Mul a third of that.
  const hot = c.op('Cast', `${n}/hot`, [c.op('Equal', `${n}/is_arg`, [phase, ids])], { to: 1 });
  return c.op('Mul', `${n}/dphases`, [hot, c.op('Unsqueeze', `${n}/dy5`, [dy, c.ints([1])])]);
}

/** The conv's parameter gradients from the phase gradient: im2col of the space-to-depth input, then the taps back. */
export function phasedConvBackward(c: TrainCtx, layer: ConvLayer, dPhases: string, xs: string, inShape: FeatureShape, n: string): Record<string, string> {
  const [kh, kw] = layer.kernelSize;
  const [h, w, cin] = inShape as [number, number, number];
  const f = layer.filters;
  const { kh2, kw2, back } = phaseKernelIndex(f, cin, kh, kw);
  const cells = ((h - kh + 1) / 2) * ((w - kw + 1) / 2);
  const dPhaseKernel = im2colWeightGrad(c, n, xs, dPhases, { cin: 4 * cin, f: 4 * f, kh: kh2, kw: kw2, cells });
  const perPhase = c.op('Gather', `${n}/dwback`, [c.op('Reshape', `${n}/dwflat`, [dPhaseKernel, c.ints([-1])]), c.ints(back)], { axis: 0 });
  const kernel = c.op('Reshape', `${n}/dw`, [
    c.op('ReduceSum', `${n}/dwphases`, [c.op('Reshape', `${n}/dw4`, [perPhase, c.ints([4, -1])]), c.ints([0])], { keepdims: 0 }),
    c.ints([f, cin, kh, kw]),
  ]);
  const params: Record<string, string> = { kernel };
  if (layer.useBias) params.bias = c.op('ReduceSum', `${n}/db`, [dPhases, c.ints([0, 1, 3, 4])], { keepdims: 0 });
  return params;
}
