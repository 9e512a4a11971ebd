// The ResNet50 files: fetched from this origin once, with progress, every file checked against its pinned sha256,
// kept in Cache Storage so a reload reads them from disk instead of the network.
import type { PretrainedEntry } from '@convzoo/weights/browser';

const CACHE_NAME = 'convzoo-weights-v1';

export interface Progress {
  loaded: number;
  total: number;
  fromCache: boolean;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function readWithProgress(res: Response, onBytes: (n: number) => void): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const parts: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    size += value.length;
    onBytes(value.length);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Every pinned file of `entry`, from Cache Storage when present and intact, else from `baseUrl` (then cached).
 * A file whose hash differs is dropped from the cache and named in the error.
 */
export async function loadPinnedFiles(entry: PretrainedEntry, baseUrl: string, onProgress: (p: Progress) => void): Promise<Map<string, Uint8Array>> {
  const cache = typeof caches === 'undefined' ? undefined : await caches.open(CACHE_NAME).catch(() => undefined);
  const files = new Map<string, Uint8Array>();
  const total = entry.source.bytes ?? 0;
  let loaded = 0;
  let fromCache = true;
  for (const [path, expected] of Object.entries(entry.source.files)) {
    const url = new URL(path, baseUrl).href;
    let bytes: Uint8Array | undefined;
    const cached = await cache?.match(url);
    if (cached) {
      bytes = new Uint8Array(await cached.arrayBuffer());
      if ((await sha256Hex(bytes)) !== expected) {
        await cache!.delete(url);
        bytes = undefined;
      }
    }
    if (bytes) {
      loaded += bytes.length;
      onProgress({ loaded, total, fromCache });
    } else {
      fromCache = false;
      let res: Response;
      try {
        res = await fetch(url);
      } catch (e) {
        throw new Error(`downloading ${path} failed (${(e as Error).message}); check the connection and try again — files already downloaded are kept`);
      }
      if (!res.ok) throw new Error(`downloading ${path} failed: HTTP ${res.status} ${res.statusText} from ${url}`);
      const before = loaded;
      try {
        bytes = await readWithProgress(res, (n) => {
          loaded += n;
          onProgress({ loaded, total, fromCache });
        });
      } catch (e) {
        loaded = before;
        throw new Error(`the download of ${path} was interrupted (${(e as Error).message}); try again — files already downloaded are kept`);
      }
      const got = await sha256Hex(bytes);
      if (got !== expected) throw new Error(`${path}: sha256 ${got} differs from the pinned ${expected} (a corrupt or wrong file on the server)`);
      await cache?.put(url, new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'Content-Type': 'application/octet-stream' } })).catch(() => undefined);
    }
    files.set(path, bytes);
  }
  return files;
}
