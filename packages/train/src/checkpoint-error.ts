// The error of every unreadable or damaged checkpoint; its own module so integrity checks can share it.
export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointError';
  }
}
