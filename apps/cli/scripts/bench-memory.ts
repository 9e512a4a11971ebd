// Planned vs measured peak memory, each case in a fresh process (scripts/memory-probe.ts): the WebAssembly heap of
// tfjs-wasm after one step (it never shrinks, so it is the peak), the peak RSS growth elsewhere. This is how the
// factors in backend-tfjs/src/memory.ts and backend-onnx/src/runtime/memory.ts were chosen; rerun after engine changes.
// Usage (from apps/cli): npx tsx --conditions=source scripts/bench-memory.ts [cases.txt]
//   each case line: BACKEND MODEL BATCH train|infer [HxWxC] [CLASSES]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { formatBytes } from '@convzoo/models';

const DEFAULT_CASES = `tfjs-wasm lenet 128 train
tfjs-wasm resnet20 64 train 28x28x1
tfjs-wasm plain56 64 train 28x28x1
tfjs-wasm googlenet 8 train 224x224x3 10
tfjs-wasm resnet50 8 infer
tfjs-wasm vgg16 4 infer
tfjs-cpu resnet20 64 train 28x28x1
onnx-cpu resnet50 8 infer
onnx-cpu vgg16 4 infer
onnx-wasm resnet50 4 infer
onnx-cpu lenet 128 train
onnx-cpu resnet20 64 train 28x28x1
onnx-cpu googlenet 8 train 224x224x3 10
onnx-wasm resnet20 32 train 28x28x1
onnx-wasm googlenet 4 train 224x224x3 10
onnx-wasm lenet 128 train`;

const cases = (process.argv[2] ? readFileSync(process.argv[2], 'utf8') : DEFAULT_CASES)
  .split('\n')
  .map((l) => l.trim())
  .filter(Boolean);
console.log('backend    model      input       batch mode   planned     measured    planned/measured');
for (const line of cases) {
  let out: string;
  try {
    out = execFileSync(process.execPath, ['--import', 'tsx', '--conditions=source', 'scripts/memory-probe.ts', ...line.split(/\s+/)], {
      encoding: 'utf8',
      timeout: 900_000,
    });
  } catch (e) {
    console.log(`${line}: probe failed: ${(e as Error).message.split('\n')[0]}`);
    continue;
  }
  const r = JSON.parse(out.trim().split('\n').at(-1)!) as {
    backend: string;
    model: string;
    input: string;
    batch: number;
    mode: string;
    plannedBytes?: number;
    reservedBytes?: number;
    rssDelta?: number;
    error?: string;
  };
  const measured = r.reservedBytes ?? r.rssDelta ?? NaN;
  const planned = r.plannedBytes ?? NaN;
  const cells = [r.backend.padEnd(10), r.model.padEnd(10), (r.input ?? '').padEnd(11), String(r.batch).padStart(5), r.mode.padEnd(6)];
  if (r.error) console.log(`${cells.join(' ')} ${formatBytes(planned).padStart(10)}  engine failed: ${r.error}`);
  else console.log(`${cells.join(' ')} ${formatBytes(planned).padStart(10)}  ${formatBytes(measured).padStart(10)}  ${(planned / measured).toFixed(2)}`);
}
