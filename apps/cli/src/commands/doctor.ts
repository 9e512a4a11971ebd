// `convzoo doctor`: every registered backend, whether it can start on this machine, and if not why and how to fix it.
import { doctor, formatDoctor, optimizerSlots, resolveOptimizer, type MemoryNeed } from '@convzoo/backend';
import { getModel, type ModelSpec } from '@convzoo/models';
import { CliError, defineCommand, intOption, optionTable } from '../command.js';
import { modelOptions } from '../model-target.js';
import { registerBackends } from '../open-model.js';
import { TUTORIAL_TRAINING } from '../tutorial-recipe.js';

export const doctorCommand = defineCommand({
  name: 'doctor',
  summary: 'which backends can run here, and why the others cannot',
  usage: [
    'convzoo doctor [--json] [--model NAME [--batch-size N] [--input HxWxC] [--classes N] [--inference]]',
    '',
    'Probes every registered backend (tfjs-*, onnx-*) once and prints whether it can start here; for the others,',
    'the reason (package missing with the npm command to install it, no WebGPU adapter, no CUDA provider files).',
    "'auto' (the default --backend) picks the first available one in this list.",
    '',
    '  --json          one JSON array: [{ name, priority, canTrain, available, reason?, details?, memory? }]',
    "  --model NAME    also check whether this model fits each backend's memory (training, Adam) at --batch-size",
    '                  (default 128); --inference checks a forward pass instead; --input/--classes as in summary',
    '',
    'Exit code 0 when at least one backend is available, 1 otherwise.',
  ].join('\n'),
  options: optionTable(['model', 'batch-size', 'input', 'classes'], ['json', 'inference']),
  async run({ values, io }) {
    registerBackends();
    if (values.model === undefined && (values['batch-size'] ?? values.input ?? values.classes ?? values.inference) !== undefined) {
      throw new CliError('--batch-size, --input, --classes and --inference go with --model');
    }
    let memory: (MemoryNeed & { spec: ModelSpec }) | undefined;
    if (values.model !== undefined) {
      let spec: ModelSpec;
      try {
        spec = getModel(values.model, modelOptions({ input: values.input, classes: values.classes }));
      } catch (e) {
        throw new CliError(`--model ${values.model}: ${(e as Error).message}`);
      }
      const training = !values.inference;
      memory = {
        spec,
        batchSize: intOption(values['batch-size'], 'batch-size', 128),
        training,
        optimizerSlots: training ? optimizerSlots(resolveOptimizer(TUTORIAL_TRAINING.optimizer)).length : 0,
      };
    }
    const entries = await doctor(undefined, memory ? { memory } : {});
    io.out(values.json ? JSON.stringify(entries, null, 2) : formatDoctor(entries));
    return entries.some((e) => e.available) ? 0 : 1;
  },
});
