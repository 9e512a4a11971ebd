// The Keras peer of `convzoo bench train --keras PYTHON`: the same spec, rebuilt layer by layer in Keras 3
// (TensorFlow CPU), trained with Adam on the same batch shape; its median train_on_batch step is the ratio's unit.
// Optional and never run by tests or CI: the user names a Python with keras + tensorflow installed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelSpec } from '@convzoo/models';
import { CliError } from '../command.js';
import type { BenchRow } from './bench-row.js';

/** spec JSON -> Keras functional model; timing peer only (explicit pool padding is zero padding here). */
const SCRIPT = String.raw`
import json, os, sys, time
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np, keras, tensorflow as tf
from keras import layers as L
spec = json.load(open(sys.argv[1])); batch, steps, warmup = map(int, sys.argv[2:5])
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
times, cpu = [], []
for i in range(warmup + steps):
    t, c = time.perf_counter(), time.process_time()
    model.train_on_batch(xs, ys)
    if i >= warmup:
        times.append((time.perf_counter() - t) * 1000); cpu.append((time.process_time() - c) * 1000)
print(json.dumps({"ms": float(np.median(times)), "cpuMs": float(np.median(cpu)), "peer": "keras %s/tf %s" % (keras.__version__, tf.__version__)}))
`;

export function kerasPeer(python: string, spec: ModelSpec, batch: number, steps: number, warmup: number, epochSize: number): BenchRow {
  const dir = mkdtempSync(join(tmpdir(), 'convzoo-keras-'));
  try {
    const specFile = join(dir, 'spec.json');
    writeFileSync(specFile, JSON.stringify(spec));
    let out: string;
    try {
      out = execFileSync(python, ['-c', SCRIPT, specFile, String(batch), String(steps), String(Math.max(warmup, 2))], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      const err = e as { stderr?: string; message: string };
      throw new CliError(`--keras ${python}: the Keras peer failed: ${(err.stderr || err.message).trim().split('\n').slice(-3).join(' | ')}`);
    }
    const r = JSON.parse(out.trim().split('\n').pop()!) as { ms: number; cpuMs: number; peer: string };
    const samplesPerSecond = (batch * 1000) / r.ms;
    return { backend: 'keras', msPerStep: r.ms, cpuMsPerStep: r.cpuMs, samplesPerSecond, secondsPerEpoch: epochSize / samplesPerSecond };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
