// The error of a fine-tuning request the network or the data cannot honour: names the option, layer or class.
export class FinetuneError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FinetuneError';
  }
}
