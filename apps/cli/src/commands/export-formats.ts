// The writers behind `convzoo export --format keras|triton` (onnx stays in export.ts). Each gets the loaded source
// (spec + weights, and for pretrained weights their recipe and labels) and the command's options.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { WeightMap } from '@convzoo/backend';
import { CONVZOO_VERSION, toOnnx } from '@convzoo/backend-onnx';
import type { ModelSpec } from '@convzoo/models';
import { KerasExportError, writeFileAtomic, writeKerasArchive } from '@convzoo/weights';
import { CliError, intOption } from '../command.js';
import { pretrainedMetadata, type ExtraSource } from './export-source.js';
import { parseInstances, writeTritonRepository } from './export-triton.js';

export const EXPORT_FORMATS = ['onnx', 'keras', 'triton'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

interface Loaded {
  spec: ModelSpec;
  weights: WeightMap;
  origin: string;
  pretrained?: ExtraSource['pretrained'];
}

type Values = Record<string, string | boolean | undefined>;

/** Options that only some formats take, so a wrong combination fails instead of being ignored. */
const FORMAT_ONLY: Record<string, ExportFormat[]> = {
  opset: ['onnx', 'triton'],
  name: ['triton'],
  'max-batch-size': ['triton'],
  instances: ['triton'],
  labels: ['triton'],
};

export function checkFormatOptions(format: ExportFormat, values: Values): void {
  for (const [option, formats] of Object.entries(FORMAT_ONLY)) {
    if (values[option] !== undefined && !formats.includes(format)) throw new CliError(`--${option} applies to --format ${formats.join(' or ')}, not ${format}`);
  }
}

/** The ONNX metadata_props of a source: pretrained weights carry their recipe and labels. */
export const onnxMetadata = (source: Loaded): Record<string, string> => (source.pretrained ? pretrainedMetadata(source.pretrained) : {});

export async function writeKeras(source: Loaded, output: string, out: (line: string) => void): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = await writeKerasArchive(source.spec, source.weights, { producer: `convzoo ${CONVZOO_VERSION}` });
  } catch (e) {
    if (e instanceof KerasExportError) throw new CliError(`cannot export '${source.spec.name}' to Keras: ${e.message}`);
    throw e;
  }
  try {
    await writeFileAtomic(resolve(output), bytes);
  } catch (e) {
    throw new CliError(`cannot write '${output}': ${(e as Error).message}`, 1);
  }
  out(`Wrote ${output} (${(bytes.length / 1e6).toFixed(2)} MB, Keras 3 .keras archive): ${source.spec.name} with ${source.origin}`);
  out(`Load it with keras.saving.load_model('${output}') (no custom objects); inputs NHWC float32.`);
}

async function readLabels(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read --labels '${path}': ${(e as Error).message}`);
  }
  return text.replace(/\r?\n$/, '').split(/\r?\n/);
}

export async function writeTriton(source: Loaded, output: string, values: Values, opset: number, out: (line: string) => void): Promise<void> {
  const labels = typeof values.labels === 'string' ? await readLabels(values.labels) : source.pretrained?.meta.labels;
  const options = {
    name: typeof values.name === 'string' ? values.name : source.spec.name,
    maxBatchSize: intOption(values['max-batch-size'] as string | undefined, 'max-batch-size', 32),
    instances: parseInstances(typeof values.instances === 'string' ? values.instances : 'gpu:1'),
    maxQueueDelayMicroseconds: 100,
    ...(labels ? { labels } : {}),
  };
  const onnx = toOnnx(source.spec, source.weights, { opset, metadata: onnxMetadata(source) });
  let files: string[];
  try {
    files = await writeTritonRepository(resolve(output), source.spec, onnx, options);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`cannot write the model repository '${output}': ${(e as Error).message}`, 1);
  }
  out(`Wrote Triton model '${options.name}' into ${output}: ${files.join(', ')} (${source.spec.name} with ${source.origin})`);
  out(`Serve it: tritonserver --model-repository=${resolve(output)} (see docs/scale.md)`);
}
