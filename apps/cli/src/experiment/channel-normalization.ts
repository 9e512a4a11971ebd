// Per-channel input normalisation (He et al. 2015, section 4.2: "the per-pixel mean subtracted"; torchvision's CIFAR
// recipes divide by the per-channel std too): statistics of the TRAINING images only, applied to both halves, so the
// test set never informs the model.
import type { Tensor } from '@convzoo/backend';
import type { Samples } from '@convzoo/train';
import type { LoadedData } from '../train-data.js';

export interface ChannelStats {
  mean: number[];
  std: number[];
}

/** Mean and standard deviation of each channel over every pixel of every image of `x` ([n, h, w, c]). */
export function channelStats(x: Tensor): ChannelStats {
  const c = x.shape.at(-1)!;
  const sum = new Float64Array(c);
  const sq = new Float64Array(c);
  for (let i = 0; i < x.data.length; i++) {
    const v = x.data[i]!;
    const k = i % c;
    sum[k] = sum[k]! + v;
    sq[k] = sq[k]! + v * v;
  }
  const count = x.data.length / c;
  const mean = Array.from(sum, (s) => s / count);
  // A constant channel (std 0) is only centred: dividing by ~0 would blow its noise up.
  const std = Array.from(sq, (s, k) => Math.sqrt(Math.max(0, s / count - mean[k]! ** 2)) || 1);
  return { mean, std };
}

function normalize(x: Tensor, s: ChannelStats): Tensor {
  const c = s.mean.length;
  const out = new Float32Array(x.data.length);
  for (let i = 0; i < out.length; i++) out[i] = (x.data[i]! - s.mean[i % c]!) / s.std[i % c]!;
  return { shape: [...x.shape], data: out };
}

export function normalizeChannels(data: LoadedData): { data: LoadedData; stats: ChannelStats } {
  const stats = channelStats(data.train.x as Tensor);
  const on = (set: Samples): Samples => ({ x: normalize(set.x as Tensor, stats), y: set.y });
  return { data: { ...data, train: on(data.train), test: on(data.test) }, stats };
}

export function describeStats(s: ChannelStats): string {
  const f = (v: number[]) => v.map((x) => x.toFixed(4)).join('/');
  return `per-channel normalised with the training set's mean ${f(s.mean)} and std ${f(s.std)}`;
}
