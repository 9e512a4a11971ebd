// Keras' rule for which way a monitored value improves: names with 'acc' go up, everything else down.
export type MonitorMode = 'auto' | 'min' | 'max';

export function resolveMode(monitor: string, mode: MonitorMode): 'min' | 'max' {
  if (mode !== 'auto') return mode;
  return monitor.includes('acc') ? 'max' : 'min';
}

/** Whether `current` beats `best` by more than `minDelta` (Keras: min_delta is a magnitude). */
export function improves(current: number, best: number, mode: 'min' | 'max', minDelta = 0): boolean {
  const d = Math.abs(minDelta);
  return mode === 'max' ? current - d > best : current + d < best;
}
