# Rebuilds the tutorial's Keras models (the tutorial in the project's shared/seed) and compares them with convzoo's tutorial flavours:
# LeNet and AlexNet layer names (Keras auto-naming) and shapes; GoogLeNet (the tutorial's code with its bugs fixed:
# kernel sizes 1/3/5/1 given, 'activation' spelled right, aux heads after 4a and 4d) and the MNIST ResNet by
# output shapes and weight shapes in order. Run with the reference venv:  python keras_tutorial.py /tmp/specs.json
import json, math, os, sys
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')
import keras
from keras import layers as L

specs = json.load(open(sys.argv[1]))

def lenet():
    m = keras.Sequential([keras.Input((28, 28, 1)), L.Conv2D(20, 5, activation='relu'), L.MaxPool2D(2, 2), L.Conv2D(50, 5, activation='relu'),
                          L.MaxPool2D(2, 2), L.Flatten(), L.Dense(500, activation='relu'), L.Dense(10, activation='softmax')])
    return m

def alexnet():
    return keras.Sequential([keras.Input((224, 224, 3)),
        L.Conv2D(96, 11, strides=4, activation='relu'), L.MaxPooling2D(3, 2), L.BatchNormalization(),
        L.ZeroPadding2D(2), L.Conv2D(256, 5, activation='relu'), L.MaxPooling2D(3, 2), L.BatchNormalization(),
        L.ZeroPadding2D(1), L.Conv2D(384, 3, activation='relu'), L.ZeroPadding2D(1), L.Conv2D(384, 3, activation='relu'),
        L.ZeroPadding2D(1), L.Conv2D(256, 3, activation='relu'), L.MaxPooling2D(3, 2), L.Flatten(),
        L.Dense(4096, activation='relu'), L.Dropout(0.5), L.Dense(4096, activation='relu'), L.Dropout(0.5), L.Dense(1, activation='sigmoid')])

def inception(x, f_1x1, f_reduce_3x3, f_3x3, f_reduce_5x5, f_5x5, f_pool):
    p1 = L.Conv2D(f_1x1, 1, padding='same', activation='relu')(x)
    p2 = L.Conv2D(f_3x3, 3, padding='same', activation='relu')(L.Conv2D(f_reduce_3x3, 1, padding='same', activation='relu')(x))
    p3 = L.Conv2D(f_5x5, 5, padding='same', activation='relu')(L.Conv2D(f_reduce_5x5, 1, padding='same', activation='relu')(x))
    p4 = L.Conv2D(f_pool, 1, padding='same', activation='relu')(L.MaxPooling2D(3, 1, padding='same')(x))
    return L.Concatenate()([p1, p2, p3, p4])

def aux(x):
    a = L.AveragePooling2D(5, 3)(x)
    a = L.Conv2D(128, 1, padding='same', activation='relu')(a)
    a = L.Dense(1024, activation='relu')(L.Flatten()(a))
    return L.Dense(10, activation='softmax')(L.Dropout(0.7)(a))

def googlenet():
    i = keras.Input((32, 32, 3))
    x = L.Resizing(224, 224, interpolation='bilinear')(i)
    x = L.Conv2D(64, 7, strides=2, padding='same', activation='relu')(x)
    x = L.MaxPooling2D(3, 2)(x)
    x = L.Conv2D(64, 1, padding='same', activation='relu')(x)
    x = L.MaxPooling2D(3, 2)(x)
    x = inception(x, 64, 96, 128, 16, 32, 32)
    x = inception(x, 128, 128, 192, 32, 32, 32)
    x = L.MaxPooling2D(3, 2)(x)
    x = inception(x, 192, 96, 208, 16, 48, 64); a1 = aux(x)
    x = inception(x, 160, 112, 224, 24, 64, 64)
    x = inception(x, 128, 128, 256, 24, 64, 64)
    x = inception(x, 112, 144, 288, 32, 64, 64); a2 = aux(x)
    x = inception(x, 256, 160, 320, 32, 128, 128)
    x = L.MaxPooling2D(3, 2)(x)
    x = inception(x, 256, 160, 320, 32, 128, 128)
    x = inception(x, 384, 192, 384, 48, 128, 128)
    x = L.Dropout(0.4)(L.GlobalAveragePooling2D()(x))
    return keras.Model(i, [L.Dense(10, activation='softmax')(x), a1, a2])

def unit(x, fin, fout):
    h = L.Conv2D(fout, 3, padding='same')(L.ReLU()(L.BatchNormalization()(x)))
    h = L.Conv2D(fout, 3, padding='same')(L.ReLU()(L.BatchNormalization()(h)))
    return L.Add()([x if fin == fout else L.Conv2D(fout, 1, padding='same')(x), h])

def resnet_tutorial():
    i = keras.Input((28, 28, 1))
    x = L.Conv2D(8, 3, padding='same', activation='relu')(i)
    x = L.MaxPool2D(2)(unit(unit(x, 8, 16), 16, 16))
    x = L.MaxPool2D(2)(unit(unit(x, 16, 32), 32, 32))
    x = unit(unit(x, 32, 64), 64, 64)
    x = L.Dense(128, activation='relu')(L.Flatten()(x))
    return keras.Model(i, L.Dense(10, activation='softmax')(x))

failed = 0
for key, make, by_name in [('tutorial/lenet', lenet, True), ('tutorial/alexnet', alexnet, True), ('tutorial/googlenet', googlenet, False), ('tutorial/resnet_tutorial', resnet_tutorial, False)]:
    keras.backend.clear_session()
    m, ours = make(), specs[key]
    counts = (m.count_params(), sum(int(w.numpy().size) for w in m.trainable_weights))
    mine_total = sum(math.prod(s) for _, s, _ in ours['params'])
    mine_trainable = sum(math.prod(s) for _, s, t in ours['params'] if t)
    outs = [list(t.shape[1:]) for t in (m.outputs if isinstance(m.outputs, list) else [m.outputs])]
    if by_name:
        k = [[l.name, list(l.output.shape[1:])] for l in m.layers]
        same = k == ours['layers'][1:]
    else:  # weight shapes in Keras' order, as a multiset (Keras sorts functional layers by depth)
        same = sorted(map(str, (list(w.shape) for w in m.weights))) == sorted(map(str, (s for _, s, _ in ours['params'])))
    same = same and counts == (mine_total, mine_trainable) and outs == ours['outputs']
    failed += not same
    print(f"{key}: {'same' if same else 'DIFFER'} — keras {counts[0]:,} params ({counts[1]:,} trainable), convzoo {mine_total:,} ({mine_trainable:,}); outputs {outs}")
sys.exit(1 if failed else 0)
