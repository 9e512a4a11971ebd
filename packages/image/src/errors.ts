/**
 * Every bad input this package sees (an unreadable image, a size or option out of range, pixels of the wrong length)
 * throws an ImageError whose message names the file or option, what was expected and what was found.
 * Shaped as @convzoo/datasets' DatasetError (which re-throws these as its own): each package names its own errors.
 */
export class ImageError extends Error {
  /** The image file at fault, when there is one. */
  readonly path: string | undefined;

  constructor(message: string, path?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImageError';
    this.path = path;
  }
}
