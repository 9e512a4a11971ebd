# Compares what scripts/check-pil-pipeline.ts wrote with Pillow: decode (Image.open(p).convert('RGB')) and
# torchvision's Resize(256) + CenterCrop(224) done with Pillow exactly as torchvision does it on PIL images.
import sys
import numpy as np
from PIL import Image

d = sys.argv[1]
for name in ['landscape', 'portrait', 'small']:
    im = Image.open(f'{d}/{name}.jpg').convert('RGB')
    w, h = im.size
    ours = np.fromfile(f'{d}/{name}.decoded.u8', np.uint8).reshape(h, w, 3)
    dec = np.abs(np.asarray(im).astype(int) - ours.astype(int))
    short, long_ = min(w, h), max(w, h)
    new_long = int(256 * long_ / short)
    r = im.resize((new_long, 256) if w >= h else (256, new_long), Image.BILINEAR)
    top, left = int(round((r.height - 224) / 2.0)), int(round((r.width - 224) / 2.0))
    ref = np.asarray(r.crop((left, top, left + 224, top + 224))).astype(np.float32)
    got = np.fromfile(f'{d}/{name}.224.f32', np.float32).reshape(224, 224, 3)
    pipe = np.abs(ref - got)
    print(f'{name} {w}x{h}: decode max |diff| {dec.max()}, resize+crop max |diff| {pipe.max()} '
          f'({(pipe > 0).mean() * 100:.3f}% of values differ)')
