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

/** The cold run is the model's first prediction; the first answer (photo) also counts loading and building it. */
export function formatTiming(t: { cold?: number; warm: number[]; firstAnswer?: number; compile?: number }): string {
  const parts: string[] = [];
  if (t.firstAnswer !== undefined) parts.push(`first answer in ${(t.firstAnswer / 1000).toFixed(1)} s`);
  if (t.compile !== undefined) parts.push(`compile ${t.compile.toFixed(0)} ms`);
  if (t.cold !== undefined) parts.push(`cold run ${t.cold.toFixed(1)} ms`);
  parts.push(t.warm.length ? `warm ${median(t.warm).toFixed(1)} ms (median of ${t.warm.length})` : 'no warm run yet');
  return parts.join(', ');
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
