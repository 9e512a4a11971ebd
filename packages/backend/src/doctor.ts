// `doctor`: which registered backends can start here, and for the others, why not and what to do about it.
import { defaultRegistry, type BackendRegistry, type DoctorEntry } from './registry.js';

export function doctor(registry: BackendRegistry = defaultRegistry): Promise<DoctorEntry[]> {
  return registry.doctor();
}

/** A plain-text report: one block per backend, best first, with the reason (or details) indented below. */
export function formatDoctor(entries: readonly DoctorEntry[]): string {
  if (entries.length === 0) return 'no backend is registered';
  const width = Math.max(...entries.map((e) => e.name.length));
  const lines: string[] = [];
  for (const e of entries) {
    const status = e.available ? 'available' : 'unavailable';
    lines.push(`${e.available ? '✓' : '✗'} ${e.name.padEnd(width)}  ${status.padEnd(11)}  priority ${e.priority}${e.canTrain ? ', trains' : ', inference only'}`);
    const note = e.available ? e.details : e.reason;
    if (note) for (const l of note.split('\n')) lines.push(`    ${l}`);
  }
  const n = entries.filter((e) => e.available).length;
  const pick = (train: boolean) => entries.find((e) => e.available && (!train || e.canTrain))?.name ?? 'none';
  lines.push('', `${n} of ${entries.length} backends available; 'auto' picks ${pick(false)} (for training: ${pick(true)})`);
  return lines.join('\n');
}
