# Hand-run check (not CI): the pretrained ResNet50 exported to ONNX by convzoo gives Keras' top-5 in a bare ONNX
# Runtime session (no convzoo code), preparing images with the recipe the ONNX file carries in its metadata_props.
#   npm run convzoo -- export resnet50 --weights keras-imagenet --format onnx -o resnet50.onnx
#   npm run convzoo -- export resnet50 --weights keras-imagenet --format keras -o resnet50.keras
#   <python> apps/cli/scripts/keras/pretrained_top5.py resnet50.onnx resnet50.keras apps/cli/fixtures/photos/*.{png,jpg}
# The Keras side is keras.saving.load_model of the same weights (keras.applications would download them; this
# machine is offline), fed the same preprocessed pixels.
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import onnx
import onnxruntime as ort
from PIL import Image

onnx_file, keras_file, images = sys.argv[1], sys.argv[2], sys.argv[3:]
meta = {p.key: p.value for p in onnx.load(onnx_file, load_external_data=False).metadata_props}
recipe = json.loads(meta["convzoo.recipe"])
labels = json.loads(meta["convzoo.labels"])
print("recipe from metadata_props:", meta["convzoo.preprocessing"])


def prepare(path):
    """The documented recipe: RGB, shorter side to resizeShorter (bilinear, antialiased), centre crop, caffe."""
    h, w, _ = recipe["inputShape"]
    img = Image.open(path).convert("RGB")
    if recipe["crop"] == "center":
        s = recipe["resizeShorter"] / min(img.size)
        size = (max(round(img.size[0] * s), w), max(round(img.size[1] * s), h))
        img = img.resize(size, Image.BILINEAR if recipe["resize"] == "bilinear" else Image.NEAREST)
        left, top = (size[0] - w) // 2, (size[1] - h) // 2
        img = img.crop((left, top, left + w, top + h))
    else:
        img = img.resize((w, h), Image.BILINEAR if recipe["resize"] == "bilinear" else Image.NEAREST)
    x = np.asarray(img, dtype=np.float32)
    assert recipe["preprocessing"] == "caffe", recipe["preprocessing"]
    x = x[..., ::-1] - np.array(recipe["mean"], dtype=np.float32)  # RGB -> BGR, minus the BGR mean
    return x[None]


batch = np.concatenate([prepare(p) for p in images])
session = ort.InferenceSession(onnx_file, providers=["CPUExecutionProvider"])
(ort_probs,) = session.run(None, {session.get_inputs()[0].name: batch})

import keras

keras_probs = keras.saving.load_model(keras_file).predict(batch, verbose=0)
same = True
for i, path in enumerate(images):
    top_ort = np.argsort(-ort_probs[i], kind="stable")[:5]
    top_keras = np.argsort(-keras_probs[i], kind="stable")[:5]
    same &= list(top_ort) == list(top_keras)
    print(f"{os.path.basename(path)}: max |ort - keras| {np.abs(ort_probs[i] - keras_probs[i]).max():.2e}")
    for a, b in zip(top_ort, top_keras):
        print(f"   ORT {labels[a]:<24} {ort_probs[i][a] * 100:6.2f}%   Keras {labels[b]:<24} {keras_probs[i][b] * 100:6.2f}%")
print("top-5 identical for every image" if same else "TOP-5 DIFFER")
sys.exit(0 if same else 1)
