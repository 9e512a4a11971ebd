"""Own measurement, outside CI: a 3x3 'same' convolution as ONNX's Conv against ONNX Runtime's blocked-channel Conv
(com.microsoft.nchwc.Conv, what src/layers/nchwc.ts emits), the weight a graph input reordered in the graph to
OIHWBiBo, the input and output reordered (ReorderInput / ReorderOutput) around it; and the blocked Conv alone on an
already blocked input. Python onnxruntime, 2 intra-op threads, no spinning; checks the three agree; prints medians.

Usage (a Python with onnx and onnxruntime, e.g. the venv of shared/VERIFY.md):
  python scripts/nchwc-conv.py N C F H [BLOCK] [STRIDE]     e.g. 128 16 16 32 (ResNet20 stage 1), BLOCK 16 on AVX-512, 8 on AVX2
"""
import numpy as np, onnxruntime as ort, time, sys
from onnx import helper as h, TensorProto as T

N, C, F, H = [int(v) for v in sys.argv[1:5]]
B = int(sys.argv[5]) if len(sys.argv) > 5 else 16
S = int(sys.argv[6]) if len(sys.argv) > 6 else 1
NCHWC = 'com.microsoft.nchwc'


def const(name, vals):
    return h.make_node('Constant', [], [name], value=h.make_tensor(name + '_t', T.INT64, [len(vals)], vals))


def session(nodes):
    g = h.make_graph(nodes, 'g', [h.make_tensor_value_info('x', T.FLOAT, [N, C, H, H]), h.make_tensor_value_info('w', T.FLOAT, [F, C, 3, 3])],
                     [h.make_tensor_value_info('y', T.FLOAT, None)])
    m = h.make_model(g, opset_imports=[h.make_opsetid('', 17), h.make_opsetid(NCHWC, 1)], ir_version=8)
    so = ort.SessionOptions()
    so.intra_op_num_threads = 2
    so.add_session_config_entry('session.intra_op.allow_spinning', '0')
    return ort.InferenceSession(m.SerializeToString(), so, providers=['CPUExecutionProvider'])


# OIHW -> [F/B, C/B, kh, kw, B (in), B (out)]
reorder_w = [const('s6', [F // B, B, C // B, B, 3, 3]), h.make_node('Reshape', ['w', 's6'], ['w6']),
             h.make_node('Transpose', ['w6'], ['wt'], perm=[0, 2, 4, 5, 3, 1]), const('s4', [F, C, 3, 3]), h.make_node('Reshape', ['wt', 's4'], ['wb'])]
attrs = dict(pads=[1, 1, 1, 1], strides=[S, S])
plain = session([h.make_node('Conv', ['x', 'w'], ['y'], **attrs)])
blocked = session(reorder_w + [h.make_node('ReorderInput', ['x'], ['xb'], domain=NCHWC), h.make_node('Conv', ['xb', 'wb'], ['yb'], domain=NCHWC, **attrs),
                               h.make_node('ReorderOutput', ['yb'], ['y'], channels=F, domain=NCHWC)])
alone = session(reorder_w + [h.make_node('Conv', ['x', 'wb'], ['y'], domain=NCHWC, **attrs)])

x = np.random.randn(N, C, H, H).astype(np.float32)
w = (np.random.randn(F, C, 3, 3) * 0.1).astype(np.float32)
xb = np.ascontiguousarray(x.reshape(N, C // B, B, H, H).transpose(0, 1, 3, 4, 2)).reshape(x.shape)
feeds = {'plain': {'x': x, 'w': w}, 'blocked': {'x': x, 'w': w}, 'alone': {'x': xb, 'w': w}}
sessions = {'plain': plain, 'blocked': blocked, 'alone': alone}
ref = plain.run(None, feeds['plain'])[0]
assert np.abs(blocked.run(None, feeds['blocked'])[0] - ref).max() < 1e-4
ya = alone.run(None, feeds['alone'])[0]
Ho = ref.shape[2]
assert np.abs(ya.reshape(N, F // B, Ho, Ho, B).transpose(0, 1, 4, 2, 3).reshape(ref.shape) - ref).max() < 1e-4
times = {k: [] for k in sessions}
for k, s in sessions.items():
    for _ in range(3):
        s.run(None, feeds[k])
for r in range(15):
    for k, s in sessions.items():
        t = time.perf_counter()
        s.run(None, feeds[k])
        times[k].append((time.perf_counter() - t) * 1e3)
med = {k: float(np.median(v)) for k, v in times.items()}
print(f'N{N} C{C} F{F} {H}x{H} stride {S} block {B}: Conv {med["plain"]:.2f} ms, blocked Conv with its reorders {med["blocked"]:.2f}, '
      f'blocked Conv alone {med["alone"]:.2f} (medians of 15, in turn)')
