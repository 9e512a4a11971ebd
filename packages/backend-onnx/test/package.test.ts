import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONVZOO_VERSION } from '../src/index.js';
import { onnxDescriptor } from '../src/proto/onnx-descriptor.js';
import { descriptorSource } from '../scripts/proto-source.js';

describe('package files', () => {
  it('the committed ONNX descriptor is generated from proto/onnx.proto (run scripts/gen-proto.ts)', () => {
    expect(readFileSync(new URL('../src/proto/onnx-descriptor.ts', import.meta.url), 'utf8')).toBe(descriptorSource());
    expect(JSON.stringify(onnxDescriptor)).toContain('"IR_VERSION":8');
  });

  it('metadata carries the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(CONVZOO_VERSION).toBe(pkg.version);
  });
});
