// `doctor`: which registered backends can start here, and for the others, why not and what to do about it.
import { formatBytes } from '@convzoo/models';
import { defaultRegistry, type BackendNeed, type BackendRegistry, type DoctorEntry } from './registry.js';

/** Every backend, available or why not; with `need.memory`, whether that model and batch fit each one. */
export function doctor(registry: BackendRegistry = defaultRegistry, need: Pick<BackendNeed, 'memory'> = {}): Promise<DoctorEntry[]> {
  return registry.doctor(need);
}

function memoryLine(e: DoctorEntry): string | undefined {
  const m = e.memory;
  if (!m) return undefined;
  const verdict = m.fits ? 'fits' : m.largestBatch > 0 ? `does NOT fit (largest batch that fits: ${m.largestBatch})` : 'does NOT fit (not even batch 1)';
  return `memory: batch ${m.batchSize} ${m.training ? 'training' : 'inference'} needs ~${formatBytes(m.needBytes)} of ${formatBytes(m.limitBytes)} (${m.limitSource}): ${verdict}`;
}

/** A plain-text report: one block per backend, best first, with the reason (or details) indented below. */
export function formatDoctor(entries: readonly DoctorEntry[]): string {
  if (entries.length === 0) return 'no backend is registered';
  const width = Math.max(...entries.map((e) => e.name.length));
  const lines: string[] = [];
  for (const e of entries) {
    const status = e.available ? 'available' : 'unavailable';
    lines.push(
      `${e.available ? '✓' : '✗'} ${e.name.padEnd(width)}  ${status.padEnd(11)}  priority ${e.priority}${e.canTrain ? ', trains' : ', inference only'}`,
    );
    const note = e.available ? e.details : e.reason;
    if (note) for (const l of note.split('\n')) lines.push(`    ${l}`);
    const memory = e.available ? memoryLine(e) : undefined;
    if (memory) lines.push(`    ${memory}`);
  }
  const n = entries.filter((e) => e.available).length;
  const usable = (e: DoctorEntry) => e.available && e.memory?.fits !== false;
  const pick = (train: boolean) => entries.find((e) => usable(e) && (!train || e.canTrain))?.name ?? 'none';
  lines.push('', `${n} of ${entries.length} backends available; 'auto' picks ${pick(false)} (for training: ${pick(true)})`);
  return lines.join('\n');
}
