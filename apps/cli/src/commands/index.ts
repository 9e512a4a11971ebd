import { type RegisteredCommand, registerCommand } from '../command.js';
import { benchCommand } from './bench.js';
import { classifyCommand } from './classify.js';
import { compareCommand } from './compare.js';
import { doctorCommand } from './doctor.js';
import { evalCommand } from './eval.js';
import { experimentCommand } from './experiment.js';
import { exportCommand } from './export.js';
import { listCommand } from './list.js';
import { summaryCommand } from './summary.js';
import { trainCommand } from './train.js';

export const commands: RegisteredCommand[] = [
  listCommand,
  summaryCommand,
  trainCommand,
  evalCommand,
  exportCommand,
  classifyCommand,
  benchCommand,
  doctorCommand,
  experimentCommand,
  compareCommand,
].map(registerCommand);
