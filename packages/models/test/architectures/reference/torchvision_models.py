# Compares convzoo's torchvision-flavour specs with torchvision (Debian python3-torchvision): every parameter
# (name with '.' -> '_', shape transposed to the Keras layout, in order) and the output shape of every module
# whose name matches a layer. Run with Debian's python3 (see shared/VERIFY.md next to the repo):
#   /usr/bin/python3 torchvision_models.py /tmp/specs.json
import json, sys
import torch
import torchvision.models as tvm

specs = json.load(open(sys.argv[1]))
CASES = {
    'torchvision/alexnet': lambda: tvm.alexnet(),
    'torchvision/vgg16_bn': lambda: tvm.vgg16_bn(),
    'torchvision/googlenet': lambda: tvm.googlenet(aux_logits=True, init_weights=False),
    'torchvision/inception_v3': lambda: tvm.inception_v3(aux_logits=True, init_weights=False),
    'torchvision/resnet18': lambda: tvm.resnet18(),
    'torchvision/resnet50': lambda: tvm.resnet50(),
    'torchvision/resnet152': lambda: tvm.resnet152(),
}
KERAS_NAMED = {'torchvision/vgg16_bn'}
KIND = {'weight': None, 'bias': 'bias', 'running_mean': 'moving_mean', 'running_var': 'moving_variance'}

def keras_shape(shape):
    if len(shape) == 4:  # out, in, kh, kw -> kh, kw, in, out
        return [shape[2], shape[3], shape[1], shape[0]]
    if len(shape) == 2:  # out, in -> in, out
        return [shape[1], shape[0]]
    return list(shape)

failed = 0
for key, make in CASES.items():
    model, ours = make().eval(), specs[key]
    modules = dict(model.named_modules())
    theirs = []
    for name, t in model.state_dict().items():
        path, _, kind = name.rpartition('.')
        if kind == 'num_batches_tracked':
            continue
        is_bn = isinstance(modules[path], torch.nn.BatchNorm2d)
        param = ('gamma' if is_bn else 'kernel') if kind == 'weight' else ('beta' if is_bn and kind == 'bias' else KIND[kind])
        theirs.append([f"{path.replace('.', '_')}/{param}", keras_shape(list(t.shape))])
    mine = [[n, s] for n, s, _ in ours['params']]
    if key in KERAS_NAMED:  # keras names (block1_conv1), torchvision's Sequential indices: compare param kinds and shapes in order
        mine = [[n.split('/')[1], s] for n, s in mine]
        theirs = [[n.split('/')[1], s] for n, s in theirs]
    by_order = mine == theirs
    by_name = sorted(map(json.dumps, mine)) == sorted(map(json.dumps, theirs))
    # output shapes of same-named modules at the spec's input size; a module called more than once (the
    # bottleneck's shared `relu`) is compared on its last call, which is the layer of that name in the spec
    layer_shapes = {n: s for n, s in ours['layers']}
    last = {}
    def hook(name):
        def f(_m, _i, out):
            if name in layer_shapes and torch.is_tensor(out):
                last[name] = list(out.shape[1:])
        return f
    for n, m in modules.items():
        if n:
            m.register_forward_hook(hook(n.replace('.', '_')))
    h, w, c = ours['input']
    with torch.no_grad():
        model(torch.zeros(1, c, h, w))
    differ = []
    for name, s in last.items():
        nhwc = [s[1], s[2], s[0]] if len(s) == 3 else s
        if len(layer_shapes[name]) == 1 and nhwc[:2] == [1, 1]:  # AdaptiveAvgPool2d(1) keeps 1x1; globalAvgPool2d drops it
            nhwc = nhwc[2:]
        if nhwc != layer_shapes[name]:
            differ.append((name, nhwc, layer_shapes[name]))
    seen = [len(last)]
    ok = (by_order or by_name) and not differ
    failed += not ok
    print(f"{key}: params {'same, same order' if by_order else 'same names and shapes' if by_name else 'DIFFER'} ({len(theirs)}), "
          f"{seen[0]} module outputs compared, {len(differ)} differ {differ[:3]}")
    if not (by_order or by_name):
        a, b = set(map(json.dumps, mine)), set(map(json.dumps, theirs))
        print('  only ours:', sorted(a - b)[:5], '\n  only torchvision:', sorted(b - a)[:5])
sys.exit(1 if failed else 0)
