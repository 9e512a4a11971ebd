"""Own measurement, outside CI: the forms of a conv's weight gradient dW (3x3, stride 1, 'same') that a training graph
could use, each as a small ONNX model timed in Python onnxruntime (2 intra-op threads, no spinning), in turn, seven
rounds: taps (the graph's form: per tap a strided Slice of the padded input and a batched MatMul), taps in batch
chunks, one 3-D Conv, the 3-D Conv grouped over batch chunks, three row slices with dz shifted three ways, taps as Pads,
and the forward Conv of the same size for scale. Prints median wall and CPU ms and the forms' differences.

Usage (a Python with onnx and onnxruntime, e.g. the venv of shared/VERIFY.md):
  python scripts/dw-forms.py N C F H W [CHUNK]     e.g. 128 16 16 32 32 16 (ResNet20 stage 1)
"""
import numpy as np, onnx, onnxruntime as ort, time, sys
from onnx import helper as h, TensorProto as T
N,C,F,H,W = [int(v) for v in sys.argv[1:6]]
chunk = int(sys.argv[6]) if len(sys.argv)>6 else 16
def I(name, vals): return h.make_tensor(name, T.INT64, [len(vals)], vals)
def model(nodes, inits, outs):
    g = h.make_graph(nodes, 'g', [h.make_tensor_value_info('x',T.FLOAT,[N,C,H,W]), h.make_tensor_value_info('dz',T.FLOAT,[N,F,H,W])],
        [h.make_tensor_value_info(o,T.FLOAT,None) for o in outs], inits)
    m=h.make_model(g, opset_imports=[h.make_opsetid('',18)]); m.ir_version=8; return m
def taps(prefix='', x='x', dz='dz', n=N):
    nodes=[]; inits=[]; tp=[]
    nodes.append(h.make_node('Pad',[x,prefix+'pads'],[prefix+'xp'])); inits.append(I(prefix+'pads',[0,0,1,1,0,0,1,1]))
    nodes.append(h.make_node('Reshape',[dz,'s3f'],[prefix+'dz3']))
    for i in range(3):
        for j in range(3):
            t=f'{prefix}t{i}{j}'
            inits += [I(t+'s',[i,j]), I(t+'e',[i+H,j+W])]
            nodes.append(h.make_node('Slice',[prefix+'xp',t+'s',t+'e','ax23'],[t+'x']))
            nodes.append(h.make_node('Reshape',[t+'x','s3c'],[t+'x3']))
            nodes.append(h.make_node('Transpose',[t+'x3'],[t+'xT'],perm=[0,2,1]))
            nodes.append(h.make_node('MatMul',[prefix+'dz3',t+'xT'],[t+'mm']))
            nodes.append(h.make_node('ReduceSum',[t+'mm','ax0'],[t+'dw'],keepdims=1))
            tp.append(t+'dw')
    nodes.append(h.make_node('Concat',tp,[prefix+'cat'],axis=0))
    return nodes, inits, prefix+'cat'
common=[I('ax23',[2,3]), I('s3f',[0,F,H*W]), I('s3c',[0,C,H*W]), I('ax0',[0])]
models={}
n,i,o=taps(); models['taps']=model(n,i+common,[o])
# chunked taps
nodes=[]; inits=list(common); outs=[]
k=N//chunk
nodes.append(h.make_node('Split',['x'],[f'xc{q}' for q in range(k)],axis=0,num_outputs=k))
nodes.append(h.make_node('Split',['dz'],[f'dzc{q}' for q in range(k)],axis=0,num_outputs=k))
for q in range(k):
    n_,i_,o_=taps(f'c{q}_',f'xc{q}',f'dzc{q}')
    nodes+=n_; inits+=i_; outs.append(o_)
nodes.append(h.make_node('Sum',outs,['dwsum']))
models[f'chunk{chunk}']=model(nodes,inits,['dwsum'])
# 3-D conv
nodes=[h.make_node('Unsqueeze',['x','ax0'],['x5']), h.make_node('Transpose',['dz'],['dzT'],perm=[1,0,2,3]), h.make_node('Unsqueeze',['dzT','ax2'],['dz5']),
  h.make_node('Conv',['x5','dz5'],['dw5'],kernel_shape=[1,H,W],pads=[0,1,1,0,1,1])]
models['conv3d']=model(nodes,common+[I('ax2',[2])],['dw5'])
for k in (2,4,16):
    nodes=[h.make_node('Unsqueeze',['x','ax0'],['x5']),
      h.make_node('Reshape',['dz',f'g{k}a'],[f'dzk{k}']),
      h.make_node('Transpose',[f'dzk{k}'],[f'dzkT{k}'],perm=[0,2,1,3,4]),
      h.make_node('Reshape',[f'dzkT{k}',f'g{k}b'],[f'dz5_{k}']),
      h.make_node('Conv',['x5',f'dz5_{k}'],[f'dw5_{k}'],kernel_shape=[1,H,W],pads=[0,1,1,0,1,1],group=k),
      h.make_node('Reshape',[f'dw5_{k}',f'g{k}c'],[f'dwk{k}']),
      h.make_node('ReduceSum',[f'dwk{k}','ax0'],[f'dwg{k}'],keepdims=0)]
    models[f'conv3d_g{k}']=model(nodes,common+[I(f'g{k}a',[k,N//k,F,H,W]),I(f'g{k}b',[k*F,N//k,1,H,W]),I(f'g{k}c',[k,F,C,3,3])],[f'dwg{k}'])
Wp=W+2
nodes=[h.make_node('Pad',['x','pads6'],['xp6'])]; inits=[I('pads6',[0,0,1,1,0,0,1,1]), I('s6x',[0,C,H*Wp]), I('s6d',[0,F,H*Wp]), I('ax2only',[2])]
tp=[]
for j in range(3):
    inits.append(I(f'dp{j}',[0,0,0,j,0,0,0,Wp-W-j]))
    nodes.append(h.make_node('Pad',['dz',f'dp{j}'],[f'dzs{j}']))
    nodes.append(h.make_node('Reshape',[f'dzs{j}','s6d'],[f'dzs3_{j}']))
for i in range(3):
    inits += [I(f'r{i}s',[i]), I(f'r{i}e',[i+H])]
    nodes.append(h.make_node('Slice',['xp6',f'r{i}s',f'r{i}e','ax2only'],[f'xr{i}']))
    nodes.append(h.make_node('Reshape',[f'xr{i}','s6x'],[f'xr3_{i}']))
    nodes.append(h.make_node('Transpose',[f'xr3_{i}'],[f'xrT{i}'],perm=[0,2,1]))
    for j in range(3):
        nodes.append(h.make_node('MatMul',[f'dzs3_{j}',f'xrT{i}'],[f'mm6_{i}{j}']))
        nodes.append(h.make_node('ReduceSum',[f'mm6_{i}{j}','ax0'],[f'dw6_{i}{j}'],keepdims=1)); tp.append(f'dw6_{i}{j}')
nodes.append(h.make_node('Concat',tp,['cat6'],axis=0))
models['six']=model(nodes,common+inits,['cat6'])
nodes=[h.make_node('Reshape',['dz','s3f'],['pdz3'])]; inits=[]; tp=[]
for i in range(3):
    for j in range(3):
        t=f'p{i}{j}'
        inits.append(I(t+'pads',[0,0,1-i,1-j,0,0,i-1,j-1]))
        nodes.append(h.make_node('Pad',['x',t+'pads'],[t+'x']))
        nodes.append(h.make_node('Reshape',[t+'x','s3c'],[t+'x3']))
        nodes.append(h.make_node('Transpose',[t+'x3'],[t+'xT'],perm=[0,2,1]))
        nodes.append(h.make_node('MatMul',['pdz3',t+'xT'],[t+'mm']))
        nodes.append(h.make_node('ReduceSum',[t+'mm','ax0'],[t+'dw'],keepdims=1)); tp.append(t+'dw')
nodes.append(h.make_node('Concat',tp,['pcat'],axis=0))
models['padtaps']=model(nodes,common+inits,['pcat'])
# forward conv for reference
nodes=[h.make_node('Conv',['x','w'],['y'],kernel_shape=[3,3],pads=[1,1,1,1])]
wi=h.make_tensor_value_info('w',T.FLOAT,[F,C,3,3])
m=model(nodes,[],['y']); m.graph.input.append(wi); models['fwdconv']=m
so=ort.SessionOptions(); so.log_severity_level=3; so.intra_op_num_threads=2; so.add_session_config_entry('session.intra_op.allow_spinning','0')
rng=np.random.default_rng(0)
feeds={'x':rng.standard_normal((N,C,H,W),dtype=np.float32),'dz':rng.standard_normal((N,F,H,W),dtype=np.float32),'w':rng.standard_normal((F,C,3,3),dtype=np.float32)}
sess={k:ort.InferenceSession(v.SerializeToString(),so) for k,v in models.items()}
res={}
for k,s in sess.items():
    f={n.name:feeds[n.name] for n in s.get_inputs()}
    r=s.run(None,f)[0]; res[k]=r
times={k:[] for k in sess}
for rep in range(7):
    for k,s in sess.items():
        f={n.name:feeds[n.name] for n in s.get_inputs()}
        t=time.perf_counter(); c=time.process_time()
        for _ in range(3): s.run(None,f)
        times[k].append(((time.perf_counter()-t)/3*1000,(time.process_time()-c)/3*1000))
for k,v in times.items():
    v.sort(); print(f"{k:10s} wall {np.median([a for a,b in v]):7.2f} ms  cpu {np.median([b for a,b in v]):7.2f}")
a=res['taps'].reshape(3,3,F,C).transpose(2,3,0,1); b=res[f'chunk{chunk}'].reshape(3,3,F,C).transpose(2,3,0,1); c=res['conv3d'].reshape(F,C,3,3)
print('padtaps err',np.abs(res['padtaps']-res['taps']).max()/np.abs(res['taps']).max());print('six err',np.abs(res['six']-res['taps']).max()/np.abs(res['taps']).max());print('chunk err',np.abs(a-b).max()/np.abs(a).max(),'3d err',np.abs(a-c).max()/np.abs(a).max(),'3d grouped err',max(np.abs(res[f'conv3d_g{k}'].reshape(F,C,3,3)-c).max() for k in (2,4,16))/np.abs(a).max())
