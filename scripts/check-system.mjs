#!/usr/bin/env node
// Before the tests: the Debian packages some tests need (SwiftShader's Vulkan driver for onnx-webgpu in Node, the
// Fashion-MNIST files). Missing ones fail here in one line with the exact command, instead of minutes later as
// "Failed to get a WebGPU adapter". The test command does not install them itself: that needs root and changes the
// machine, which a test command should not do behind the user's back.
import { existsSync, readdirSync } from 'node:fs';

const libDirs = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib'];
const needs = [
  { pkg: 'chromium', why: 'SwiftShader Vulkan driver for onnx-webgpu', ok: () => existsSync('/usr/lib/chromium/vk_swiftshader_icd.json') },
  {
    pkg: 'libvulkan1',
    why: 'Vulkan loader for onnx-webgpu',
    ok: () => libDirs.some((d) => existsSync(d) && readdirSync(d).some((f) => f.startsWith('libvulkan.so.1'))),
  },
  { pkg: 'dataset-fashion-mnist', why: 'Fashion-MNIST files', ok: () => existsSync('/usr/share/datasets/fashion-mnist') },
];

if (process.platform !== 'linux') {
  console.error('check-system: the test suite is set up for Debian/Ubuntu (apt packages chromium, libvulkan1, dataset-fashion-mnist)');
  process.exit(1);
}
const missing = needs.filter((n) => !n.ok());
if (missing.length > 0) {
  console.error(
    `missing system packages for the tests (${missing.map((m) => `${m.pkg}: ${m.why}`).join('; ')}); install them with: ` +
      `apt-get install -y ${needs.map((n) => n.pkg).join(' ')}`,
  );
  process.exit(1);
}
