// One ONNX Runtime session must not run twice at once on every execution provider: the inference and the trainable
// models run their calls through this queue, in order.

export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `job` after every earlier one has finished; a failed job does not block the ones after it. */
  run<T>(job: () => Promise<T>): Promise<T> {
    const next = this.tail.then(job, job);
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Settles once every job queued so far has (never rejects). */
  idle(): Promise<unknown> {
    return this.tail;
  }
}
