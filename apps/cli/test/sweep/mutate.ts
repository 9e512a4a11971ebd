// Seeded mutations of a valid file: each case is reproducible from (reader, seed, index), printed on failure.
import { createRng } from '@convzoo/backend';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  int(n: number): number;
  pick<T>(xs: readonly T[]): T;
}

export function rng(seed: number): Rng {
  const r = createRng(seed);
  const next = () => r();
  return { next, int: (n) => Math.floor(next() * n), pick: (xs) => xs[Math.floor(next() * xs.length)]! };
}

export function truncate(bytes: Uint8Array, r: Rng): Uint8Array {
  return bytes.slice(0, r.int(bytes.length));
}

/** Flips 1-8 random bits; `from`/`to` focus them on a region (a header). */
export function flipBits(bytes: Uint8Array, r: Rng, from = 0, to = bytes.length): Uint8Array {
  const out = bytes.slice();
  const n = 1 + r.int(8);
  for (let i = 0; i < n; i++) out[from + r.int(Math.max(1, to - from))]! ^= 1 << r.int(8);
  return out;
}

export function appendJunk(bytes: Uint8Array, r: Rng): Uint8Array {
  const extra = new Uint8Array(1 + r.int(64)).map(() => r.int(256));
  const out = new Uint8Array(bytes.length + extra.length);
  out.set(bytes);
  out.set(extra, bytes.length);
  return out;
}

/** Replaces a random run of bytes by random bytes. */
export function scribble(bytes: Uint8Array, r: Rng): Uint8Array {
  const out = bytes.slice();
  const at = r.int(out.length);
  const len = 1 + r.int(32);
  for (let i = at; i < Math.min(out.length, at + len); i++) out[i] = r.int(256);
  return out;
}

/** Numbers that break readers: huge sizes, negatives, non-integers, non-finite (JSON 1e999 parses as Infinity). */
export const BAD_NUMBERS = [0, -1, 1e12, 2 ** 32, 2 ** 53, 1e300, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2.5, 4294967295, 65535];
export const BAD_VALUES: unknown[] = [...BAD_NUMBERS, null, 'x', '', true, [], {}, [1e12, 1e12], [-1, 2], [[1]], { a: 1 }];

/** Sets a random leaf (or object member) of a JSON value to a bad value; returns the path changed. */
export function mutateJson(value: unknown, r: Rng): { value: unknown; path: string } {
  const copy = structuredClone(value);
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, p: (string | number)[]) => {
    paths.push(p);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
    else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) walk(x, [...p, k]);
  };
  walk(copy, []);
  const path = r.pick(paths.slice(1));
  let parent = copy as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const key = path[path.length - 1]!;
  const action = r.int(10);
  if (action === 0 && !Array.isArray(parent)) delete parent[key];
  else parent[key] = structuredClone(r.pick(BAD_VALUES));
  return { value: copy, path: path.join('.') };
}

/** `[[[...]]]` nested `depth` deep: stack-depth attacks on JSON readers. */
export function deepJson(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

/** Text mutations of a JSON file: truncation, a changed character, deep nesting spliced in. */
export function mutateJsonText(text: string, r: Rng): string {
  switch (r.int(4)) {
    case 0:
      return text.slice(0, r.int(text.length));
    case 1: {
      const at = r.int(text.length);
      return text.slice(0, at) + r.pick(['"', '{', '}', '[', ']', ',', ':', '\\', '\u0000', '9', '-', 'e999', 'NaN']) + text.slice(at + 1);
    }
    case 2: {
      // Replace a value after a colon with a deeply nested array.
      const colons = [...text.matchAll(/: /g)].map((m) => m.index!);
      const at = colons.length ? r.pick(colons) + 2 : 0;
      return `${text.slice(0, at)}${deepJson(1000 + r.int(50_000))}${text.slice(at).replace(/^[^,\n}]*/, '')}`;
    }
    default: {
      const at = r.int(text.length);
      return text.slice(0, at) + text.slice(at + 1 + r.int(16));
    }
  }
}
