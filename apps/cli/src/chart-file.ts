// Charts leave the CLI as SVG, or as PNG rendered from the SVG by sharp (librsvg), chosen by the file name.
import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { loadSharp } from '@convzoo/image';
import { CliError } from './command.js';

/** Writes the chart as SVG, or as PNG when the name ends in .png; `option` names the flag in errors. */
export async function writeChart(path: string, svg: string, option = '--chart'): Promise<void> {
  const ext = extname(path).toLowerCase();
  if (ext === '.svg') return writeFile(path, svg);
  if (ext !== '.png') throw new CliError(`${option} must end in .svg or .png, got '${path}'`);
  const sharp = await loadSharp('drawing a PNG chart');
  await sharp(Buffer.from(svg), { density: 96 }).png().toFile(path);
}
