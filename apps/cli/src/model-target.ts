// A model named on the command line: a registered architecture shaped by --input/--classes/--flavour, or a spec
// file. One reading for every command that builds a model (summary, export, compare, doctor, train).
import { readFile } from 'node:fs/promises';
import { specFromJSON, type ModelSpec, type Shape3 } from '@convzoo/models';
import { CliError, intOption } from './command.js';

/** The options that shape a registered architecture, spelled alike in every command (compare's data file is --input-file). */
export const ARCHITECTURE_OPTIONS = ['input', 'classes', 'flavour'] as const;

export const isSpecFile = (arg: string) => arg.toLowerCase().endsWith('.json');

/** "224x224x3" -> [224, 224, 3], naming the option when the text is not that. */
export function parseInputShape(text: string): Shape3 {
  const m = /^(\d+)[x,](\d+)[x,](\d+)$/i.exec(text.trim());
  const dims = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [];
  if (dims.length !== 3 || dims.some((d) => d < 1)) {
    throw new CliError(`--input must be HxWxC with positive integers, e.g. 224x224x3, got '${text}'`);
  }
  return dims as Shape3;
}

/** `--input`, `--classes`, `--flavour` as `getModel` options. */
export function modelOptions(values: { input?: string | undefined; classes?: string | undefined; flavour?: string | undefined }): Record<string, unknown> {
  return {
    ...(values.input !== undefined ? { inputShape: parseInputShape(values.input) } : {}),
    ...(values.classes !== undefined ? { classes: intOption(values.classes, 'classes', 1) } : {}),
    ...(values.flavour !== undefined ? { flavour: values.flavour } : {}),
  };
}

/** Refuses architecture options for a target that brings its own architecture; `what` names it ("the spec file 'x.json'"). */
export function refuseArchitectureOptions(values: Readonly<Record<string, unknown>>, what: string, names: readonly string[] = ARCHITECTURE_OPTIONS): void {
  const given = names.find((k) => values[k] !== undefined);
  if (given !== undefined) throw new CliError(`--${given} applies to registered models, not to ${what}`);
}

/** A spec file, its read error naming the file (its content errors are SpecErrors naming it too). */
export async function readSpecFile(path: string): Promise<ModelSpec> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read spec file '${path}': ${(e as Error).message}`);
  }
  return specFromJSON(text, path);
}
