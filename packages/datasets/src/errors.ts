/**
 * Every bad input this package sees (a truncated file, a wrong magic number, an unreadable image, an option out of
 * range) throws a DatasetError whose message names the file or option, what was expected and what was found.
 */
export class DatasetError extends Error {
  /** The file (or directory) at fault, when there is one. */
  readonly path: string | undefined;

  constructor(message: string, path?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatasetError';
    this.path = path;
  }
}

/**
 * Runs `run` (sync or async) with @convzoo/image's ImageError rethrown as a DatasetError (same message, path and
 * cause): the pixel code moved to @convzoo/image, this package's promise (every error is a DatasetError) stays.
 */
export function withDatasetErrors<R>(run: () => R): R {
  const translate = (e: unknown): unknown =>
    e instanceof Error && e.name === 'ImageError' ? new DatasetError(e.message, (e as { path?: string }).path, { cause: e }) : e;
  try {
    const result = run();
    return (result instanceof Promise ? result.catch((e: unknown) => Promise.reject(translate(e))) : result) as R;
  } catch (e) {
    throw translate(e);
  }
}
