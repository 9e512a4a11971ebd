import { type RegisteredCommand, registerCommand } from '../command.js';
import { benchCommand } from './bench.js';
import { classifyCommand } from './classify.js';
import { compareCommand } from './compare.js';
import { doctorCommand } from './doctor.js';
import { evalCommand } from './eval.js';
import { experimentCommand } from './experiment.js';
import { exportCommand } from './export.js';
import { importCommand } from './import.js';
import { listCommand } from './list.js';
import { summaryCommand } from './summary.js';
import { trainCommand } from './train.js';
import { finetuneCommand } from './finetune.js';

// One registerCommand call each: every command's option table is its own type parameter (a mapped union would not infer).
export const commands: RegisteredCommand[] = [
  registerCommand(listCommand),
  registerCommand(summaryCommand),
  registerCommand(trainCommand),
  registerCommand(finetuneCommand),
  registerCommand(evalCommand),
  registerCommand(exportCommand),
  registerCommand(classifyCommand),
  registerCommand(benchCommand),
  registerCommand(doctorCommand),
  registerCommand(experimentCommand),
  registerCommand(compareCommand),
  registerCommand(importCommand),
];
