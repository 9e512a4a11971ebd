# Reference pixels for test/recipes.test.ts: whole recipes (resize + crop with Pillow, as torchvision's Resize +
# CenterCrop and Keras' load_img do them, then Keras' own preprocess_input) on images of odd sizes.
# Hand-run only (never in CI), from packages/image:
#   <python with Pillow, NumPy and Keras> scripts/pillow-fixtures.py > test/fixtures/pillow-recipes.json
# The versions it ran with are written into the file.
# The test image: pixel (x, y, c) = (37x + 91y + 53c + 13xy + 7 * (x ^ y)) mod 256, as testImage() in the test.
import json
import sys

import numpy as np
import PIL
from PIL import Image

import keras
from keras.applications import imagenet_utils


def img(w, h):
    y, x = np.mgrid[0:h, 0:w]
    return np.stack([(x * 37 + y * 91 + c * 53 + x * y * 13 + 7 * (x ^ y)) % 256 for c in range(3)], axis=-1).astype(np.uint8)


def torchvision_center(a, shorter, h, w):
    """torchvision Resize(shorter) + CenterCrop((h, w)) on a PIL image, written out (torchvision 0.2x, PIL path)."""
    im = Image.fromarray(a)
    W, H = im.size
    if W <= H:
        size = (shorter, int(shorter * H / W))
    else:
        size = (int(shorter * W / H), shorter)
    r = im.resize(size, Image.BILINEAR)
    top = int(round((r.size[1] - h) / 2.0))
    left = int(round((r.size[0] - w) / 2.0))
    return np.asarray(r.crop((left, top, left + w, top + h))), [r.size[0], r.size[1], top, left]


cases = []
# Centre crops: S and sizes chosen so (H - h) / 2 lands on .5 (Python rounds half to even), landscape and portrait.
for (iw, ih, shorter, h, w) in [(31, 23, 19, 16, 16), (23, 31, 19, 16, 16), (31, 23, 17, 16, 16), (50, 29, 15, 12, 10), (23, 40, 14, 14, 14)]:
    out, geometry = torchvision_center(img(iw, ih), shorter, h, w)
    cases.append({'name': f'center {iw}x{ih} S{shorter} -> {h}x{w}', 'image': [iw, ih], 'recipe': {'size': [h, w], 'crop': 'center', 'resizeShorter': shorter, 'resize': 'bilinear'}, 'geometry': geometry, 'pixels': out.flatten().tolist()})
# Straight resizes (Keras load_img target_size=(h, w): nearest by default; bilinear too), down and up.
for (iw, ih, h, w, method) in [(61, 47, 10, 15, 'nearest'), (61, 47, 7, 13, 'bilinear'), (9, 7, 16, 20, 'bilinear'), (9, 7, 16, 20, 'nearest'), (64, 3, 2, 5, 'bilinear')]:
    resample = Image.BILINEAR if method == 'bilinear' else Image.NEAREST
    out = np.asarray(Image.fromarray(img(iw, ih)).resize((w, h), resample))
    cases.append({'name': f'{method} {iw}x{ih} -> {h}x{w}', 'image': [iw, ih], 'recipe': {'size': [h, w], 'crop': 'none', 'resize': method}, 'pixels': out.flatten().tolist()})

# Keras' preprocess_input (its own code, on float32) of the first centre crop's top 4 rows (per-pixel formulas).
crop = np.array(cases[0]['pixels'], np.uint8).reshape(1, 16, 16, 3)[:, :4].astype('float32')
presets = {mode: imagenet_utils.preprocess_input(crop.copy(), mode=mode).astype('float32').flatten().tolist() for mode in ['caffe', 'tf', 'torch']}

json.dump({'versions': {'pillow': PIL.__version__, 'numpy': np.__version__, 'keras': keras.__version__}, 'cases': cases, 'preprocess of case 0, rows 0-3': presets}, sys.stdout)
