"""Own check, outside CI: rebuild a convzoo spec in Keras (the tutorial's framework), load the same canonical
weights, and compare its outputs with ONNX Runtime running convzoo's export of that spec.

Usage (the venv from shared/VERIFY.md has tensorflow-cpu 2.21, keras 3, onnxruntime 1.30):
  npx tsx --conditions=source scripts/keras-check.ts /tmp/kc
  $PYTHON scripts/keras-check.py /tmp/kc/allkinds.json /tmp/kc/allkinds.onnx
(the JSON holds {"spec": ModelSpec, "weights": {name: {shape, data}}}.)
"""
import json
import sys

import numpy as np
import onnxruntime as ort
import tensorflow as tf
import keras
from keras import layers

doc = json.load(open(sys.argv[1]))
spec, weights = doc["spec"], doc["weights"]
W = {k: np.array(v["data"], dtype=np.float32).reshape(v["shape"]) for k, v in weights.items()}

t = {}
inputs = []
for L in spec["layers"]:
    kind, name = L["kind"], L["name"]
    ins = [t[i] for i in L["inputs"]]
    x = ins[0] if ins else None
    if kind == "input":
        t[name] = keras.Input(shape=L["shape"], name=name)
        inputs.append(t[name])
        continue
    if kind == "conv2d":
        pad = L["padding"]
        if isinstance(pad, dict):
            x = layers.ZeroPadding2D(((pad["top"], pad["bottom"]), (pad["left"], pad["right"])), name=name + "_pad")(x)
            pad = "valid"
        lay = layers.Conv2D(L["filters"], L["kernelSize"], strides=L["strides"], padding=pad, dilation_rate=L["dilation"],
                            groups=L["groups"], use_bias=L["useBias"], activation=L["activation"], name=name)
        y = lay(x)
        lay.set_weights([W[name + "/kernel"]] + ([W[name + "/bias"]] if L["useBias"] else []))
    elif kind == "dense":
        lay = layers.Dense(L["units"], use_bias=L["useBias"], activation=L["activation"], name=name)
        y = lay(x)
        lay.set_weights([W[name + "/kernel"]] + ([W[name + "/bias"]] if L["useBias"] else []))
    elif kind in ("maxPool2d", "avgPool2d"):
        cls = layers.MaxPooling2D if kind == "maxPool2d" else layers.AveragePooling2D
        y = cls(L["poolSize"], strides=L["strides"], padding=L["padding"], name=name)(x)
    elif kind == "globalAvgPool2d":
        y = layers.GlobalAveragePooling2D(name=name)(x)
    elif kind == "zeroPad2d":
        p = L["padding"]
        y = layers.ZeroPadding2D(((p["top"], p["bottom"]), (p["left"], p["right"])), name=name)(x)
    elif kind == "batchNorm":
        lay = layers.BatchNormalization(epsilon=L["epsilon"], momentum=L["momentum"], center=L["center"], scale=L["scale"], name=name)
        y = lay(x)
        lay.set_weights([W[f"{name}/{p}"] for p in ("gamma", "beta", "moving_mean", "moving_variance") if f"{name}/{p}" in W])
    elif kind == "activation":
        y = layers.Activation(L["activation"], name=name)(x)
    elif kind == "dropout":
        y = layers.Dropout(L["rate"], name=name)(x)
    elif kind == "flatten":
        y = layers.Flatten(name=name)(x)
    elif kind == "concat":
        y = layers.Concatenate(axis=-1, name=name)(ins)
    elif kind == "add":
        y = layers.Add(name=name)(ins)
    elif kind == "resize":
        y = layers.Resizing(*L["size"], interpolation=L["method"], name=name)(x)
    elif kind == "lrn":
        r, bias, alpha, beta = L["depthRadius"], L["bias"], L["alpha"], L["beta"]
        y = layers.Lambda(lambda v: tf.nn.local_response_normalization(v, r, bias, alpha, beta), name=name)(x)
    else:
        raise SystemExit(f"unknown kind {kind}")
    t[name] = y

model = keras.Model(inputs, [t[o] for o in spec["outputs"]])
rng = np.random.default_rng(0)
feeds = {i: rng.standard_normal((2, *next(L for L in spec["layers"] if L["name"] == i)["shape"])).astype(np.float32) for i in spec["inputs"]}
ref = model([feeds[i] for i in spec["inputs"]], training=False)
ref = ref if isinstance(ref, (list, tuple)) else [ref]
sess = ort.InferenceSession(sys.argv[2], providers=["CPUExecutionProvider"])
got = sess.run(spec["outputs"], feeds)
worst = 0.0
for name, r, g in zip(spec["outputs"], ref, got):
    r = np.asarray(r)
    err = float(np.max(np.abs(r - g) / (np.abs(r) + 1e-3)))
    worst = max(worst, err)
    print(f"{name}: shape {g.shape} keras {r.shape} max rel err {err:.2e}")
print("OK" if worst < 1e-4 else "MISMATCH", f"worst {worst:.2e}")
sys.exit(0 if worst < 1e-4 else 1)
