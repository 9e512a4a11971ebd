/** A spec that cannot be written as a Keras model (a layer Keras has no built-in class for), naming the layer. */
export class KerasExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KerasExportError';
  }
}
