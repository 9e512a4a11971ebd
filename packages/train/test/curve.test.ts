import { describe, expect, it } from 'vitest';
import { lineChartSvg, trainingCurveSvg } from '../src/index.js';

describe('training curve SVG', () => {
  const history = {
    epoch: [0, 1, 2, 3, 4],
    history: {
      loss: [1.1945, 0.3321, 0.2177, 0.1522, 0.1206],
      accuracy: [0.658, 0.9033, 0.9397, 0.9557, 0.968],
      val_loss: [0.46, 0.2895, 0.2198, 0.1777, 0.1574],
      val_accuracy: [0.8544, 0.9125, 0.9327, 0.9453, 0.9519],
    },
  };

  it('draws one panel per metric with a solid training and a dashed validation line', () => {
    const svg = trainingCurveSvg(history, 'lenet on mnist');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="840"')).toBe(true);
    expect(svg).toContain('<title>lenet on mnist</title>');
    expect(svg.match(/>loss</g)).toHaveLength(1);
    expect(svg.match(/>accuracy</g)).toHaveLength(1);
    const paths = [...svg.matchAll(/<path d="([^"]+)"[^>]*?(stroke-dasharray)?[^>]*\/>/g)];
    expect(paths).toHaveLength(4);
    for (const p of paths) expect(p[1]!.split(' ')).toHaveLength(5);
    expect(svg.match(/stroke-dasharray/g)).toHaveLength(4); // two dashed lines + their legend samples
    // the highest loss is drawn at the top of the plot area: the first point of the first path has the smallest y
    const ys = paths[0]![1]!.split(' ').map((pt) => Number(pt.slice(1).split(',')[1]));
    expect(Math.min(...ys)).toBe(ys[0]);
  });

  it('skips non-finite values instead of drawing NaN coordinates', () => {
    const svg = trainingCurveSvg({ epoch: [0, 1], history: { loss: [1, Number.NaN] } });
    expect(svg).not.toContain('NaN');
  });
});

describe('line chart caption', () => {
  it('wraps the caption under the panels and grows the figure to hold it', () => {
    const panels = [
      {
        title: 'p',
        series: [
          {
            label: 's',
            color: '#000',
            points: [
              [0, 1],
              [1, 2],
            ] as [number, number][],
          },
        ],
      },
    ];
    const plain = lineChartSvg(panels, { title: 't', xLabel: 'x', yLabel: 'y' });
    const caption = `Recipe: ${'word '.repeat(40)}<end>`;
    const svg = lineChartSvg(panels, { title: 't', xLabel: 'x', yLabel: 'y', caption });
    const height = (s: string) => Number(/height="(\d+)"/.exec(s)![1]);
    const lines = [...svg.matchAll(/<text x="12" y="\d+" font-size="10" fill="#333">([^<]*)<\/text>/g)].map((m) => m[1]!);
    expect(lines.length).toBeGreaterThan(1); // 206 characters in a 460 px figure
    expect(lines.join(' ')).toBe(caption.replace('<', '&lt;').replace('>', '&gt;').trim());
    expect(height(svg)).toBe(height(plain) + lines.length * 13 + 8);
  });
});
