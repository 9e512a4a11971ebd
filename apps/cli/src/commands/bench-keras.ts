// The Keras peer of `convzoo bench train --keras PYTHON`: the same spec, rebuilt layer by layer in Keras 3
// (TensorFlow CPU), trained with Adam on the same batch shape (protocol: bench-peer.ts).
// Optional and never run by tests or CI: the user names a Python with keras + tensorflow installed.
import { PythonPeer } from './bench-peer.js';

/** spec JSON -> Keras functional model; timing peer only (explicit pool padding is zero padding here). */
const SCRIPT = String.raw`
import json, os, sys, time
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np, keras, tensorflow as tf
from keras import layers as L
spec = json.load(open(sys.argv[1])); batch = int(sys.argv[2])
def pad(p):
    return L.ZeroPadding2D(((p["top"], p["bottom"]), (p["left"], p["right"]))) if isinstance(p, dict) else None
v, shapes = {}, {}
for l in spec["layers"]:
    k, ins = l["kind"], [v[i] for i in l["inputs"]]
    x = ins[0] if ins else None
    if k == "input": y = keras.Input(tuple(l["shape"]), name=l["name"])
    elif k == "conv2d":
        p = pad(l["padding"]); x = p(x) if p else x
        y = L.Conv2D(l["filters"], tuple(l["kernelSize"]), strides=tuple(l["strides"]), padding="valid" if p else l["padding"], dilation_rate=tuple(l["dilation"]), groups=l["groups"], use_bias=l["useBias"], activation=l["activation"])(x)
    elif k == "dense": y = L.Dense(l["units"], use_bias=l["useBias"], activation=l["activation"])(x)
    elif k in ("maxPool2d", "avgPool2d"):
        p = pad(l["padding"]); x = p(x) if p else x
        cls = L.MaxPooling2D if k == "maxPool2d" else L.AveragePooling2D
        y = cls(tuple(l["poolSize"]), strides=tuple(l["strides"]), padding="valid" if p else l["padding"])(x)
    elif k == "globalAvgPool2d": y = L.GlobalAveragePooling2D()(x)
    elif k == "zeroPad2d": y = pad(l["padding"])(x)
    elif k == "batchNorm": y = L.BatchNormalization(epsilon=l["epsilon"], momentum=l["momentum"], center=l["center"], scale=l["scale"])(x)
    elif k == "activation": y = L.Activation(l["activation"])(x)
    elif k == "dropout": y = L.Dropout(l["rate"])(x)
    elif k == "flatten": y = L.Flatten()(x)
    elif k == "concat": y = L.Concatenate()(ins)
    elif k == "add": y = L.Add()(ins) if len(ins) > 1 else x
    elif k == "resize": y = L.Resizing(*l["size"], interpolation=l["method"])(x)
    elif k == "lrn": y = L.Lambda(lambda t, l=l: tf.nn.local_response_normalization(t, l["depthRadius"], l["bias"], l["alpha"], l["beta"]))(x)
    else: raise SystemExit("keras peer: layer kind %s is not mapped" % k)
    v[l["name"]] = y
model = keras.Model([v[i] for i in spec["inputs"]], [v[o] for o in spec["outputs"]])
model.compile(optimizer="adam", loss=["categorical_crossentropy"] * len(spec["outputs"]))
rng = np.random.default_rng(0)
xs = [rng.random((batch, *t.shape[1:]), dtype=np.float32) for t in model.inputs]
ys = [np.eye(t.shape[-1], dtype=np.float32)[rng.integers(0, t.shape[-1], batch)] for t in model.outputs]
print(json.dumps({"peer": "keras %s/tf %s" % (keras.__version__, tf.__version__)}), flush=True)
for line in sys.stdin:
    warmup, steps = map(int, line.split())
    times, cpu = [], []
    for i in range(warmup + steps):
        t, c = time.perf_counter(), time.process_time()
        model.train_on_batch(xs, ys)
        if i >= warmup:
            times.append((time.perf_counter() - t) * 1000); cpu.append((time.process_time() - c) * 1000)
    print(json.dumps({"ms": float(np.median(times)), "cpuMs": float(np.median(cpu))}), flush=True)
`;

/** Starts the Keras peer: the first call of a Keras model traces it (seconds), so every round warms up first. */
export const startKerasPeer = (python: string, specFile: string, batch: number) => PythonPeer.start('keras', python, SCRIPT, specFile, batch);
