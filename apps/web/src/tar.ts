// A POSIX ustar archive of in-memory files: how the Train section hands over a checkpoint *directory* as one
// download (`tar -xf lenet-checkpoint.tar`, then `convzoo eval lenet-checkpoint`). Regular files only; their
// directories are implied by the paths, as tar allows.
const BLOCK = 512;

function header(path: string, size: number, mtime: number): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const put = (offset: number, length: number, text: string) => {
    const bytes = new TextEncoder().encode(text);
    if (bytes.length > length) throw new Error(`tar: '${text}' does not fit in ${length} bytes`);
    h.set(bytes, offset);
  };
  const octal = (offset: number, length: number, value: number) => put(offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
  // Names over 100 bytes go to the 155-byte prefix, split at a '/'.
  let name = path;
  let prefix = '';
  if (new TextEncoder().encode(path).length > 100) {
    const cut = path.lastIndexOf('/', 155);
    if (cut <= 0) throw new Error(`tar: path '${path}' is too long for ustar`);
    prefix = path.slice(0, cut);
    name = path.slice(cut + 1);
  }
  put(0, 100, name);
  octal(100, 8, 0o644);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, size);
  octal(136, 12, Math.floor(mtime / 1000));
  put(148, 8, '        ');
  put(156, 1, '0');
  put(257, 6, 'ustar\0');
  put(263, 2, '00');
  put(345, 155, prefix);
  const sum = h.reduce((a, b) => a + b, 0);
  put(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return h;
}

/** The archive's bytes: each file as a header and its data padded to 512 bytes, then two zero blocks. */
export function tarFiles(files: readonly (readonly [path: string, bytes: Uint8Array])[], mtime = Date.now()): Uint8Array {
  const pad = (n: number) => Math.ceil(n / BLOCK) * BLOCK;
  const out = new Uint8Array(files.reduce((n, [, b]) => n + BLOCK + pad(b.length), 2 * BLOCK));
  let at = 0;
  for (const [path, bytes] of files) {
    out.set(header(path, bytes.length, mtime), at);
    out.set(bytes, at + BLOCK);
    at += BLOCK + pad(bytes.length);
  }
  return out;
}
