// A Keras print_summary-style text table: columns placed at fractions of the line length, `_` between rows and
// `=` around the body. Unlike Keras 2, a cell wider than its column widens the column instead of being cut off
// (Keras 2 printed "max_pooling2d_1 (MaxPooling2" because of that cut).

export interface Column {
  header: string;
  /** Right edge of the column as a fraction of the line length (Keras' `positions`). */
  position: number;
  align?: 'left' | 'right';
}

/** One row; a cell may hold several lines (Keras lists extra inbound layers on continuation lines). */
export type Row = (string | string[])[];

export function renderTable(columns: Column[], rows: Row[], lineLength: number): string[] {
  const lines = (cell: string | string[]) => (typeof cell === 'string' ? [cell] : cell.length ? cell : ['']);
  const widths = columns.map((c, i) => {
    const start = i === 0 ? 0 : Math.floor(columns[i - 1]!.position * lineLength);
    const nominal = Math.floor(c.position * lineLength) - start;
    const widest = Math.max(c.header.length, ...rows.flatMap((r) => lines(r[i] ?? '').map((s) => s.length)));
    // one space keeps neighbouring cells apart; the last column needs none
    return Math.max(nominal, widest + (i < columns.length - 1 ? 1 : 0));
  });
  const width = widths.reduce((a, b) => a + b, 0);
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => {
        const w = widths[i]! - (i < columns.length - 1 ? 1 : 0);
        return (columns[i]!.align === 'right' ? cell.padStart(w) : cell.padEnd(w)) + (i < columns.length - 1 ? ' ' : '');
      })
      .join('')
      .trimEnd();
  const out = ['_'.repeat(width), line(columns.map((c) => c.header)), '='.repeat(width)];
  rows.forEach((row, r) => {
    const cells = columns.map((_, i) => lines(row[i] ?? ''));
    const height = Math.max(...cells.map((c) => c.length));
    for (let k = 0; k < height; k++) out.push(line(cells.map((c) => c[k] ?? '')));
    out.push(r === rows.length - 1 ? '='.repeat(width) : '_'.repeat(width));
  });
  if (rows.length === 0) out.push('='.repeat(width));
  return out;
}

/** 431080 -> "431,080" */
export const thousands = (n: number) => Math.round(n).toLocaleString('en-US');
