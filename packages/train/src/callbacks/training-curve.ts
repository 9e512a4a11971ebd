// Writes the training curve SVG when training ends (also after a failure, with the epochs that finished).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomicSync } from '@convzoo/io';
import { trainingCurveSvg } from '../curve.js';
import type { Callback, TrainContext } from '../types.js';

export class TrainingCurve implements Callback {
  private ctx: TrainContext | undefined;

  constructor(
    readonly path: string,
    private readonly title?: string,
  ) {}

  setContext(ctx: TrainContext): void {
    this.ctx = ctx;
  }

  onTrainEnd(): void {
    if (!this.ctx || this.ctx.history.epoch.length === 0) return;
    mkdirSync(dirname(this.path), { recursive: true });
    writeFileAtomicSync(this.path, trainingCurveSvg(this.ctx.history, this.title));
  }
}
