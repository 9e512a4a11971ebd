"""Own measurement, outside CI: what ONNX Runtime's CPU MaxPool costs with its Indices output, and the ScatterElements
(add) that routes dy back through them, against MaxPool alone and a Relu pass over the same input (five runs each,
Python onnxruntime, 2 intra-op threads, no spinning).

Usage (a Python with onnx and onnxruntime, e.g. the venv of shared/VERIFY.md):
  python scripts/pool-indices.py N C H W KERNEL STRIDE PAD     e.g. 64 64 112 112 3 2 0 (GoogLeNet's first pool)
"""
import numpy as np, onnx, onnxruntime as ort, time, sys
from onnx import helper as h, TensorProto as T
N,C,H,W,k,s,p = [int(v) for v in sys.argv[1:8]]
Ho=(H+2*p-k)//s+1
def I(name, vals): return h.make_tensor(name, T.INT64, [len(vals)], vals)
attrs=dict(kernel_shape=[k,k],strides=[s,s],pads=[p]*4)
cases={
 'maxpool': ([h.make_node('MaxPool',['x'],['y'],**attrs)],[],['y']),
 'maxpool+idx': ([h.make_node('MaxPool',['x'],['y','i'],**attrs)],[],['y','i']),
 'relu(ref pass)': ([h.make_node('Relu',['x'],['y'])],[],['y']),
}
so=ort.SessionOptions(); so.log_severity_level=3; so.intra_op_num_threads=2; so.add_session_config_entry('session.intra_op.allow_spinning','0')
x=np.random.default_rng(0).standard_normal((N,C,H,W),dtype=np.float32)
sess={}
for kk,(nodes,inits,outs) in cases.items():
    g=h.make_graph(nodes,'g',[h.make_tensor_value_info('x',T.FLOAT,[N,C,H,W])],[h.make_tensor_value_info(o,T.FLOAT if o=='y' else T.INT64,None) for o in outs],inits)
    m=h.make_model(g,opset_imports=[h.make_opsetid('',18)]); m.ir_version=8
    sess[kk]=ort.InferenceSession(m.SerializeToString(),so)
# scatter: dy [N,C,Ho,Ho] into zeros by indices
idx=sess['maxpool+idx'].run(None,{'x':x})[1]
nodes=[h.make_node('Expand',['z','shp'],['zeros']),h.make_node('Reshape',['i','m1'],['iflat']),h.make_node('Reshape',['dy','m1'],['dyflat']),
 h.make_node('ScatterElements',['zeros','iflat','dyflat'],['y'],axis=0,reduction='add')]
g=h.make_graph(nodes,'g',[h.make_tensor_value_info('i',T.INT64,list(idx.shape)),h.make_tensor_value_info('dy',T.FLOAT,list(idx.shape))],[h.make_tensor_value_info('y',T.FLOAT,None)],
  [h.make_tensor('z',T.FLOAT,[1],[0.0]),I('shp',[N*C*H*W]),I('m1',[-1])])
m=h.make_model(g,opset_imports=[h.make_opsetid('',18)]); m.ir_version=8
sc=ort.InferenceSession(m.SerializeToString(),so)
dy=np.random.default_rng(1).standard_normal(idx.shape,dtype=np.float32)
allc={**{kk:(v,{'x':x}) for kk,v in sess.items()},'scatter':(sc,{'i':idx,'dy':dy})}
times={kk:[] for kk in allc}
for rep in range(5):
    for kk,(ss,f) in allc.items():
        t=time.perf_counter(); ss.run(None,f); times[kk].append((time.perf_counter()-t)*1000)
for kk,v in times.items(): print(f"{kk:15s} {np.median(v):8.2f} ms")
