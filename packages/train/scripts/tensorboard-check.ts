// Writes a Keras-layout TensorBoard log with the tutorial's five epochs, for reading with the real TensorBoard:
//   npx tsx --conditions=source scripts/tensorboard-check.ts /tmp/tb && \
//   $PYTHON scripts/tensorboard-check.py /tmp/tb
import { TensorBoard } from '../src/index.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: tensorboard-check.ts <logdir>');
const tutorialEpochs = [
  { loss: 1.1945, accuracy: 0.658, val_loss: 0.46, val_accuracy: 0.8544 },
  { loss: 0.3321, accuracy: 0.9033, val_loss: 0.2895, val_accuracy: 0.9125 },
  { loss: 0.2177, accuracy: 0.9397, val_loss: 0.2198, val_accuracy: 0.9327 },
  { loss: 0.1522, accuracy: 0.9557, val_loss: 0.1777, val_accuracy: 0.9453 },
  { loss: 0.1206, accuracy: 0.968, val_loss: 0.1574, val_accuracy: 0.9519 },
];
const tb = new TensorBoard(dir);
tb.onTrainBegin();
tutorialEpochs.forEach((logs, epoch) => tb.onEpochEnd(epoch, logs));
console.log(tb.files.join('\n'));
