// ImageNet's Keras short names (`Egyptian_cat`, `German_short-haired_pointer`) as people read them. Two names
// repeat in Keras' list for different synsets; their WordNet glosses tell them apart.
const TWINS: Record<number, string> = { 134: 'crane (bird)', 517: 'crane (machine)', 638: 'maillot', 639: 'maillot (tank suit)' };

export function readableLabel(label: string, index?: number): string {
  const twin = index === undefined ? undefined : TWINS[index];
  if (twin) return twin;
  return label.replaceAll('_', ' ');
}
