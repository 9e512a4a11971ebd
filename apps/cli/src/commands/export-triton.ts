// `convzoo export ... --format triton -o model_repository/`: an NVIDIA Triton Inference Server model repository
//   model_repository/<name>/config.pbtxt      ModelConfig in protobuf text format (model_config.proto)
//   model_repository/<name>/1/model.onnx      the ONNX export (NHWC input, symbolic batch dimension)
//   model_repository/<name>/labels.txt        class labels, one a line, for classification outputs
// served by Triton's onnxruntime backend (platform onnxruntime_onnx), with dynamic batching.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { inferShapes, type ModelSpec } from '@convzoo/models';
import { writeFileAtomic } from '@convzoo/weights';
import { CliError } from '../command.js';

export type InstanceKind = 'KIND_CPU' | 'KIND_GPU';

export interface TritonOptions {
  /** Model name in the repository (directory name); default the spec's name. */
  name: string;
  /** Largest batch Triton forms (the ONNX batch dimension is symbolic). */
  maxBatchSize: number;
  instances: { kind: InstanceKind; count: number }[];
  /** Labels of the first output, when it is a classifier with as many classes. */
  labels?: readonly string[];
  /** Longest a request waits for a batch to fill. */
  maxQueueDelayMicroseconds: number;
}

/** `gpu`, `cpu:2`, `gpu:1,cpu:2` -> instance groups. */
export function parseInstances(text: string): TritonOptions['instances'] {
  return text.split(',').map((part) => {
    const m = /^(cpu|gpu)(?::(\d+))?$/.exec(part.trim());
    if (!m || (m[2] !== undefined && Number(m[2]) < 1))
      throw new CliError(`--instances: '${part}' is not cpu[:N] or gpu[:N] (N >= 1), e.g. --instances gpu:1,cpu:2`);
    return { kind: m[1] === 'gpu' ? 'KIND_GPU' : 'KIND_CPU', count: m[2] === undefined ? 1 : Number(m[2]) };
  });
}

const q = (s: string) => JSON.stringify(s); // a protobuf text-format string literal (ASCII names, labels file name)

/** config.pbtxt for `spec` exported to ONNX (names and dims as toOnnx writes them). */
export function tritonConfig(spec: ModelSpec, options: TritonOptions): string {
  const shapes = inferShapes(spec);
  const tensor = (name: string, extra: string[] = []) =>
    ['  {', `    name: ${q(name)}`, '    data_type: TYPE_FP32', `    dims: [ ${shapes.get(name)!.join(', ')} ]`, ...extra.map((e) => `    ${e}`), '  }'].join(
      '\n',
    );
  const imageInputs = spec.inputs.map((n) => tensor(n, ['format: FORMAT_NHWC']));
  const outputs = spec.outputs.map((n, i) => tensor(n, i === 0 && options.labels ? [`label_filename: ${q('labels.txt')}`] : []));
  const groups = options.instances.map((g) => `  {\n    count: ${g.count}\n    kind: ${g.kind}\n  }`);
  return [
    `# Triton model configuration written by convzoo for '${spec.name}' (ONNX, NHWC float32 input).`,
    `name: ${q(options.name)}`,
    'platform: "onnxruntime_onnx"',
    `max_batch_size: ${options.maxBatchSize}`,
    `input [\n${imageInputs.join(',\n')}\n]`,
    `output [\n${outputs.join(',\n')}\n]`,
    `dynamic_batching {\n  max_queue_delay_microseconds: ${options.maxQueueDelayMicroseconds}\n}`,
    `instance_group [\n${groups.join(',\n')}\n]`,
    '',
  ].join('\n');
}

/** Checks that labels fit the first output (a vector of as many classes). */
export function checkLabels(spec: ModelSpec, labels: readonly string[]): void {
  const shape = inferShapes(spec).get(spec.outputs[0]!)!;
  if (shape.length !== 1 || shape[0] !== labels.length) {
    throw new CliError(
      `${labels.length} labels do not fit output '${spec.outputs[0]}' of shape [${shape.join(', ')}] (a classifier output of ${labels.length} classes is needed)`,
    );
  }
  const bad = labels.findIndex((l) => l.includes('\n'));
  if (bad >= 0) throw new CliError(`label ${bad} contains a line break; labels.txt holds one label a line`);
}

/** Writes the repository entry; returns the files written (relative to `root`). */
export async function writeTritonRepository(root: string, spec: ModelSpec, onnx: Uint8Array, options: TritonOptions): Promise<string[]> {
  if (!/^[A-Za-z0-9_.-]+$/.test(options.name)) throw new CliError(`--name '${options.name}' must be letters, digits, '_', '.' or '-' (it is a directory name)`);
  if (!Number.isInteger(options.maxBatchSize) || options.maxBatchSize < 1)
    throw new CliError(`--max-batch-size must be a positive integer, got ${options.maxBatchSize}`);
  if (options.labels) checkLabels(spec, options.labels);
  const dir = join(root, options.name);
  await mkdir(join(dir, '1'), { recursive: true });
  const written: [string, Uint8Array][] = [
    [join(options.name, '1', 'model.onnx'), onnx],
    [join(options.name, 'config.pbtxt'), new TextEncoder().encode(tritonConfig(spec, options))],
  ];
  if (options.labels) written.push([join(options.name, 'labels.txt'), new TextEncoder().encode(`${options.labels.join('\n')}\n`)]);
  for (const [rel, bytes] of written) await writeFileAtomic(join(root, rel), bytes);
  return written.map(([rel]) => rel);
}
