// Facts about the Node host that decide whether onnxruntime-node's CUDA and WebGPU providers can start. Node
// built-ins are imported lazily so this module stays harmless in a browser bundle.

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export const CUDA_INSTALL_COMMAND = 'npm rebuild onnxruntime-node --onnxruntime-node-install=cuda12';

/** The folder holding onnxruntime_binding.node (and, after a CUDA install, the CUDA provider libraries). */
export async function ortNodeBinaryDir(): Promise<string> {
  const { createRequire } = await import('node:module');
  const path = await import('node:path');
  // Always createRequire: bundlers (tsup's shims) define a `require` in ESM output that has no `resolve`.
  const req = createRequire(import.meta.url);
  const entry = req.resolve('onnxruntime-node'); // <pkg>/dist/index.js
  return path.join(path.dirname(entry), '..', 'bin', 'napi-v6', process.platform, process.arch);
}

/** Provider libraries the CUDA EP loads at session creation (names per platform). */
export function cudaProviderFiles(platform: string = process.platform): string[] {
  if (platform === 'win32') return ['onnxruntime_providers_shared.dll', 'onnxruntime_providers_cuda.dll'];
  return ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so'];
}

/** Why the CUDA EP cannot start from `dir`, or undefined when its provider libraries are there. */
export async function cudaMissingReason(dir: string, platform: string = process.platform): Promise<string | undefined> {
  if (platform === 'darwin') return 'onnxruntime-node has no CUDA provider on macOS';
  const { existsSync } = await import('node:fs');
  const path = await import('node:path');
  const missing = cudaProviderFiles(platform).filter((f) => !existsSync(path.join(dir, f)));
  if (missing.length === 0) return undefined;
  return (
    `${missing.join(', ')} not found in ${dir}: the onnxruntime-node npm package ships without the CUDA provider ` +
    `(its install step downloads it, and this install skipped or failed that step). Get it with: ${CUDA_INSTALL_COMMAND}`
  );
}

/**
 * Lets onnxruntime-node's WebGPU EP (Dawn on Vulkan) find a GPU-less adapter: when no Vulkan driver list is set and
 * the host has no GPU device node, point the Vulkan loader at Chromium's SwiftShader ICD (Debian: apt-get install
 * chromium libvulkan1). Must run before the first WebGPU session: the loader reads it once per process.
 * Returns what was decided, for probe details.
 */
export async function ensureVulkanIcd(env: Env = process.env): Promise<string> {
  quietWaylandProbe(env);
  if (env.VK_ICD_FILENAMES || env.VK_DRIVER_FILES) return `Vulkan drivers from VK_ICD_FILENAMES/VK_DRIVER_FILES`;
  const { existsSync, readdirSync } = await import('node:fs');
  const gpuNode = existsSync('/dev/nvidia0') || (existsSync('/dev/dri') && readdirSync('/dev/dri').some((f) => f.startsWith('renderD')));
  if (gpuNode) return 'system Vulkan drivers (a GPU device node exists)';
  if (!existsSync(SWIFTSHADER_ICD)) return `system Vulkan drivers (no GPU device node, and no SwiftShader at ${SWIFTSHADER_ICD})`;
  env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  return `SwiftShader (CPU Vulkan): VK_ICD_FILENAMES=${SWIFTSHADER_ICD}`;
}

type Env = Record<string, string | undefined>;

/**
 * Dawn's Vulkan WSI asks libwayland for a display, and libwayland prints "error: XDG_RUNTIME_DIR is invalid or not set"
 * on stderr (twice) when there is no session (servers, CI, containers). With neither XDG_RUNTIME_DIR nor
 * WAYLAND_DISPLAY set there is no compositor to find; an absolute WAYLAND_DISPLAY that does not exist makes the same
 * lookup fail quietly, and nothing is written to disk.
 */
export function quietWaylandProbe(env: Env = process.env): void {
  if (env.XDG_RUNTIME_DIR || env.WAYLAND_DISPLAY) return;
  env.WAYLAND_DISPLAY = '/nonexistent/convzoo-no-wayland-session';
}
