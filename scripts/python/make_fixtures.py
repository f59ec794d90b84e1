#!/usr/bin/python3
"""Write the PyTorch/torchvision reference fixtures that featscope's test suite compares against.

Run from anywhere (Debian: python3-torch, python3-torchvision, python3-onnx, python3-pil):

    /usr/bin/python3 scripts/python/make_fixtures.py [--only fashion,preprocess,tiny]

Outputs (all small, committed; the script is deterministic for a given PyTorch/Pillow build):

- test/fixtures/fashion-parity.json
    For a few images of examples/fashion-mnist/data: softmax probabilities and the penultimate
    features (classifier.1, the input of the final Linear) of examples/fashion-mnist/model.pt,
    with the images loaded the way torchvision's ImageFolder does (custom loader
    `Image.open(p).convert('L')`, ToTensor, Normalize([0.286], [0.353])). Plus the ImageFolder
    ordering: classes, class_to_idx, sample count and the first/last sample paths.
- test/fixtures/images/*  +  test/fixtures/preprocess.json  +  test/fixtures/preprocess/*.npy
    Deterministic synthetic images in awkward formats (tiny, large, grayscale, RGBA with coloured
    fully-transparent pixels, palette + tRNS, JPEG, CMYK JPEG, EXIF-rotated JPEG, 16-bit gray and
    16-bit RGB PNG) and, for each, torchvision's tensors for an RGB pipeline
    (convert('RGB'), Resize(64), CenterCrop(56), ToTensor, Normalize(ImageNet)) and a grayscale
    one (convert('L'), Resize(64), CenterCrop(56), ToTensor, Normalize([0.5], [0.5])), as
    float32 [C, 56, 56] .npy files. Also the plain PIL conversion result (no resize) as an 8-bit
    PNG under test/fixtures/preprocess/decoded/, to tell decoding errors from resize errors.
- test/fixtures/tiny-vgg.onnx  +  test/fixtures/tiny-vgg.json
    A torchvision-VGG-shaped toy model (features / avgpool / classifier), seeded random weights,
    dynamic batch; two seeded inputs with create_feature_extractor outputs for 'features.3' and
    'classifier.1', the logits, the ONNX node names and their output tensor names.

Floats are written as the shortest decimal that round-trips to the same float32.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import struct
import sys
import warnings
import zlib

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torchvision import datasets, transforms
from torchvision.models.feature_extraction import create_feature_extractor

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
FIXTURES = os.path.join(ROOT, 'test', 'fixtures')
EXAMPLE = os.path.join(ROOT, 'examples', 'fashion-mnist')
IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]

sys.path.insert(0, EXAMPLE)
from train import FashionCNN  # noqa: E402  (the demo model's architecture)


def f32list(a) -> list[float]:
    """Flatten to a list of Python floats, each the shortest decimal for its float32 value."""
    return [float(str(v)) for v in np.asarray(a, dtype=np.float32).ravel()]


def write_json(path: str, obj) -> None:
    with open(path, 'w') as f:
        json.dump(obj, f, indent=1)
        f.write('\n')
    print(f'wrote {os.path.relpath(path, ROOT)} ({os.path.getsize(path):,} bytes)')


# ---------------------------------------------------------------------------------------------
# a. Fashion-MNIST parity


def load_l(path: str) -> Image.Image:
    # ImageFolder's default loader converts to RGB; a 1-channel model needs 'L' instead.
    with open(path, 'rb') as f:
        return Image.open(f).convert('L')


def make_fashion() -> None:
    torch.set_num_threads(2)
    data_root = os.path.join(EXAMPLE, 'data')
    tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.286], [0.353])])
    ds = datasets.ImageFolder(data_root, transform=tf, loader=load_l)
    with open(os.path.join(EXAMPLE, 'classes.json')) as f:
        class_index = json.load(f)
    model_names = [class_index[str(i)] for i in range(len(class_index))]

    model = FashionCNN()
    model.load_state_dict(torch.load(os.path.join(EXAMPLE, 'model.pt')))
    model.eval()
    extractor = create_feature_extractor(model, {'classifier.1': 'features', 'classifier.3': 'logits'})

    # The first sample of each of the first 8 folders (in ImageFolder order), so the rows have
    # different labels and the folder index differs from the model index for most of them.
    picks = [next(i for i, (_, t) in enumerate(ds.samples) if t == c) for c in range(8)]
    # Plus the first misclassified image and the least confident one, so that the probabilities
    # are not all ~one-hot and top-k ordering is exercised.
    with torch.no_grad():
        batch = torch.stack([ds[i][0] for i in range(len(ds))])
        all_probs = torch.softmax(model(batch), dim=1)
    wrong = [i for i, (_, t) in enumerate(ds.samples) if int(all_probs[i].argmax()) != model_names.index(ds.classes[t])]
    picks += [wrong[0], int(all_probs.max(dim=1).values.argmin())]
    rows = []
    with torch.no_grad():
        for i in picks:
            x, folder_idx = ds[i]
            out = extractor(x.unsqueeze(0))
            probs = torch.softmax(out['logits'], dim=1)[0]
            rel = os.path.relpath(ds.samples[i][0], data_root).replace(os.sep, '/')
            rows.append(
                {
                    'path': rel,
                    'folder_index': folder_idx,
                    'label_id': model_names.index(ds.classes[folder_idx]),
                    'label_name': ds.classes[folder_idx],
                    'pred_id': int(probs.argmax()),
                    'probabilities': f32list(probs),
                    'logits': f32list(out['logits'][0]),
                    'features': f32list(out['features'][0]),
                }
            )

    def rel(p: str) -> str:
        return os.path.relpath(p, data_root).replace(os.sep, '/')

    write_json(
        os.path.join(FIXTURES, 'fashion-parity.json'),
        {
            'about': 'make_fixtures.py: torchvision ImageFolder + examples/fashion-mnist/model.pt in PyTorch',
            'torch': torch.__version__,
            'data_root': 'examples/fashion-mnist/data',
            'model': 'examples/fashion-mnist/model.onnx',
            'classes_json': 'examples/fashion-mnist/classes.json',
            'preprocess': {'mode': 'L', 'resize': None, 'crop': None, 'mean': [0.286], 'std': [0.353]},
            'layer': 'classifier.1',
            'image_folder': {
                'classes': ds.classes,
                'class_to_idx': ds.class_to_idx,
                'num_samples': len(ds.samples),
                'first_samples': [[rel(p), t] for p, t in ds.samples[:5]],
                'last_samples': [[rel(p), t] for p, t in ds.samples[-5:]],
            },
            'model_classes': model_names,
            'accuracy_all': float(
                np.mean([int(all_probs[i].argmax()) == model_names.index(ds.classes[t]) for i, (_, t) in enumerate(ds.samples)])
            ),
            'images': rows,
        },
    )


# ---------------------------------------------------------------------------------------------
# b. Preprocessing parity


def scene(w: int, h: int, seed: int, noise: float = 0.0) -> np.ndarray:
    """A photo-like float RGB image in [0, 1]: smooth gradients, soft shapes, a hard edge, noise.

    Noise (std, in [0, 1] units) is only used for JPEG sources: in a PNG it would bloat the file.
    """
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    u, v = xx / max(w - 1, 1), yy / max(h - 1, 1)
    img = np.stack([0.2 + 0.6 * u, 0.3 + 0.5 * v * (1 - u), 0.5 + 0.4 * np.sin(3 * u + 2 * v)], axis=-1)
    for _ in range(4):
        cx, cy, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(0.1, 0.35) * min(w, h)
        colour = rng.uniform(0, 1, 3)
        d = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2)
        mask = np.clip((r - d) / 2.0, 0, 1)[..., None]  # disc with a 2-pixel soft edge
        img = img * (1 - mask) + colour * mask
    x0, y0 = rng.integers(0, max(w // 2, 1)), rng.integers(0, max(h // 2, 1))
    img[y0 : y0 + h // 4, x0 : x0 + w // 3] = rng.uniform(0, 1, 3)  # a hard-edged rectangle
    if noise > 0:
        img += rng.normal(0, noise, img.shape)
    return np.clip(img, 0, 1)


def to8(a: np.ndarray) -> np.ndarray:
    return np.round(a * 255).astype(np.uint8)


def png16(path: str, a: np.ndarray) -> None:
    """Write a 16-bit PNG by hand (Pillow cannot write 16-bit RGB): colour type 0 or 2, depth 16."""
    h, w = a.shape[:2]
    colour_type = 0 if a.ndim == 2 else 2
    raw = b''.join(b'\x00' + a[y].astype('>u2').tobytes() for y in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))

    ihdr = struct.pack('>IIBBBBB', w, h, 16, colour_type, 0, 0, 0)
    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + chunk(b'IDAT', zlib.compress(raw, 9)))
        f.write(chunk(b'IEND', b''))


def make_images(folder: str) -> list[tuple[str, str]]:
    """Create the synthetic images; returns (file name, description) pairs."""
    os.makedirs(folder, exist_ok=True)
    out = []

    def save(name: str, desc: str, im: Image.Image, **kw) -> None:
        im.save(os.path.join(folder, name), **kw)
        out.append((name, desc))

    save('small-37x53.png', 'RGB PNG smaller than the resize target (upscaling)', Image.fromarray(to8(scene(37, 53, 1))))
    save('photo-300x200.jpg', 'RGB JPEG, quality 90, 4:2:0', Image.fromarray(to8(scene(300, 200, 2, 0.01))), quality=90)
    save('large-400x300.jpg', 'RGB JPEG much larger than the target (downscaling)', Image.fromarray(to8(scene(400, 300, 3, 0.01))), quality=85)
    save('tall-160x480.png', 'tall RGB PNG (crop trims the long side)', Image.fromarray(to8(scene(160, 480, 4))), optimize=True)
    gray = scene(90, 90, 5) @ np.array([0.299, 0.587, 0.114])
    save('gray-90x90.png', '8-bit grayscale PNG (mode L)', Image.fromarray(to8(gray), mode='L'))

    # RGBA: alpha varies smoothly and a block is fully transparent but keeps a vivid colour. PIL's
    # convert('RGB') drops alpha without compositing, so the stored colour must survive; a decoder
    # that premultiplies (e.g. while resizing) loses it.
    rgba = np.dstack([to8(scene(120, 80, 6)), to8(np.tile(np.linspace(0.1, 1, 120), (80, 1)))])
    rgba[10:40, 10:50, :3] = (250, 20, 200)
    rgba[10:40, 10:50, 3] = 0
    save('rgba-120x80.png', 'RGBA PNG; alpha gradient; a fully transparent magenta block', Image.fromarray(rgba, mode='RGBA'))

    # Palette PNG with a transparent palette entry (tRNS): convert('RGB') uses the palette colour.
    pal = Image.fromarray(to8(scene(100, 70, 7))).quantize(colors=32, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    p = np.array(pal)
    p[20:50, 30:60] = 0
    pal2 = Image.fromarray(p, mode='P')
    pal2.putpalette(pal.getpalette())
    save('palette-trns-100x70.png', 'palette PNG (32 colours) with index 0 transparent', pal2, transparency=0)

    # CMYK JPEG: Pillow writes Adobe-style inverted CMYK; its convert('RGB') is the naive formula
    # R = (255 - C) * (255 - K) / 255 (no ICC profile), which colour-managed decoders do not match.
    save('cmyk-80x60.jpg', 'CMYK JPEG', Image.fromarray(to8(scene(80, 60, 8, 0.01))).convert('CMYK'), quality=90)

    # EXIF Orientation = 6 (rotate 90 CW to display). PIL's Image.open does NOT apply it, so
    # torchvision sees the stored 96x64 pixels, not a 64x96 upright image.
    exif = Image.Exif()
    exif[0x0112] = 6
    save('exif-rot6-96x64.jpg', 'RGB JPEG with EXIF Orientation=6 (PIL ignores it)', Image.fromarray(to8(scene(96, 64, 9, 0.01))), quality=90, exif=exif.tobytes())

    # 16-bit PNGs. Pillow 9.4 opens 16-bit gray as mode 'I' and convert('L'/'RGB') CLIPS to
    # 0..255 (it does not scale by 1/257), so mid-grey and brighter pixels become white. 16-bit
    # RGB is opened as 8-bit 'RGB' keeping the high byte of each sample.
    g16 = np.round((scene(70, 50, 10) @ np.array([0.299, 0.587, 0.114])) * 65535).astype(np.uint16)
    g16[:, :12] = np.arange(12 * 50).reshape(50, 12) % 256  # a strip of values < 256 that survive clipping
    png16(os.path.join(folder, 'gray16-70x50.png'), g16)
    out.append(('gray16-70x50.png', '16-bit grayscale PNG (left strip holds values < 256)'))
    png16(os.path.join(folder, 'rgb16-60x45.png'), np.round(scene(60, 45, 11) * 65535).astype(np.uint16))
    out.append(('rgb16-60x45.png', '16-bit RGB PNG (48 bits per pixel)'))
    return out


def make_preprocess() -> None:
    img_dir = os.path.join(FIXTURES, 'images')
    npy_dir = os.path.join(FIXTURES, 'preprocess')
    dec_dir = os.path.join(npy_dir, 'decoded')
    os.makedirs(dec_dir, exist_ok=True)
    pipelines = [
        ('RGB', 64, 56, IMAGENET_MEAN, IMAGENET_STD),
        ('L', 64, 56, [0.5], [0.5]),
    ]
    entries = []
    for name, desc in make_images(img_dir):
        path = os.path.join(img_dir, name)
        with Image.open(path) as im:
            src_mode, src_size = im.mode, im.size
        stem = os.path.splitext(name)[0]
        for mode, resize, crop, mean, std in pipelines:
            with warnings.catch_warnings():
                warnings.simplefilter('ignore')  # Pillow warns about palette transparency; expected
                converted = Image.open(path).convert(mode)
            tf = transforms.Compose(
                [transforms.Resize(resize), transforms.CenterCrop(crop), transforms.ToTensor(), transforms.Normalize(mean, std)]
            )
            t = tf(converted).numpy().astype(np.float32)
            npy = f'{stem}.{mode}.npy'
            np.save(os.path.join(npy_dir, npy), t)
            # The decoded reference of the two big JPEGs would cost ~200 KB of noisy pixels: skipped.
            decoded = None if name.endswith('.jpg') and src_size[0] * src_size[1] > 50_000 else f'{stem}.{mode}.png'
            if decoded:
                converted.save(os.path.join(dec_dir, decoded), optimize=True)
            entries.append(
                {
                    'file': f'images/{name}',
                    'description': desc,
                    'pil_mode': src_mode,
                    'size': list(src_size),
                    'mode': mode,
                    'resize': resize,
                    'crop': crop,
                    'mean': mean,
                    'std': std,
                    'npy': f'preprocess/{npy}',
                    'shape': list(t.shape),
                    'decoded': f'preprocess/decoded/{decoded}' if decoded else None,
                }
            )
    write_json(
        os.path.join(FIXTURES, 'preprocess.json'),
        {
            'about': (
                'make_fixtures.py: torchvision Compose([Resize(resize), CenterCrop(crop), ToTensor(), '
                'Normalize(mean, std)]) on Image.open(file).convert(mode); npy = float32 [C, crop, crop]; '
                'decoded = the converted PIL image before resizing, as an 8-bit PNG'
            ),
            'torchvision': __import__('torchvision').__version__,
            'pillow': Image.__version__,
            'entries': entries,
        },
    )


# ---------------------------------------------------------------------------------------------
# c. Tiny VGG-shaped model for layer resolution


class TinyVGG(nn.Module):
    """Same layout as torchvision's VGG (features / avgpool / flatten / classifier), but tiny.

    ReLUs are not in-place: with in-place ReLUs, create_feature_extractor's value for a Conv
    ('features.3') would be overwritten by the ReLU that follows, while ONNX keeps the Conv output.
    """

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1),  # features.0
            nn.ReLU(),  # features.1
            nn.MaxPool2d(2),  # features.2  -> 8x16x16
            nn.Conv2d(8, 16, 3, padding=1),  # features.3  -> 16x16x16
            nn.ReLU(),  # features.4
            nn.MaxPool2d(2),  # features.5  -> 16x8x8
        )
        self.avgpool = nn.AdaptiveAvgPool2d((4, 4))
        self.classifier = nn.Sequential(
            nn.Linear(16 * 4 * 4, 32),  # classifier.0
            nn.ReLU(),  # classifier.1
            nn.Dropout(),  # classifier.2
            nn.Linear(32, 32),  # classifier.3
            nn.ReLU(),  # classifier.4
            nn.Dropout(),  # classifier.5
            nn.Linear(32, 10),  # classifier.6
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.avgpool(self.features(x))
        return self.classifier(torch.flatten(x, 1))


def make_tiny() -> None:
    import onnx

    torch.manual_seed(1234)
    model = TinyVGG().eval()
    onnx_path = os.path.join(FIXTURES, 'tiny-vgg.onnx')
    torch.onnx.export(
        model,
        torch.zeros(1, 3, 32, 32),
        onnx_path,
        input_names=['input'],
        output_names=['logits'],
        dynamic_axes={'input': {0: 'batch'}, 'logits': {0: 'batch'}},
        opset_version=17,
        do_constant_folding=True,
    )
    print(f'wrote {os.path.relpath(onnx_path, ROOT)} ({os.path.getsize(onnx_path):,} bytes)')
    graph = onnx.load(onnx_path).graph
    extractor = create_feature_extractor(model, {'classifier.1': 'f', 'features.3': 'g', 'classifier.6': 'logits'})
    gen = torch.Generator().manual_seed(42)
    x = torch.rand(2, 3, 32, 32, generator=gen) * 2 - 1
    with torch.no_grad():
        out = extractor(x)
    write_json(
        os.path.join(FIXTURES, 'tiny-vgg.json'),
        {
            'about': "make_fixtures.py: TinyVGG, torch.manual_seed(1234); create_feature_extractor outputs for 2 inputs",
            'torch': torch.__version__,
            'input_shape': [3, 32, 32],
            'node_names': [n.name for n in graph.node],
            'nodes': [{'name': n.name, 'op': n.op_type, 'inputs': list(n.input), 'outputs': list(n.output)} for n in graph.node],
            'graph_outputs': [o.name for o in graph.output],
            'layers': {'f': 'classifier.1', 'g': 'features.3'},
            'shapes': {'f': [32], 'g': [16, 16, 16], 'logits': [10]},
            'samples': [
                {
                    'input': f32list(x[i]),
                    'f': f32list(out['f'][i]),
                    'g': f32list(out['g'][i]),
                    'logits': f32list(out['logits'][i]),
                }
                for i in range(2)
            ],
        },
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--only', default='fashion,preprocess,tiny', help='comma-separated subset to (re)build')
    args = ap.parse_args()
    os.makedirs(FIXTURES, exist_ok=True)
    parts = set(args.only.split(','))
    if 'fashion' in parts:
        make_fashion()
    if 'preprocess' in parts:
        make_preprocess()
    if 'tiny' in parts:
        make_tiny()


if __name__ == '__main__':
    main()
