/** Rows of label, bar and percentage. */
export function renderBars(el: HTMLElement, rows: { label: string; p: number }[]): void {
  el.replaceChildren(
    ...rows.flatMap(({ label, p }) => {
      const name = document.createElement('span');
      name.textContent = label;
      const bar = document.createElement('div');
      bar.className = 'bar';
      bar.style.width = `${(p * 100).toFixed(1)}%`;
      const pct = document.createElement('span');
      pct.textContent = `${(p * 100).toFixed(2)}%`;
      return [name, bar, pct];
    }),
  );
}

export function formatTiming(t: { cold?: number; warm: number[] }): string {
  const warm = t.warm.length ? `warm ${median(t.warm).toFixed(1)} ms (median of ${t.warm.length})` : 'no warm run yet';
  return `${t.cold !== undefined ? `cold ${t.cold.toFixed(1)} ms, ` : ''}${warm}`;
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
