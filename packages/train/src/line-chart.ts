// Panels of lines over a numeric x axis (iterations), as He et al.'s training-error figures: each series is a list
// of points, solid or dashed, one colour per series; panels side by side sharing the y range. No dependencies.
import { escapeXml, tickLabel, ticks } from './svg.js';

export interface LineSeries {
  label: string;
  color: string;
  dashed?: boolean;
  /** [x, y] points in x order; non-finite y values are left out. */
  points: [number, number][];
}

export interface LinePanel {
  title: string;
  series: LineSeries[];
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  /** Fixed y range; default: the data's, padded 5%. */
  yRange?: [number, number];
  /** Small text under the panels (e.g. the recipe that made the curves), wrapped to the figure's width. */
  caption?: string;
}

const W = 460;
const H = 340;
const M = { left: 62, right: 16, top: 58, bottom: 46 };
const CAPTION_LINE = 13;

/** Greedy word wrap at `width` characters (10 px sans-serif averages about 5.6 px a character). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

export function lineChartSvg(panels: LinePanel[], options: LineChartOptions): string {
  const all = panels.flatMap((p) => p.series.flatMap((s) => s.points)).filter((p) => Number.isFinite(p[1]));
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const x0 = Math.min(0, ...xs);
  const x1 = Math.max(x0 + 1, ...xs);
  let [lo, hi] = options.yRange ?? [Math.min(...ys), Math.max(...ys)];
  if (!(hi > lo)) [lo, hi] = [Number.isFinite(lo) ? lo - 0.5 : 0, Number.isFinite(hi) ? hi + 0.5 : 1];
  if (!options.yRange) [lo, hi] = [lo - (hi - lo) * 0.05, hi + (hi - lo) * 0.05];
  const w = W - M.left - M.right;
  const h = H - M.top - M.bottom;
  const body = panels.map((panel, i) => {
    const ox = i * W;
    const px = (x: number) => ox + M.left + ((x - x0) / (x1 - x0)) * w;
    const py = (y: number) => M.top + h - ((Math.min(hi, Math.max(lo, y)) - lo) / (hi - lo)) * h;
    const parts = [
      `<text x="${ox + W / 2}" y="${M.top - 34}" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(panel.title)}</text>`,
      `<rect x="${ox + M.left}" y="${M.top}" width="${w}" height="${h}" fill="none" stroke="#444"/>`,
    ];
    for (const t of ticks(lo, hi)) {
      const y = py(t).toFixed(1);
      parts.push(`<line x1="${ox + M.left}" x2="${ox + M.left + w}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
      parts.push(`<text x="${ox + M.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" font-size="11">${tickLabel(t)}</text>`);
    }
    for (const t of ticks(x0, x1)) {
      const x = px(t).toFixed(1);
      parts.push(`<line x1="${x}" x2="${x}" y1="${M.top + h}" y2="${M.top + h + 4}" stroke="#444"/>`);
      parts.push(`<text x="${x}" y="${M.top + h + 17}" text-anchor="middle" font-size="11">${tickLabel(t)}</text>`);
    }
    parts.push(`<text x="${ox + M.left + w / 2}" y="${H - 8}" text-anchor="middle" font-size="12">${escapeXml(options.xLabel)}</text>`);
    parts.push(`<text transform="translate(${ox + 14},${M.top + h / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escapeXml(options.yLabel)}</text>`);
    panel.series.forEach((s, j) => {
      const pts = s.points.filter((p) => Number.isFinite(p[1]));
      const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
      if (pts.length > 0) {
        const d = pts.map(([x, y], k) => `${k === 0 ? 'M' : 'L'}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ');
        parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="${s.dashed ? 1.5 : 2}"${dash}/>`);
      }
      // legend under the title, two entries a row, so it never hides a line
      const lx = ox + M.left + (j % 2) * (w / 2);
      const ly = M.top - 22 + Math.floor(j / 2) * 13;
      parts.push(`<line x1="${lx}" x2="${lx + 22}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${dash}/>`);
      parts.push(`<text x="${lx + 28}" y="${ly}" dominant-baseline="middle" font-size="11">${escapeXml(s.label)}</text>`);
    });
    return parts.join('\n');
  });
  const width = Math.max(1, panels.length) * W;
  const caption = options.caption ? wrap(options.caption, Math.floor((width - 24) / 5.6)) : [];
  const height = H + (caption.length ? caption.length * CAPTION_LINE + 8 : 0);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<title>${escapeXml(options.title)}</title>`,
    '<rect width="100%" height="100%" fill="white"/>',
    ...body,
    ...caption.map((line, i) => `<text x="12" y="${H + 4 + (i + 1) * CAPTION_LINE}" font-size="10" fill="#333">${escapeXml(line)}</text>`),
    '</svg>',
    '',
  ].join('\n');
}
