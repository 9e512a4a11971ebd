// onnx-cuda cannot run on these GPU-less machines: its detection and its error are what is tested here.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackendRegistry } from '@convzoo/backend';
import { CUDA_INSTALL_COMMAND, cudaMissingReason, cudaProviderFiles, registerOnnxBackends } from '../src/index.js';
import { lenet } from './helpers.js';

describe('onnx-cuda detection', () => {
  it('names the missing provider libraries and the exact command that installs them', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ort-bin-'));
    const reason = await cudaMissingReason(empty, 'linux');
    expect(reason).toContain('libonnxruntime_providers_cuda.so');
    expect(reason).toContain(empty);
    expect(reason).toContain('npm rebuild onnxruntime-node --onnxruntime-node-install=cuda12');
    expect(CUDA_INSTALL_COMMAND).toBe('npm rebuild onnxruntime-node --onnxruntime-node-install=cuda12');
  });

  it('is satisfied once the provider libraries are there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ort-bin-'));
    for (const f of cudaProviderFiles('linux')) writeFileSync(join(dir, f), '');
    expect(await cudaMissingReason(dir, 'linux')).toBeUndefined();
    expect(cudaProviderFiles('win32')).toContain('onnxruntime_providers_cuda.dll');
  });

  it.skipIf(process.env.CONVZOO_HAS_CUDA === '1')('fails probe and compile here with that command, never falling back to CPU', async () => {
    const registry = new BackendRegistry();
    registerOnnxBackends(registry);
    const probe = await registry.probe('onnx-cuda');
    expect(probe.available).toBe(false);
    expect(probe.reason).toMatch(/libonnxruntime_providers_cuda\.so not found/);
    expect(probe.reason).toContain(CUDA_INSTALL_COMMAND);
    const err = await registry.compile(lenet(), { backend: 'onnx-cuda' }).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain("backend 'onnx-cuda' cannot start here");
    expect((err as Error).message).toContain(CUDA_INSTALL_COMMAND);
    // 'auto' passes over it and says why.
    const choice = await registry.resolve('auto');
    expect(choice.backend).not.toBe('onnx-cuda');
    expect(choice.skipped.find((s) => s.name === 'onnx-cuda')?.reason).toContain(CUDA_INSTALL_COMMAND);
  });
});
