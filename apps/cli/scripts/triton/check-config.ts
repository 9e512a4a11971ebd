// Hand-run check (not CI): parses config.pbtxt files as inference.ModelConfig of Triton's own model_config.proto,
// the complete upstream file (github.com/triton-inference-server/common, protobuf/model_config.proto; BSD-3-Clause,
// not vendored here), with the same text-format parser the CI test uses against the subset in test/triton/.
//   npx tsx --conditions=source apps/cli/scripts/triton/check-config.ts <model_config.proto> <config.pbtxt>...
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { parseTextFormat } from '../../test/triton/pbtxt.js';

const [protoFile, ...configs] = process.argv.slice(2);
if (!protoFile || configs.length === 0) {
  console.error('usage: check-config.ts <model_config.proto> <config.pbtxt>...');
  process.exit(2);
}
const ModelConfig = new protobuf.Root().loadSync(protoFile, { keepCase: true }).lookupType('inference.ModelConfig');
let failed = 0;
for (const file of configs) {
  try {
    const config = parseTextFormat(ModelConfig, readFileSync(file, 'utf8'));
    // Round trip through the binary encoding of the full message type, as Triton's own parser ends up with.
    const decoded = ModelConfig.toObject(ModelConfig.decode(ModelConfig.encode(ModelConfig.fromObject(config)).finish()), { enums: String, longs: Number });
    console.log(`${file}: valid inference.ModelConfig (${Object.keys(decoded).join(', ')})`);
  } catch (e) {
    failed++;
    console.error(`${file}: ${(e as Error).message}`);
  }
}
process.exit(failed ? 1 : 0);
