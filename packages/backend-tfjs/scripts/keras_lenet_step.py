# Peer for bench-train.ts: median time of one Keras (TensorFlow CPU) train_on_batch step of the tutorial LeNet
# with Adam, on random data. Prints one JSON line. Run with the reference venv (see shared/VERIFY.md next to the repo).
import json, os, sys, time
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import keras
from keras import layers

batch, steps, warmup = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
model = keras.Sequential([
    keras.Input((28, 28, 1)),
    layers.Conv2D(20, 5, activation="relu"), layers.MaxPooling2D(2),
    layers.Conv2D(50, 5, activation="relu"), layers.MaxPooling2D(2),
    layers.Flatten(), layers.Dense(500, activation="relu"), layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy")
rng = np.random.default_rng(0)
x = rng.random((batch, 28, 28, 1), dtype=np.float32)
y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, batch)]
times, cpu = [], []
for i in range(warmup + steps):
    t, c = time.perf_counter(), time.process_time()
    model.train_on_batch(x, y)
    if i >= warmup:
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
import tensorflow as tf
print(json.dumps({"msPerStep": float(np.median(times)), "cpuMsPerStep": float(np.median(cpu)), "peer": f"Keras {keras.__version__} / TF {tf.__version__} CPU"}))
