# Compares convzoo's keras-flavour specs with keras.applications (Keras 3): layer names and order, output shapes,
# weight names, shapes, trainability and order. Run with the reference venv (see shared/VERIFY.md next to the repo):
#   python keras_applications.py /tmp/specs.json
import json, os, sys
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')
import keras

specs = json.load(open(sys.argv[1]))
A = keras.applications
CASES = {
    'keras/resnet50': lambda: A.ResNet50(weights=None),
    'keras/resnet101': lambda: A.ResNet101(weights=None),
    'keras/resnet152': lambda: A.ResNet152(weights=None),
    'keras/resnet50_notop_64': lambda: A.ResNet50(weights=None, include_top=False, input_shape=(64, 64, 3)),
    'keras/vgg16': lambda: A.VGG16(weights=None),
    'keras/vgg19': lambda: A.VGG19(weights=None),
}
failed = 0
for key, make in CASES.items():
    m, ours = make(), specs[key]
    layers = [[l.name, list(l.output.shape[1:])] for l in m.layers]
    weights = [[w.path, list(w.shape), bool(w.trainable)] for w in m.weights]
    ok_layers = layers[1:] == ours['layers'][1:]
    ok_weights = weights == ours['params']
    failed += not (ok_layers and ok_weights)
    print(f"{key}: layers {'same' if ok_layers else 'DIFFER'} ({len(layers)}), weights {'same' if ok_weights else 'DIFFER'} ({len(weights)}), {m.count_params():,} params")
sys.exit(1 if failed else 0)
