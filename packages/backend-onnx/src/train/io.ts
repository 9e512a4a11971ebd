// Names of the training graphs' inputs and outputs, shared by the compiler and the runtime.
export const IO = {
  lr: 'train/lr',
  invBatch: 'train/inv_batch',
  loss: 'loss',
  lossOf: (i: number) => `loss/${i}`,
  output: (i: number) => `out/${i}`,
  target: (i: number) => `target/${i}`,
  mask: (layer: string) => `${layer}/mask`,
  param: (name: string) => `param:${name}`,
  slot: (name: string) => `slot:${name}`,
  newParam: (name: string) => `new:${name}`,
  newSlot: (name: string) => `new_slot:${name}`,
};
