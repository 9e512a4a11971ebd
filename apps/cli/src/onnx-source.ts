// An ONNX file named where a command takes a model: imported (importOnnx) into a spec + weights, read as a checkpoint
// of 0 convzoo epochs. Files importOnnx refuses are bad data (exit 1), naming the node, op and opset.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { type ImportedOnnx, importOnnx, OnnxImportError } from '@convzoo/backend-onnx';
import type { LoadedSnapshot, TrainingState } from '@convzoo/train';
import { CliError, EXIT } from './command.js';

export const isOnnxFile = (target: string) => /\.onnx$/i.test(target);

export interface OnnxSource extends ImportedOnnx {
  /** Said after a command ran: where the weights came from. */
  origin: string;
}

export async function loadOnnxFile(path: string): Promise<OnnxSource> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new CliError(`cannot read '${path}': ${(e as Error).message}`);
  }
  try {
    const imported = importOnnx(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { name: basename(path).replace(/\.onnx$/i, '') });
    return { ...imported, origin: `weights of ${path} (ONNX opset ${imported.opset}, ${imported.inputLayout} input read as NHWC)` };
  } catch (e) {
    if (e instanceof OnnxImportError) throw new CliError(`${path}: ${e.message}`, EXIT.failure);
    throw e;
  }
}

/** The training state of a model imported from ONNX: 0 epochs, its origin recorded. */
export function importedState(source: OnnxSource, path: string): TrainingState {
  return {
    format: 'convzoo.train-state/1',
    epoch: 0,
    history: { epoch: [], history: {} },
    seed: 0,
    extra: { source: 'onnx', file: basename(path), opset: source.opset, inputLayout: source.inputLayout },
  };
}

/** An ONNX file as a snapshot (eval and the commands that read checkpoints). */
export async function onnxSnapshot(path: string): Promise<LoadedSnapshot> {
  const source = await loadOnnxFile(path);
  return { path, spec: source.spec, weights: source.weights, verified: true, state: importedState(source, path) };
}
