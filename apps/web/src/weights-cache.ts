// The ResNet50 files: fetched from this origin once, with progress, every file checked against its pinned sha256,
// kept in Cache Storage so a reload reads them from disk instead of the network.
import type { PretrainedEntry } from '@convzoo/weights/browser';

const CACHE_NAME = 'convzoo-weights-v1';

export interface Progress {
  loaded: number;
  total: number;
  fromCache: boolean;
}

/** Where the time of one load went, for the page's staged progress. */
export interface LoadReport {
  /** Every file came from Cache Storage (no network). */
  fromCache: boolean;
  /** Downloading, or reading Cache Storage. */
  fetchMs: number;
  /** sha256 of every file (WebCrypto). */
  verifyMs: number;
  files: number;
}

export interface LoadEvents {
  onBytes(p: Progress): void;
  /** After each file's hash: files checked so far, and the hashing time so far. */
  onVerified?(done: number, files: number, ms: number): void;
  /** Every file is here and checked (the caller builds from them next). */
  onFiles?(report: LoadReport): void;
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

const openCache = async (): Promise<Cache | undefined> => (typeof caches === 'undefined' ? undefined : await caches.open(CACHE_NAME).catch(() => undefined));

/** How many of the entry's files this browser holds (no file is read), to say before a download what it will cost. */
export async function cachedFiles(entry: PretrainedEntry, baseUrl: string): Promise<{ cached: number; files: number }> {
  const paths = Object.keys(entry.source.files);
  const cache = typeof caches === 'undefined' || !(await caches.has(CACHE_NAME).catch(() => false)) ? undefined : await openCache();
  if (!cache) return { cached: 0, files: paths.length };
  const hits = await Promise.all(paths.map((p) => cache.match(new URL(p, baseUrl).href)));
  return { cached: hits.filter(Boolean).length, files: paths.length };
}

/** Drops every stored weights file of this page (the next photo downloads them again). */
export async function clearCachedWeights(): Promise<void> {
  if (typeof caches !== 'undefined') await caches.delete(CACHE_NAME);
}

/**
 * Every pinned file of `entry`, from Cache Storage when present and intact, else from `baseUrl` (then cached).
 * A file whose hash differs is dropped from the cache and named in the error.
 */
export async function loadPinnedFiles(
  entry: PretrainedEntry,
  baseUrl: string,
  events: LoadEvents,
): Promise<{ files: Map<string, Uint8Array>; report: LoadReport }> {
  const cache = await openCache();
  const entries = Object.entries(entry.source.files);
  const files = new Map<string, Uint8Array>();
  const total = entry.source.bytes ?? 0;
  const report: LoadReport = { fromCache: true, fetchMs: 0, verifyMs: 0, files: entries.length };
  let loaded = 0;
  let verified = 0;
  const verify = async (bytes: Uint8Array): Promise<string> => {
    const t0 = performance.now();
    const got = await sha256Hex(bytes);
    report.verifyMs += performance.now() - t0;
    events.onVerified?.(++verified, entries.length, report.verifyMs);
    return got;
  };
  // Cache reads all at once: one by one they cost a round trip to the browser's disk cache each.
  let t0 = performance.now();
  const stored = await Promise.all(
    entries.map(async ([path]) => {
      const res = await cache?.match(new URL(path, baseUrl).href);
      const bytes = res ? new Uint8Array(await res.arrayBuffer()) : undefined;
      if (bytes) {
        loaded += bytes.length;
        events.onBytes({ loaded, total, fromCache: true });
      }
      return bytes;
    }),
  );
  report.fetchMs += performance.now() - t0;
  for (const [i, [path, expected]] of entries.entries()) {
    const url = new URL(path, baseUrl).href;
    let bytes: Uint8Array | undefined = stored[i];
    if (bytes && (await verify(bytes)) !== expected) {
      await cache!.delete(url);
      loaded -= bytes.length;
      verified--;
      bytes = undefined;
    }
    if (!bytes) {
      report.fromCache = false;
      t0 = performance.now();
      let res: Response;
      try {
        res = await fetch(url);
      } catch (e) {
        throw new Error(`downloading ${path} failed (${(e as Error).message}); check the connection and try again — files already downloaded are kept`);
      }
      if (!res.ok) throw new Error(`downloading ${path} failed: HTTP ${res.status} ${res.statusText} from ${url}`);
      const before = loaded;
      let got: Uint8Array;
      try {
        got = await readWithProgress(res, (n) => {
          loaded += n;
          events.onBytes({ loaded, total, fromCache: false });
        });
      } catch (e) {
        loaded = before;
        throw new Error(`the download of ${path} was interrupted (${(e as Error).message}); try again — files already downloaded are kept`);
      }
      bytes = got;
      report.fetchMs += performance.now() - t0;
      const hash = await verify(bytes);
      if (hash !== expected) throw new Error(`${path}: sha256 ${hash} differs from the pinned ${expected} (a corrupt or wrong file on the server)`);
      await cache?.put(url, new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'Content-Type': 'application/octet-stream' } })).catch(() => undefined);
    }
    files.set(path, bytes);
  }
  return { files, report };
}
