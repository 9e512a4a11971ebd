// Exported ONNX models cached in the browser's Cache Storage (the page's origin): a reload compiles from the stored
// ONNX bytes, so it reads, checks and exports no weights (ResNet50: 0.3-1.9 s of assembling, a 0.4-1.2 s NaN scan of
// 25.6 M weights and the export's transposes, measured in apps/web). The cache is named by `WeightsSource.cacheDir`.

import type { ModelCache } from './host.js';

const caches_ = (): CacheStorage | undefined => (globalThis as { caches?: CacheStorage }).caches;

/** The entry's URL: Cache Storage keys are http(s) requests; this host never exists and is never fetched. */
async function urlOf(keyParts: readonly string[]): Promise<string> {
  const text = keyParts.map((part) => `${part.length}:${part}`).join('');
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return `https://onnx-model.convzoo.invalid/${[...digest].map((b) => b.toString(16).padStart(2, '0')).join('')}.onnx`;
}

/** A cache that cannot open (no Cache Storage: not a secure context; storage blocked) is a miss, never an error. */
async function open(name: string): Promise<Cache | undefined> {
  try {
    return await caches_()?.open(name);
  } catch {
    return undefined;
  }
}

export const browserModelCache: ModelCache = {
  async find(name, keyParts) {
    // has() first: opening a cache that does not exist would create it.
    const exists = await caches_()
      ?.has(name)
      .catch(() => false);
    if (!exists) return undefined;
    const res = await (await open(name))?.match(await urlOf(keyParts));
    return res ? new Uint8Array(await res.arrayBuffer()) : undefined;
  },
  async store(name, keyParts, bytes) {
    // Cache.put commits the whole body or nothing, so a reader never sees half a model. A full disk or blocked
    // storage costs only the cache: the model still runs from these bytes.
    const url = await urlOf(keyParts);
    await (await open(name))
      ?.put(url, new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'Content-Type': 'application/octet-stream' } }))
      .catch(() => undefined);
    return bytes;
  },
  async drop(name, keyParts) {
    await (await open(name))?.delete(await urlOf(keyParts));
  },
};
