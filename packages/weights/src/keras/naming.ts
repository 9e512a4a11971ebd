// How Keras 3 names a layer's group inside model.weights.h5: not by the layer's name but by its class, snake_cased,
// numbered in the order of model.layers (keras/src/saving/saving_lib.py `_save_container_state`). Writing must follow
// it exactly, or keras.saving.load_model puts weights into the wrong layers.

/** keras.src.utils.naming.to_snake_case. */
export function toSnakeCase(name: string): string {
  let s = name.replace(/\W+/g, '');
  s = s.replace(/(.)([A-Z][a-z]+)/g, '$1_$2');
  return s.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/** The h5 group names of a list of layer class names, in order: conv2d, conv2d_1, ... */
export function containerKeys(classNames: readonly string[]): string[] {
  const used = new Map<string, number>();
  return classNames.map((cls) => {
    const base = toSnakeCase(cls);
    const n = used.get(base);
    if (n === undefined) {
      used.set(base, 0);
      return base;
    }
    used.set(base, n + 1);
    return `${base}_${n + 1}`;
  });
}
