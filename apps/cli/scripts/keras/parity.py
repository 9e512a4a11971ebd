# Loads convzoo's .keras exports with Keras 3 (no custom objects, safe mode) and compares predictions with convzoo's.
# Run through parity.ts, which writes the files: <python> parity.py <dir> <model>...
import json
import os
import sys

import numpy as np
import keras

out, names = sys.argv[1], sys.argv[2:]
worst = 0.0
for name in names:
    meta = json.load(open(os.path.join(out, f"{name}.json")))
    x = np.fromfile(os.path.join(out, f"{name}.input.bin"), dtype="<f4").reshape(meta["input"])
    model = keras.saving.load_model(os.path.join(out, f"{name}.keras"))
    got = model.predict(x, verbose=0)
    got = got if isinstance(got, (list, tuple)) else [got]
    diffs = []
    for i, shape in enumerate(meta["outputs"]):
        ref = np.fromfile(os.path.join(out, f"{name}.out{i}.bin"), dtype="<f4").reshape(shape)
        diffs.append(float(np.abs(np.asarray(got[i]) - ref).max()))
    worst = max(worst, *diffs)
    print(f"{name}: Keras {keras.__version__} loaded {model.name} ({model.count_params():,} params, {len(got)} output(s)); max |keras - convzoo| per output: {', '.join(f'{d:.2e}' for d in diffs)}")
print(f"worst max abs diff {worst:.2e} ({'OK' if worst <= 1e-5 else 'FAIL'}: tolerance 1e-5)")
sys.exit(0 if worst <= 1e-5 else 1)
