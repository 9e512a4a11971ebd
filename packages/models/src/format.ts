// Number formatting shared by summaries and error messages.

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/**
 * 1536 -> "1.50 KiB"; binary units, as memory is allocated. Two decimals by default; `{ significant: 4 }` gives
 * "4.000 GiB" / "111.8 GiB", for sizes that span many orders of magnitude (allocation limits).
 */
export function formatBytes(bytes: number, options: { significant?: number } = {}): string {
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < BYTE_UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return `${v} B`;
  return `${options.significant !== undefined ? v.toPrecision(options.significant) : v.toFixed(2)} ${BYTE_UNITS[u]}`;
}
