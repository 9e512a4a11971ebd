// The PyTorch peer of `convzoo bench train --torch PYTHON`: the same spec rebuilt in plain torch.nn (NCHW; no
// torchvision needed), trained with Adam on the same batch shape, categorical cross-entropy on the outputs' probabilities
// as Keras computes it (protocol: bench-peer.ts). 'same' padding as TensorFlow pads it (the extra row after), so shapes
// and FLOPs match the spec. Optional and never run by tests or CI: the user names a Python with torch installed.
import { PythonPeer } from './bench-peer.js';

/** spec JSON -> torch.nn modules, built by running a 1-image tensor through each layer (shapes come from torch). */
const SCRIPT = String.raw`
import json, sys, time
import numpy as np, torch
from torch import nn
import torch.nn.functional as F
spec = json.load(open(sys.argv[1])); batch = int(sys.argv[2])
def same_pads(size, k, s, d=1):
    out = -(-size // s); total = max((out - 1) * s + (k - 1) * d + 1 - size, 0)
    return total // 2, total - total // 2
def pads(p, hw, k, s, d=(1, 1)):
    if isinstance(p, dict): return p["top"], p["bottom"], p["left"], p["right"]
    if p == "valid": return 0, 0, 0, 0
    return (*same_pads(hw[0], k[0], s[0], d[0]), *same_pads(hw[1], k[1], s[1], d[1]))
ACT = {"linear": nn.Identity, "relu": nn.ReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "softmax": lambda: nn.Softmax(1)}
class Pad(nn.Module):
    def __init__(self, t, b, l, r, value=0.0):
        super().__init__(); self.p, self.v = (l, r, t, b), value
    def forward(self, x): return F.pad(x, self.p, value=self.v)
def padded(t, b, l, r, core, value=0.0):
    """core with symmetric padding folded in when it can be, else an explicit F.pad in front."""
    if t == b and l == r: return core((t, l))
    return nn.Sequential(Pad(t, b, l, r, value), core((0, 0)))
class Net(nn.Module):
    def __init__(self):
        super().__init__(); self.mods = nn.ModuleDict(); v = {}
        for l in spec["layers"]:
            k, name = l["kind"], l["name"]; ins = [v[i] for i in l["inputs"]]; x = ins[0] if ins else None
            if k == "input":
                h, w, c = l["shape"]; v[name] = torch.zeros(1, c, h, w); continue
            if k == "conv2d":
                kh, kw = l["kernelSize"]; t, b, le, r = pads(l["padding"], x.shape[2:], l["kernelSize"], l["strides"], l["dilation"])
                m = padded(t, b, le, r, lambda p: nn.Conv2d(x.shape[1], l["filters"], (kh, kw), tuple(l["strides"]), p, tuple(l["dilation"]), l["groups"], l["useBias"]))
                m = nn.Sequential(m, ACT[l["activation"]]())
            elif k == "dense": m = nn.Sequential(nn.Linear(x.shape[1], l["units"], l["useBias"]), ACT[l["activation"]]())
            elif k in ("maxPool2d", "avgPool2d"):
                t, b, le, r = pads(l["padding"], x.shape[2:], l["poolSize"], l["strides"])
                if k == "maxPool2d": m = padded(t, b, le, r, lambda p: nn.MaxPool2d(tuple(l["poolSize"]), tuple(l["strides"]), p), float("-inf"))
                else: m = padded(t, b, le, r, lambda p: nn.AvgPool2d(tuple(l["poolSize"]), tuple(l["strides"]), p, count_include_pad=False))
            elif k == "globalAvgPool2d": m = nn.AdaptiveAvgPool2d(1)
            elif k == "zeroPad2d": p = l["padding"]; m = Pad(p["top"], p["bottom"], p["left"], p["right"])
            elif k == "batchNorm": m = (nn.BatchNorm2d if x.dim() == 4 else nn.BatchNorm1d)(x.shape[1], l["epsilon"], 1 - l["momentum"], l["center"] or l["scale"])
            elif k == "activation": m = ACT[l["activation"]]()
            elif k == "dropout": m = nn.Dropout(l["rate"])
            elif k == "flatten": m = nn.Flatten()
            elif k == "resize": m = nn.Upsample(size=tuple(l["size"]), mode=l["method"])
            elif k == "lrn": n = 2 * l["depthRadius"] + 1; m = nn.LocalResponseNorm(n, l["alpha"] * n, l["beta"], l["bias"])
            elif k in ("concat", "add"): m = None
            else: raise SystemExit("torch peer: layer kind %s is not mapped" % k)
            if m is not None: self.mods[name] = m
            self.mods.eval()
            with torch.no_grad(): v[name] = self.run(l, ins)
    def run(self, l, ins):
        k = l["kind"]
        if k == "concat": return torch.cat(ins, 1)
        if k == "add": return sum(ins[1:], ins[0])
        y = self.mods[l["name"]](ins[0])
        return y.flatten(1) if k == "globalAvgPool2d" else y
    def forward(self, *xs):
        v = dict(zip(spec["inputs"], xs))
        for l in spec["layers"]:
            if l["kind"] != "input": v[l["name"]] = self.run(l, [v[i] for i in l["inputs"]])
        return [v[o] for o in spec["outputs"]]
torch.manual_seed(0)
model = Net().train(); opt = torch.optim.Adam(model.parameters(), 1e-3)
rng = np.random.default_rng(0)
shape = {l["name"]: l["shape"] for l in spec["layers"] if l["kind"] == "input"}
xs = [torch.from_numpy(rng.random((batch, shape[i][2], shape[i][0], shape[i][1]), dtype=np.float32)) for i in spec["inputs"]]
with torch.no_grad(): outs = model(*xs)
ys = [torch.eye(o.shape[1])[torch.from_numpy(rng.integers(0, o.shape[1], batch))] for o in outs]
def step():
    opt.zero_grad(set_to_none=True)
    loss = sum(-(y * torch.log(p.clamp_min(1e-7))).sum(1).mean() for p, y in zip(model(*xs), ys))
    loss.backward(); opt.step()
print(json.dumps({"peer": "torch %s (%d threads)" % (torch.__version__, torch.get_num_threads())}), flush=True)
for line in sys.stdin:
    warmup, steps = map(int, line.split())
    times, cpu = [], []
    for i in range(warmup + steps):
        t, c = time.perf_counter(), time.process_time()
        step()
        if i >= warmup: times.append((time.perf_counter() - t) * 1000); cpu.append((time.process_time() - c) * 1000)
    print(json.dumps({"ms": float(np.median(times)), "cpuMs": float(np.median(cpu))}), flush=True)
`;

export const startTorchPeer = (python: string, specFile: string, batch: number) => PythonPeer.start('torch', python, SCRIPT, specFile, batch);
