#!/usr/bin/python3
"""Export the model corpus that featscope's test suite checks against PyTorch.

Run from anywhere with Debian's PyTorch (python3-torch 1.13, python3-torchvision 0.14):

    /usr/bin/python3 scripts/python/export_corpus.py

For every entry below it writes, under test/fixtures/corpus/ (small, committed):

- <name>.onnx         torch.onnx.export, opset 17, dynamic batch axis, constant folding (as users export)
- <name>.input.npy    the seeded input batch, float32, in the model's own layout (NCHW or NHWC)
- <name>.json         PyTorch's reference values for that batch:
    outputs[]          per graph output: its name, what it holds (logits / probabilities /
                       log-probabilities) and the class probabilities the model means (softmax of
                       logits, the Softmax output itself, exp of a LogSoftmax output), with
                       `classifier` (module path of the final classification layer) and
                       `features` (that layer's input, flattened per image: the penultimate features)
    layer              one inner module's output (`module`, `features`), flattened per image

Weights are random (seeded) and widths reduced so the whole corpus stays small; BatchNorm layers get
random running statistics so that the exporter's BatchNorm folding is exercised. Features are taken
with forward hooks on the modules (the input of the final Linear for the default layer, the output of
the named module), flattened as torch.flatten(x, 1). Floats are the shortest decimals that round-trip
to the same float32. The script is deterministic for a given PyTorch build.
"""

from __future__ import annotations

import json
import os
import warnings

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torchvision.models.resnet import BasicBlock, ResNet
from torchvision.models.squeezenet import Fire, SqueezeNet
from torchvision.models.vgg import VGG, make_layers

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
CORPUS = os.path.join(ROOT, 'test', 'fixtures', 'corpus')
BATCH = 2


def f32list(a) -> list[float]:
    """Flatten to a list of Python floats, each the shortest decimal for its float32 value."""
    return [float(str(v)) for v in np.asarray(a, dtype=np.float32).ravel()]


# ---------------------------------------------------------------------------------------------
# Architectures


class DANN(nn.Module):
    """The recipe's DANN (Ganin & Lempitsky 2015, MNIST -> MNIST-M): feature extractor, class
    classifier and domain classifier, module names as in the recipe. Two outputs: class and domain
    log-probabilities. Widths as the recipe except the first conv (64 -> 16 filters) and the domain
    head's hidden layer (100 -> 16), to keep the fixture small; `view(-1, 50 * 4 * 4)` is kept."""

    def __init__(self) -> None:
        super().__init__()
        self.feature = nn.Sequential()
        self.feature.add_module('f_conv1', nn.Conv2d(1, 16, kernel_size=5))
        self.feature.add_module('f_bn1', nn.BatchNorm2d(16))
        self.feature.add_module('f_pool1', nn.MaxPool2d(2))
        self.feature.add_module('f_relu1', nn.ReLU(True))
        self.feature.add_module('f_conv2', nn.Conv2d(16, 50, kernel_size=5))
        self.feature.add_module('f_bn2', nn.BatchNorm2d(50))
        self.feature.add_module('f_drop1', nn.Dropout2d())
        self.feature.add_module('f_pool2', nn.MaxPool2d(2))
        self.feature.add_module('f_relu2', nn.ReLU(True))
        self.class_classifier = nn.Sequential()
        self.class_classifier.add_module('c_fc1', nn.Linear(50 * 4 * 4, 100))
        self.class_classifier.add_module('c_bn1', nn.BatchNorm1d(100))
        self.class_classifier.add_module('c_relu1', nn.ReLU(True))
        self.class_classifier.add_module('c_drop1', nn.Dropout())
        self.class_classifier.add_module('c_fc2', nn.Linear(100, 100))
        self.class_classifier.add_module('c_bn2', nn.BatchNorm1d(100))
        self.class_classifier.add_module('c_relu2', nn.ReLU(True))
        self.class_classifier.add_module('c_fc3', nn.Linear(100, 10))
        self.class_classifier.add_module('c_softmax', nn.LogSoftmax(dim=1))
        self.domain_classifier = nn.Sequential()
        self.domain_classifier.add_module('d_fc1', nn.Linear(50 * 4 * 4, 16))
        self.domain_classifier.add_module('d_bn1', nn.BatchNorm1d(16))
        self.domain_classifier.add_module('d_relu1', nn.ReLU(True))
        self.domain_classifier.add_module('d_fc2', nn.Linear(16, 2))
        self.domain_classifier.add_module('d_softmax', nn.LogSoftmax(dim=1))

    def forward(self, x):
        feature = self.feature(x)
        feature = feature.view(-1, 50 * 4 * 4)
        # The gradient reversal layer is the identity in the forward pass.
        return self.class_classifier(feature), self.domain_classifier(feature)


class SmallCnn(nn.Module):
    """A hand-written CNN as people write them: conv-ReLU-pool twice, a flatten, two Linear layers.
    `flatten` picks how the batch is flattened; `head` what the graph ends in."""

    def __init__(self, channels: int, size: int, flatten: str = 'torch', head: str = 'logits') -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(channels, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1)
        self.fc1 = nn.Linear(8 * (size // 4) ** 2, 32)
        self.fc2 = nn.Linear(32, 10)
        with torch.no_grad():  # confident predictions, as a trained model makes (default init gives ~uniform ones)
            self.fc2.weight.mul_(10)
        self.flatten_kind = flatten
        self.softmax = nn.Softmax(dim=1) if head == 'softmax' else None
        self.head = head

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        if self.flatten_kind == 'view-size':
            x = x.view(x.size(0), -1)  # exported as Shape -> Gather -> Unsqueeze -> Concat (int64) -> Reshape
        else:
            x = torch.flatten(x, 1)
        x = self.fc2(F.relu(self.fc1(x)))
        if self.head == 'softmax':
            return self.softmax(x)
        if self.head == 'log-softmax':
            return F.log_softmax(x, dim=1)
        return x


class ChannelsLast(nn.Module):
    """A channels-last model, as tf2onnx exports Keras models: input [N, H, W, C], transposed inside."""

    def __init__(self, body: nn.Module) -> None:
        super().__init__()
        self.body = body

    def forward(self, x):
        return self.body(x.permute(0, 3, 1, 2))


class ToDouble(nn.Module):
    def forward(self, x):
        return x.double()


class DoubleInside(nn.Module):
    """Float32 in and out, with a float64 stretch inside (features of `act` are float64)."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.to64 = ToDouble()
        self.act = nn.ReLU()
        self.fc = nn.Linear(8 * 8 * 8, 10)

    def forward(self, x):
        x = self.act(self.to64(self.conv(x)))
        return self.fc(torch.flatten(x, 1).float())


class NarrowResNet(ResNet):
    """torchvision's ResNet-18 (BasicBlock, [2, 2, 2, 2]) with every width divided by `div`."""

    def __init__(self, div: int, num_classes: int = 10) -> None:
        self.div = div
        super().__init__(BasicBlock, [2, 2, 2, 2], num_classes=num_classes)
        self.conv1 = nn.Conv2d(3, 64 // div, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64 // div)
        self.fc = nn.Linear(512 // div, num_classes)

    def _make_layer(self, block, planes, blocks, stride=1, dilate=False):
        if planes == 64:  # the first stage: the stem's width
            self.inplanes = 64 // self.div
        return super()._make_layer(block, planes // self.div, blocks, stride, dilate)


def narrow_vgg11(div: int, num_classes: int = 10) -> nn.Module:
    """torchvision's VGG-11 (configuration "A": 8 convs, 5 max-pools) with channels divided by `div`,
    for 32x32 inputs: the adaptive pool goes to 1x1 (7x7 needs 224x224 inputs) and the classifier
    keeps its 7 entries (Linear-ReLU-Dropout twice, Linear) at reduced width."""
    cfg = [v if v == 'M' else v // div for v in [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M']]
    model = VGG(make_layers(cfg), num_classes=num_classes, init_weights=True)
    width = 512 // div
    model.avgpool = nn.AdaptiveAvgPool2d((1, 1))
    model.classifier = nn.Sequential(
        nn.Linear(width, 64),
        nn.ReLU(True),
        nn.Dropout(),
        nn.Linear(64, 64),
        nn.ReLU(True),
        nn.Dropout(),
        nn.Linear(64, num_classes),
    )
    for m in model.classifier:
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0, 0.05)
            nn.init.zeros_(m.bias)
    return model


def narrow_squeezenet(div: int, num_classes: int = 10) -> nn.Module:
    """torchvision's SqueezeNet 1.1 (Fire modules; a 1x1-conv classifier followed by ReLU and global
    average pooling, no Linear layer) with every width divided by `div`."""
    model = SqueezeNet('1_1', num_classes=num_classes)
    w = lambda c: c // div  # noqa: E731
    model.features = nn.Sequential(
        nn.Conv2d(3, w(64), kernel_size=3, stride=2),
        nn.ReLU(inplace=True),
        nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
        Fire(w(64), w(16), w(64), w(64)),
        Fire(w(128), w(16), w(64), w(64)),
        nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
        Fire(w(128), w(32), w(128), w(128)),
        Fire(w(256), w(32), w(128), w(128)),
        nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
        Fire(w(256), w(48), w(192), w(192)),
        Fire(w(384), w(48), w(192), w(192)),
        Fire(w(384), w(64), w(256), w(256)),
        Fire(w(512), w(64), w(256), w(256)),
    )
    model.classifier[1] = nn.Conv2d(w(512), num_classes, kernel_size=1)
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return model


def small_vit(num_classes: int = 10) -> nn.Module:
    """torchvision's VisionTransformer at a toy size (32x32 images, 8x8 patches, 2 layers, width 32).
    torchvision zero-initialises the head; a random one makes the probabilities informative."""
    model = torchvision.models.VisionTransformer(
        image_size=32, patch_size=8, num_layers=2, num_heads=2, hidden_dim=32, mlp_dim=64, num_classes=num_classes
    )
    nn.init.normal_(model.heads.head.weight, 0, 0.5)
    return model


# ---------------------------------------------------------------------------------------------
# The corpus


def entries() -> list[dict]:
    """Each entry: its seed (the NCHW/NHWC twins share one, so their weights are equal), a builder,
    the input shape (one image, in the model's layout), the graph outputs with what they hold and
    their final classification layer, and one named inner module."""
    return [
        dict(
            name='dann',
            seed=100,
            architecture="the recipe's DANN (conv-BN-pool-ReLU x2, view(-1, 800), class + domain heads)",
            build=DANN,
            input=[1, 28, 28],
            outputs=[
                ('class_output', 'log-probabilities', 'class_classifier.c_fc3'),
                ('domain_output', 'log-probabilities', 'domain_classifier.d_fc2'),
            ],
            layer='feature.f_relu2',
        ),
        dict(
            name='view-size',
            seed=101,
            architecture='hand-written CNN flattening with x.view(x.size(0), -1)',
            build=lambda: SmallCnn(1, 28, flatten='view-size'),
            input=[1, 28, 28],
            outputs=[('logits', 'logits', 'fc2')],
            layer='conv2',
        ),
        dict(
            name='softmax-head',
            seed=102,
            architecture='CNN ending in nn.Softmax(dim=1)',
            build=lambda: SmallCnn(3, 16, head='softmax'),
            input=[3, 16, 16],
            outputs=[('probabilities', 'probabilities', 'fc2')],
            layer='fc1',
        ),
        dict(
            name='logsoftmax-head',
            seed=103,
            architecture='CNN ending in F.log_softmax(x, dim=1)',
            build=lambda: SmallCnn(3, 16, head='log-softmax'),
            input=[3, 16, 16],
            outputs=[('log_probabilities', 'log-probabilities', 'fc2')],
            layer='conv2',
        ),
        dict(
            name='channels-last',
            seed=7,
            architecture='channels-last input [N, H, W, C] transposed inside (as tf2onnx exports Keras)',
            build=lambda: ChannelsLast(SmallCnn(3, 16)),
            input=[16, 16, 3],
            outputs=[('logits', 'logits', 'body.fc2')],
            layer='body.conv2',
            twin='channels-first',
        ),
        dict(
            name='channels-first',
            seed=7,
            architecture='the NCHW twin of channels-last (same weights)',
            build=lambda: ChannelsLast(SmallCnn(3, 16)).body,
            input=[3, 16, 16],
            outputs=[('logits', 'logits', 'fc2')],
            layer='conv2',
        ),
        dict(
            name='float64-inside',
            seed=106,
            architecture='float32 model with a float64 stretch inside',
            build=DoubleInside,
            input=[3, 16, 16],
            outputs=[('logits', 'logits', 'fc')],
            layer='act',
        ),
        dict(
            name='resnet18',
            seed=107,
            architecture='torchvision ResNet-18, widths / 16',
            build=lambda: NarrowResNet(16),
            input=[3, 32, 32],
            outputs=[('logits', 'logits', 'fc')],
            layer='layer2',
        ),
        dict(
            name='mobilenet-v3-small',
            seed=108,
            architecture='torchvision MobileNetV3-Small, width_mult 0.1',
            build=lambda: torchvision.models.mobilenet_v3_small(width_mult=0.1, num_classes=10),
            input=[3, 32, 32],
            outputs=[('logits', 'logits', 'classifier.3')],
            layer='features.3',
        ),
        dict(
            name='mobilenet-v2',
            seed=109,
            architecture='torchvision MobileNetV2, width_mult 0.1, last conv 1280 -> 64',
            build=lambda: small_mobilenet_v2(),
            input=[3, 32, 32],
            outputs=[('logits', 'logits', 'classifier.1')],
            layer='features.4',
        ),
        dict(
            name='vgg11',
            seed=110,
            architecture='torchvision VGG-11, channels / 16, 1x1 adaptive pool',
            build=lambda: narrow_vgg11(16),
            input=[3, 32, 32],
            outputs=[('logits', 'logits', 'classifier.6')],
            layer='features.10',
        ),
        dict(
            name='squeezenet',
            seed=111,
            architecture='torchvision SqueezeNet 1.1 (1x1-conv classifier, ReLU, global pooling), widths / 8',
            build=lambda: narrow_squeezenet(8),
            input=[3, 48, 48],
            outputs=[('logits', 'logits', 'classifier.1')],
            layer='features.6',
        ),
        dict(
            name='vit',
            seed=112,
            architecture='torchvision VisionTransformer (2 layers, width 32, 8x8 patches; class token via x[:, 0])',
            build=small_vit,
            input=[3, 32, 32],
            outputs=[('logits', 'logits', 'heads.head')],
            layer='encoder.layers.encoder_layer_0',
        ),
    ]


def small_mobilenet_v2() -> nn.Module:
    """MobileNetV2 at width 0.1 keeps a 1280-wide last conv (torchvision never narrows it below 1.0);
    narrow it to 64 so the fixture stays small."""
    model = torchvision.models.mobilenet_v2(width_mult=0.1, num_classes=10)
    last = model.features[-1]
    cin = last[0].in_channels
    model.features[-1] = torchvision.ops.misc.Conv2dNormActivation(
        cin, 64, kernel_size=1, norm_layer=nn.BatchNorm2d, activation_layer=nn.ReLU6
    )
    model.classifier[1] = nn.Linear(64, 10)
    model.last_channel = 64
    return model


def randomize_batchnorm(model: nn.Module, gen: torch.Generator) -> None:
    """Random running statistics and affine parameters, so that BatchNorm is not the identity."""
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            n = m.num_features
            m.running_mean.copy_((torch.rand(n, generator=gen) - 0.5) * 0.4)
            m.running_var.copy_(torch.rand(n, generator=gen) + 0.5)
            m.weight.data.copy_(torch.rand(n, generator=gen) + 0.5)
            m.bias.data.copy_((torch.rand(n, generator=gen) - 0.5) * 0.4)


def probabilities(out: torch.Tensor, kind: str) -> torch.Tensor:
    """The class probabilities an output means."""
    if kind == 'probabilities':
        return out
    if kind == 'log-probabilities':
        return out.double().exp().float()
    return torch.softmax(out.double(), dim=1).float()


def export_entry(e: dict, seed: int) -> dict:
    torch.manual_seed(seed)
    model = e['build']()
    gen = torch.Generator().manual_seed(seed + 1000)
    randomize_batchnorm(model, gen)
    model.eval()
    x = torch.randn([BATCH, *e['input']], generator=gen)

    modules = dict(model.named_modules())
    captured: dict[str, torch.Tensor] = {}
    hooks = []
    for _, _, classifier in e['outputs']:
        hooks.append(
            modules[classifier].register_forward_pre_hook(
                lambda m, inp, key=f'in:{classifier}': captured.__setitem__(key, inp[0].detach().clone())
            )
        )
    hooks.append(
        modules[e['layer']].register_forward_hook(
            lambda m, inp, out: captured.__setitem__('layer', out.detach().clone())
        )
    )
    with torch.no_grad():
        outs = model(x)
    for h in hooks:
        h.remove()
    outs = outs if isinstance(outs, tuple) else (outs,)

    names = [o[0] for o in e['outputs']]
    path = os.path.join(CORPUS, f"{e['name']}.onnx")
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        torch.onnx.export(
            model,
            x,
            path,
            input_names=['input'],
            output_names=names,
            dynamic_axes={'input': {0: 'batch'}, **{n: {0: 'batch'} for n in names}},
            opset_version=17,
            do_constant_folding=True,
        )
    np.save(os.path.join(CORPUS, f"{e['name']}.input.npy"), x.numpy().astype(np.float32))

    outputs = []
    for (name, kind, classifier), out in zip(e['outputs'], outs):
        outputs.append(
            dict(
                name=name,
                kind=kind,
                classes=int(out.shape[1]),
                probabilities=f32list(probabilities(out, kind)),
                classifier=classifier,
                features=f32list(torch.flatten(captured[f'in:{classifier}'].float(), 1)),
            )
        )
    layer = captured['layer']
    ref = dict(
        name=e['name'],
        architecture=e['architecture'],
        seed=seed,
        input=f"{e['name']}.input.npy",
        input_shape=[BATCH, *e['input']],
        outputs=outputs,
        layer=dict(
            module=e['layer'],
            dtype=str(layer.dtype).replace('torch.', ''),
            features=f32list(torch.flatten(layer.float(), 1)),
        ),
        torch=torch.__version__,
        torchvision=torchvision.__version__,
    )
    if 'twin' in e:
        ref['twin'] = e['twin']
    with open(os.path.join(CORPUS, f"{e['name']}.json"), 'w') as f:
        json.dump(ref, f, separators=(',', ':'))
        f.write('\n')
    return ref


def main() -> None:
    torch.set_num_threads(1)
    os.makedirs(CORPUS, exist_ok=True)
    total = 0
    for e in entries():
        ref = export_entry(e, e['seed'])
        size = sum(
            os.path.getsize(os.path.join(CORPUS, f"{e['name']}{ext}")) for ext in ('.onnx', '.input.npy', '.json')
        )
        total += size
        outs = ', '.join(f"{o['name']} ({o['kind']})" for o in ref['outputs'])
        print(f"{e['name']:20s} {size / 1024:7.1f} KiB  outputs: {outs}; layer {e['layer']} ({ref['layer']['dtype']})")
    print(f'corpus: {total / 1024:.1f} KiB in {os.path.relpath(CORPUS, ROOT)}')


if __name__ == '__main__':
    main()
