# Reference numbers for test/image.test.ts, computed with Pillow (and NumPy float32 for the Keras presets).
# Hand-run only (never in CI): python3 scripts/pil-reference.py > test/fixtures/pil-reference.json
# Recorded with Pillow 12.3.0, NumPy 2.4.6 (from the local wheel store).
# The test image: pixel (x, y, c) = (37x + 91y + 53c + 13xy) mod 256, as testImage() in test/helpers.ts.
import numpy as np, json
from PIL import Image
def img(w, h):
    a = np.zeros((h, w, 3), np.uint8)
    for y in range(h):
        for x in range(w):
            for c in range(3):
                a[y, x, c] = (x*37 + y*91 + c*53 + x*y*13) % 256
    return a
out = {}
a = img(7, 5)
im = Image.fromarray(a, 'RGB')
for (w, h) in [(3, 2), (11, 8), (4, 9), (7, 3)]:
    out[f'bilinear {w}x{h}'] = np.asarray(im.resize((w, h), Image.BILINEAR)).flatten().tolist()
for (w, h) in [(3, 2), (11, 8), (4, 9)]:
    out[f'nearest {w}x{h}'] = np.asarray(im.resize((w, h), Image.NEAREST)).flatten().tolist()
# Pillow accumulates pos += in/out for nearest: 4 -> 7 and 2 -> 7 land on 2.9999999999999996, not 3.0.
out['nearest 4x2->7x7'] = np.asarray(Image.fromarray(img(4, 2)).resize((7, 7), Image.NEAREST)).flatten().tolist()
# torchvision Resize(4) + CenterCrop(3) by hand: shorter side (h=5) -> 4, long = int(4*7/5) = 5
r = im.resize((5, 4), Image.BILINEAR)
top = int(round((4 - 3) / 2.0)); left = int(round((5 - 3) / 2.0))
out['center 3 shorter 4'] = np.asarray(r.crop((left, top, left + 3, top + 3))).flatten().tolist()
out['center geometry'] = [top, left]
# float check: big downscale of a 40x30 image to 6x5 (compare float version within 1 level)
b = img(40, 30)
out['bilinear40x30->6x5'] = np.asarray(Image.fromarray(b).resize((6, 5), Image.BILINEAR)).flatten().tolist()
# presets, as keras imagenet_utils._preprocess_numpy_input on float32
x = a.astype('float32')[None]
caffe = x[..., ::-1].copy(); mean = [103.939, 116.779, 123.68]
for c in range(3): caffe[..., c] -= mean[c]
tf = x.copy(); tf /= 127.5; tf -= 1.0
torch = x.copy(); torch /= 255.0
for c, (m, s) in enumerate(zip([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])):
    torch[..., c] -= m; torch[..., c] /= s
out['first pixels'] = x.flatten()[:6].tolist()
for name, v in [('caffe', caffe), ('tf', tf), ('torch', torch)]:
    out[name] = [float(f) for f in v.flatten()[:6]]
    out[name + ' hex'] = v.flatten()[:6].view(np.uint32).tolist()
print(json.dumps(out))
