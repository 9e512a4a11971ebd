// The training curve as a standalone SVG (no dependencies): one panel per quantity (loss, accuracy, ...),
// training in solid blue, validation in dashed orange, epochs numbered from 1 as the progress bar does.
import { escapeXml, tickLabel, ticks } from './svg.js';
import type { History } from './types.js';

const PANEL_W = 420;
const PANEL_H = 300;
const MARGIN = { left: 58, right: 16, top: 50, bottom: 44 };
const COLORS = { train: '#1f77b4', validation: '#ff7f0e' };

interface Series {
  label: string;
  color: string;
  dashed: boolean;
  values: number[];
}

function panel(title: string, epochs: number[], series: Series[], x0: number): string {
  const finite = series.flatMap((s) => s.values).filter(Number.isFinite);
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (!(hi > lo)) {
    lo -= 0.5;
    hi += 0.5;
  }
  const pad = (hi - lo) * 0.05;
  lo -= pad;
  hi += pad;
  const first = epochs[0] ?? 0;
  const last = epochs[epochs.length - 1] ?? 1;
  const w = PANEL_W - MARGIN.left - MARGIN.right;
  const h = PANEL_H - MARGIN.top - MARGIN.bottom;
  // 4% inner padding so the first and last points do not sit on the frame
  const px = (e: number) => x0 + MARGIN.left + (last === first ? w / 2 : (0.04 + (0.92 * (e - first)) / (last - first)) * w);
  const py = (v: number) => MARGIN.top + h - ((v - lo) / (hi - lo)) * h;
  const parts: string[] = [];
  parts.push(`<text x="${x0 + PANEL_W / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`);
  parts.push(`<rect x="${x0 + MARGIN.left}" y="${MARGIN.top}" width="${w}" height="${h}" fill="none" stroke="#444"/>`);
  for (const t of ticks(lo, hi)) {
    const y = py(t).toFixed(1);
    parts.push(`<line x1="${x0 + MARGIN.left}" x2="${x0 + MARGIN.left + w}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    parts.push(`<text x="${x0 + MARGIN.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" font-size="11">${tickLabel(t)}</text>`);
  }
  const epochTicks = epochs.length <= 12 ? epochs : ticks(first, last).filter((e) => Number.isInteger(e));
  for (const e of epochTicks) {
    const x = px(e).toFixed(1);
    parts.push(`<line x1="${x}" x2="${x}" y1="${MARGIN.top + h}" y2="${MARGIN.top + h + 4}" stroke="#444"/>`);
    parts.push(`<text x="${x}" y="${MARGIN.top + h + 17}" text-anchor="middle" font-size="11">${e + 1}</text>`);
  }
  parts.push(`<text x="${x0 + MARGIN.left + w / 2}" y="${PANEL_H - 8}" text-anchor="middle" font-size="12">epoch</text>`);
  series.forEach((s, i) => {
    const pts = epochs.map((e, j) => [e, s.values[j]] as const).filter((p): p is readonly [number, number] => p[1] !== undefined && Number.isFinite(p[1]));
    const path = pts.map(([e, v], j) => `${j === 0 ? 'M' : 'L'}${px(e).toFixed(1)},${py(v).toFixed(1)}`).join(' ');
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    parts.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`);
    for (const [e, v] of pts) parts.push(`<circle cx="${px(e).toFixed(1)}" cy="${py(v).toFixed(1)}" r="3" fill="${s.color}"/>`);
    // legend above the plot area, so it never hides a line
    const ly = 38;
    const lx = x0 + MARGIN.left + w / 2 - 105 + i * 115;
    parts.push(`<line x1="${lx}" x2="${lx + 22}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${dash}/>`);
    parts.push(`<text x="${lx + 28}" y="${ly}" dominant-baseline="middle" font-size="11">${escapeXml(s.label)}</text>`);
  });
  return parts.join('\n');
}

/** One panel per training metric (loss first), each with its `val_` counterpart when there is one. */
export function trainingCurveSvg(history: History, title = 'training curve'): string {
  const names = Object.keys(history.history).filter((k) => !k.startsWith('val_'));
  names.sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : 0));
  const panels = names.map((name, i) => {
    const series: Series[] = [{ label: 'training', color: COLORS.train, dashed: false, values: history.history[name]! }];
    const val = history.history[`val_${name}`];
    if (val) series.push({ label: 'validation', color: COLORS.validation, dashed: true, values: val });
    return panel(name, history.epoch, series, i * PANEL_W);
  });
  const width = Math.max(1, panels.length) * PANEL_W;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${PANEL_H}" viewBox="0 0 ${width} ${PANEL_H}" font-family="sans-serif">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...panels,
    '</svg>',
    '',
  ].join('\n');
}
