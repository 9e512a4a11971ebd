// The tutorial's figure (He et al. 2015, Fig. 1 / Fig. 6 left and middle): error vs iterations, training error dashed
// (a moving average over the iterations, as the paper's curves are smoothed), test error solid; plain nets on the
// left, residual nets on the right; 20 layers and 56 layers in two colours.
import { lineChartSvg, type LineSeries } from '@convzoo/train';
import type { NetResult } from './degradation.js';

const COLORS: Record<string, string> = { '20': '#1f77b4', '56': '#d62728' };

function movingAverage(values: number[], window: number): number[] {
  const out: number[] = [];
  let sum = 0;
  values.forEach((v, i) => {
    sum += v;
    if (i >= window) sum -= values[i - window]!;
    out.push(sum / Math.min(i + 1, window));
  });
  return out;
}

function series(r: NetResult, steps: number): LineSeries[] {
  const depth = r.net.replace(/\D/g, '');
  const color = COLORS[depth] ?? '#555';
  const window = Math.max(1, Math.round(r.iterations.length / 50));
  const smooth = movingAverage(
    r.iterations.map((i) => i.trainError * 100),
    window,
  );
  const test = (r.history.history.val_accuracy ?? []).map((a, e) => [(r.history.epoch[e]! + 1) * steps, (1 - a) * 100] as [number, number]);
  const name = r.net.startsWith('plain') ? `plain-${depth}` : `ResNet-${depth}`;
  return [
    { label: `${name} train`, color, dashed: true, points: r.iterations.map((it, k) => [it.iteration, smooth[k]!]) },
    { label: `${name} test`, color, points: test },
  ];
}

export function degradationFigureSvg(results: NetResult[], title: string, recipe?: string): string {
  const steps = (r: NetResult) => (r.history.epoch.length ? Math.round((r.iterations.at(-1)?.iteration ?? 0) / r.history.epoch.length) : 1);
  const panel = (prefix: string, label: string) => ({
    title: label,
    series: results.filter((r) => r.net.startsWith(prefix)).flatMap((r) => series(r, steps(r))),
  });
  return lineChartSvg([panel('plain', 'plain networks'), panel('resnet', 'residual networks (ResNets)')], {
    title,
    xLabel: 'iteration',
    yLabel: 'error (%)',
    ...(recipe ? { caption: `Recipe: ${recipe}` } : {}),
  });
}
