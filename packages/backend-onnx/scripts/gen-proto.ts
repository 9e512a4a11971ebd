// Turns the pinned proto/onnx.proto into a protobufjs JSON descriptor module, so the runtime needs neither the
// .proto file nor a file system (browsers) and no code generator. Run after changing proto/onnx.proto:
//   npx tsx scripts/gen-proto.ts
// test/proto.test.ts fails when the committed descriptor is out of date.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { descriptorSource } from './proto-source.js';

const target = fileURLToPath(new URL('../src/proto/onnx-descriptor.ts', import.meta.url));
writeFileSync(target, descriptorSource());
console.log(`wrote ${target}`);
