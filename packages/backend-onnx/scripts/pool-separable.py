"""Own measurement, outside CI: a max pool's gradient one axis at a time (src/layers/separable-pool.ts, the same ops
in the same order) against MaxPool's Indices + ScatterElements (add), checked equal on inputs with tied maxima, and
timed five runs each (Python onnxruntime, 2 intra-op threads, no spinning).

Usage (a Python with onnx and onnxruntime, e.g. the venv of shared/VERIFY.md):
  python scripts/pool-separable.py N C H W KERNEL STRIDE PAD   e.g. 64 480 28 28 3 1 1 (GoogLeNet's inception3b pool)
"""
import sys, time
import numpy as np, onnxruntime as ort
from onnx import helper as h, TensorProto as T

N, C, H, W, k, s, p = [int(v) for v in sys.argv[1:8]]
Ho, Wo = (H + 2 * p - k) // s + 1, (W + 2 * p - k) // s + 1
nodes, inits = [], []

def name(base):
    return f"{base}_{len(nodes) + len(inits)}"

def ints(vals):
    n = name('c'); inits.append(h.make_tensor(n, T.INT64, [len(vals)], vals)); return n

def op(t, ins, **attrs):
    o = name(t); nodes.append(h.make_node(t, ins, [o], **attrs)); return o

LOW = name('low'); inits.append(h.make_tensor(LOW, T.FLOAT, [], [-3.4e38]))

def shift(v, axis, before, length, size, low=False):
    after = length - size - before
    if before == 0 and after == 0: return v
    pads = [0] * 8; pads[axis] = before; pads[4 + axis] = after
    return op('Pad', [v, ints(pads)] + ([LOW] if low else []), mode='constant')

def add_all(vals):
    acc = vals[0]
    for v in vals[1:]: acc = op('Add', [acc, v])
    return acc

def axis_backward(v, y, dy, axis, size, before, out, other):
    rest, shares, padded = dy, [], None
    for t in range(k - 1):
        if s == 1: vt = shift(v, axis, before - t, out, size, True)
        else:
            padded = padded or shift(v, axis, before, max(size + before, k - 1 + s * (out - 1)), size, True)
            vt = op('Slice', [padded, ints([t]), ints([t + s * (out - 1) + 1]), ints([axis]), ints([s])])
        hit = op('Cast', [op('Equal', [vt, y])], to=1)
        share = op('Mul', [rest, hit]); shares.append(share); rest = op('Sub', [rest, share])
    shares.append(rest)
    if s == 1: return add_all([shift(g, axis, t - before, size, out) for t, g in enumerate(shares)])
    m = max(-(-(before + size) // s), out + (k - 1) // s)
    res = [add_all([shift(shares[t], axis, (t - r) // s, m, out) for t in range(r, k, s)]) for r in range(s)]
    stacked = op('Concat', [op('Unsqueeze', [r, ints([axis + 1])]) for r in res], axis=axis + 1)
    merged = op('Reshape', [stacked, ints([0, 0, m * s, other] if axis == 2 else [0, 0, other, m * s])])
    if before == 0 and m * s == size: return merged
    return op('Slice', [merged, ints([before]), ints([before + size]), ints([axis])])

rowmax = op('MaxPool', ['x'], kernel_shape=[1, k], strides=[1, s], pads=[0, p, 0, p])
dx = axis_backward('x', rowmax, axis_backward(rowmax, 'y', 'dy', 2, H, p, Ho, Wo), 3, W, p, Wo, H)
nodes.append(h.make_node('Identity', [dx], ['dx']))

so = ort.SessionOptions(); so.log_severity_level = 3; so.intra_op_num_threads = 2
so.add_session_config_entry('session.intra_op.allow_spinning', '0')
f = lambda n, shape: h.make_tensor_value_info(n, T.FLOAT, shape)
def session(nodes, ins, outs, inits):
    m = h.make_model(h.make_graph(nodes, 'g', ins, outs, inits), opset_imports=[h.make_opsetid('', 18)]); m.ir_version = 8
    return ort.InferenceSession(m.SerializeToString(), so)
pool = dict(kernel_shape=[k, k], strides=[s, s], pads=[p] * 4)
separable = session(nodes, [f('x', [N, C, H, W]), f('y', [N, C, Ho, Wo]), f('dy', [N, C, Ho, Wo])], [f('dx', None)], inits)
forward = session([h.make_node('MaxPool', ['x'], ['y'], **pool)], [f('x', [N, C, H, W])], [f('y', None)], [])
indices = session([h.make_node('MaxPool', ['x'], ['y', 'i'], **pool)], [f('x', [N, C, H, W])],
                  [f('y', None), h.make_tensor_value_info('i', T.INT64, None)], [])
scatter = session([h.make_node('Expand', ['z', 'n'], ['zeros']), h.make_node('Reshape', ['i', 'm1'], ['iflat']),
                   h.make_node('Reshape', ['dy', 'm1'], ['dyflat']),
                   h.make_node('ScatterElements', ['zeros', 'iflat', 'dyflat'], ['dx'], axis=0, reduction='add')],
                  [h.make_tensor_value_info('i', T.INT64, [N, C, Ho, Wo]), f('dy', [N, C, Ho, Wo])], [f('dx', None)],
                  [h.make_tensor('z', T.FLOAT, [1], [0.0]), h.make_tensor('n', T.INT64, [1], [N * C * H * W]),
                   h.make_tensor('m1', T.INT64, [1], [-1])])
rng = np.random.default_rng(0)
x = np.round(np.maximum(rng.standard_normal((N, C, H, W), dtype=np.float32), 0) * 4) / 4  # zeros and ties
dy = rng.standard_normal((N, C, Ho, Wo), dtype=np.float32)
y, i = indices.run(None, {'x': x})
ref = scatter.run(None, {'i': i, 'dy': dy})[0].reshape(x.shape)
got = separable.run(None, {'x': x, 'y': y, 'dy': dy})[0]
print(f'max |separable - scattered| = {np.abs(got - ref).max():.2e} (sums in another order)')
cases = {'MaxPool': (forward, {'x': x}), 'MaxPool + Indices': (indices, {'x': x}),
         'ScatterElements': (scatter, {'i': i, 'dy': dy}), 'separable backward': (separable, {'x': x, 'y': y, 'dy': dy})}
times = {c: [] for c in cases}
for _ in range(5):
    for c, (sess, feeds) in cases.items():
        t = time.perf_counter(); sess.run(None, feeds); times[c].append((time.perf_counter() - t) * 1000)
med = {c: float(np.median(v)) for c, v in times.items()}
for c, v in times.items(): print(f'{c:20s} {med[c]:8.1f} ms ({min(v):.1f}-{max(v):.1f})')
print(f"forward + backward: Indices + ScatterElements {med['MaxPool + Indices'] + med['ScatterElements']:.1f} ms, "
      f"MaxPool + separable {med['MaxPool'] + med['separable backward']:.1f} ms")
