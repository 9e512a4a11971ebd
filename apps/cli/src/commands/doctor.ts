// `convzoo doctor`: every registered backend, whether it can start on this machine, and if not why and how to fix it.
import { doctor, formatDoctor } from '@convzoo/backend';
import { defineCommand } from '../command.js';
import { registerBackends } from '../main-job.js';

export const doctorCommand = defineCommand({
  name: 'doctor',
  summary: 'which backends can run here, and why the others cannot',
  usage: [
    'convzoo doctor [--json]',
    '',
    'Probes every registered backend (tfjs-*, onnx-*) once and prints whether it can start here; for the others,',
    'the reason (package missing with the npm command to install it, no WebGPU adapter, no CUDA provider files).',
    "'auto' (the default --backend) picks the first available one in this list.",
    '',
    '  --json   one JSON array: [{ name, priority, canTrain, available, reason?, details? }]',
    '',
    'Exit code 0 when at least one backend is available, 1 otherwise.',
  ].join('\n'),
  options: { json: { type: 'boolean' } },
  async run({ values, io }) {
    registerBackends();
    const entries = await doctor();
    io.out(values.json ? JSON.stringify(entries, null, 2) : formatDoctor(entries));
    return entries.some((e) => e.available) ? 0 : 1;
  },
});
