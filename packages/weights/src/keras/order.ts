// The order of a Functional model's layers as Keras 3 computes it (keras/src/ops/function.py `map_graph`): a
// depth-first walk from each output assigns traversal indices; layers are then grouped by depth (longest path to an
// output), deepest first, each group in traversal order. model.layers, config.json's layer list and the numbering of
// model.weights.h5's groups all follow this order, so a file whose groups are numbered otherwise loads wrong weights.

export interface GraphNode {
  name: string;
  inputs: string[];
}

/** Layer names in Keras' model.layers order (no shared layers: one node per layer). */
export function kerasLayerOrder(nodes: readonly GraphNode[], inputs: readonly string[], outputs: readonly string[]): string[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const index = new Map<string, number>();
  const finished = new Set<string>();
  const postOrder: string[] = [];
  const visit = (name: string) => {
    if (finished.has(name)) return;
    if (!index.has(name)) index.set(name, index.size);
    for (const i of byName.get(name)!.inputs) visit(i);
    finished.add(name);
    postOrder.push(name);
  };
  for (const o of outputs) visit(o);
  const depth = new Map<string, number>();
  for (const name of [...postOrder].reverse()) {
    const d = depth.get(name) ?? 0;
    depth.set(name, d);
    for (const p of byName.get(name)!.inputs) depth.set(p, Math.max(d + 1, depth.get(p) ?? 0));
  }
  for (const i of inputs) {
    if (!depth.has(i)) {
      depth.set(i, 0);
      index.set(i, -1);
    }
  }
  return [...depth.keys()].sort((a, b) => depth.get(b)! - depth.get(a)! || index.get(a)! - index.get(b)!);
}
