// Keras-style `model.summary()` for a spec, plus an analysis table with cost columns (MACs, memory, receptive
// field) in the spirit of the classic VGG16 memory table.
import { analyze, type LayerAnalysis } from './analysis.js';
import { formatBytes } from './format.js';
import { LAYER_DEFS } from './kinds.js';
import { renderTable, thousands, type Column, type Row } from './table.js';
import type { FeatureShape, LayerKind, ModelSpec } from './types.js';

/** The Keras class each layer kind stands for, as `model.summary()` prints it (from the kind table). */
export const KERAS_CLASS = Object.fromEntries(Object.entries(LAYER_DEFS).map(([kind, def]) => [kind, def.kerasClass])) as Record<LayerKind, string>;

export interface SummaryOptions {
  /** Total width, as Keras' `line_length` (65 for chains, 98 with the Connected-to column). Columns widen to fit. */
  lineLength?: number;
  /** Print the analysis table (MACs, memory, receptive field) instead of the plain Keras summary. */
  analysis?: boolean;
}

export const formatShape = (s: FeatureShape) => `(None, ${s.join(', ')})`;

/**
 * A plain chain (one input, one output, every layer fed by the previous one only) prints like a Keras Sequential
 * model: no input row, no Connected-to column. Anything else prints like a functional model.
 */
export function isChain(spec: ModelSpec): boolean {
  if (spec.inputs.length !== 1 || spec.outputs.length !== 1) return false;
  const consumers = new Map<string, number>();
  for (const layer of spec.layers) {
    if (layer.kind !== 'input' && layer.inputs.length !== 1) return false;
    for (const i of layer.inputs) consumers.set(i, (consumers.get(i) ?? 0) + 1);
  }
  return [...consumers.values()].every((n) => n === 1);
}

const nameAndType = (l: Pick<LayerAnalysis, 'name' | 'kind'>) => `${l.name} (${KERAS_CLASS[l.kind]})`;

function totalsLines(a: ReturnType<typeof analyze>): string[] {
  return [
    `Total params: ${thousands(a.totals.params)}`,
    `Trainable params: ${thousands(a.totals.trainableParams)}`,
    `Non-trainable params: ${thousands(a.totals.nonTrainableParams)}`,
  ];
}

/** The Keras 2 `model.summary()` text for a spec (validates it first). */
export function summary(spec: ModelSpec, options: SummaryOptions = {}): string {
  if (options.analysis) return analysisTable(spec, options);
  const a = analyze(spec);
  const chain = isChain(spec);
  let columns: Column[];
  let rows: Row[];
  if (chain) {
    columns = [
      { header: 'Layer (type)', position: 0.45 },
      { header: 'Output Shape', position: 0.85 },
      { header: 'Param #', position: 1 },
    ];
    rows = a.layers.filter((l) => l.kind !== 'input').map((l) => [nameAndType(l), formatShape(l.outputShape), String(l.params)]);
  } else {
    columns = [
      { header: 'Layer (type)', position: 0.33 },
      { header: 'Output Shape', position: 0.55 },
      { header: 'Param #', position: 0.67 },
      { header: 'Connected to', position: 1 },
    ];
    rows = a.layers.map((l) => [
      nameAndType(l),
      l.kind === 'input' ? `[${formatShape(l.outputShape)}]` : formatShape(l.outputShape),
      String(l.params),
      l.inputs.map((i) => `${i}[0][0]`),
    ]);
  }
  const lineLength = options.lineLength ?? (chain ? 65 : 98);
  const table = renderTable(columns, rows, lineLength);
  const width = table[0]!.length;
  return [`Model: "${spec.name}"`, ...table, ...totalsLines(a), '_'.repeat(width)].join('\n');
}

/** 15470264320 -> "15.47G"; decimal units, as compute is quoted. */
export function formatCount(n: number): string {
  if (n === 0) return '0';
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [size, unit] of units) if (n >= size) return `${(n / size).toFixed(2)}${unit}`;
  return String(n);
}

const fieldText = (p: readonly [number, number]) => (p[0] === p[1] ? `${fmtNum(p[0])}` : `${fmtNum(p[0])}x${fmtNum(p[1])}`);
const fmtNum = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(3).replace(/0+$/, ''));

/**
 * The summary with cost columns: MACs, output floats and their float32 memory per image, receptive field (size
 * and jump in input pixels; one number when square). Inputs are listed: they occupy memory too.
 */
export function analysisTable(spec: ModelSpec, options: Pick<SummaryOptions, 'lineLength'> = {}): string {
  const a = analyze(spec);
  const columns: Column[] = [
    { header: 'Layer (type)', position: 0.28 },
    { header: 'Output Shape', position: 0.47 },
    { header: 'Param #', position: 0.58, align: 'right' },
    { header: 'MACs', position: 0.67, align: 'right' },
    { header: 'Activations', position: 0.77, align: 'right' },
    { header: 'Memory', position: 0.88, align: 'right' },
    { header: 'RF', position: 0.94, align: 'right' },
    { header: 'Jump', position: 1, align: 'right' },
  ];
  const rows: Row[] = a.layers.map((l) => [
    nameAndType(l),
    formatShape(l.outputShape),
    thousands(l.params),
    formatCount(l.macs),
    thousands(l.activations),
    formatBytes(l.activationBytes),
    fieldText(l.receptiveField.size),
    fieldText(l.receptiveField.jump),
  ]);
  const table = renderTable(columns, rows, options.lineLength ?? 120);
  const t = a.totals;
  return [
    `Model: "${spec.name}"`,
    ...table,
    `Total params: ${thousands(t.params)} (${formatBytes(t.paramBytes)} as float32)`,
    `Trainable params: ${thousands(t.trainableParams)}`,
    `Non-trainable params: ${thousands(t.nonTrainableParams)}`,
    `Multiply-accumulates per image: ${thousands(t.macs)} (${formatCount(t.macs)})`,
    `Activations per image: ${thousands(t.activations)} floats = ${formatBytes(t.activationBytes)} (forward; training keeps them for backward, ~2x)`,
    '_'.repeat(table[0]!.length),
  ].join('\n');
}
