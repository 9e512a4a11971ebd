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
