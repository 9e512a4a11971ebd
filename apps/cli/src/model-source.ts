// The model a command is given, whatever form it comes in: a registered architecture (shaped by --input, --classes,
// --flavour), a spec file, a checkpoint directory, or an ONNX file (imported). One reading for summary, compare and
// train, so that each form works in each of them alike.
import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { WeightMap } from '@convzoo/backend';
import { getModel, type ModelSpec, type Shape3 } from '@convzoo/models';
import { loadCheckpoint } from '@convzoo/train';
import { isOnnxFile, loadOnnxFile } from './onnx-source.js';
import { isSpecFile, modelOptions, readSpecFile, refuseArchitectureOptions } from './model-target.js';

export type ModelSourceKind = 'registered' | 'spec' | 'checkpoint' | 'onnx';

export interface ModelSource {
  kind: ModelSourceKind;
  spec: ModelSpec;
  /** The weights that come with it (checkpoint, ONNX file); none for architectures and spec files. */
  weights?: WeightMap;
  /** How the command names it in messages: "the ONNX file 'm.onnx'". */
  what: string;
}

/** A model target as a directory name: a registered name as it is, a file or directory path as its base name. */
export const modelStem = (target: string) => basename(target).replace(/\.(onnx|json)$/i, '');

/** Which form `target` is, by its name and what is on disk (no file is read). */
export function modelSourceKind(target: string): ModelSourceKind {
  if (isOnnxFile(target)) return 'onnx';
  if (existsSync(target) && statSync(target).isDirectory()) return 'checkpoint';
  return isSpecFile(target) ? 'spec' : 'registered';
}

const WHAT: Record<ModelSourceKind, string> = { registered: 'the model', spec: 'the spec file', checkpoint: 'the checkpoint', onnx: 'the ONNX file' };

/** How messages name `target`: "the ONNX file 'm.onnx'". */
export const describeModelSource = (target: string) => `${WHAT[modelSourceKind(target)]} '${target}'`;

type ArchitectureValues = { input?: string | undefined; classes?: string | undefined; flavour?: string | undefined };

/**
 * Reads `target`. Architecture options are refused for the forms that bring their own architecture; `defaults`
 * shape a registered architecture where its options do not (train: the data set's image shape and classes).
 */
export async function loadModelSource(
  target: string,
  values: ArchitectureValues,
  defaults: { inputShape?: Shape3; classes?: number } = {},
): Promise<ModelSource> {
  const kind = modelSourceKind(target);
  const what = describeModelSource(target);
  if (kind === 'registered') return { kind, what, spec: getModel(target, { ...defaults, ...modelOptions(values) }) };
  refuseArchitectureOptions(values, what);
  if (kind === 'onnx') {
    const { spec, weights } = await loadOnnxFile(target);
    return { kind, what, spec, weights };
  }
  if (kind === 'checkpoint') {
    const snap = loadCheckpoint(target, 'latest');
    return { kind, what, spec: snap.spec, weights: snap.weights };
  }
  return { kind, what, spec: await readSpecFile(target) };
}
