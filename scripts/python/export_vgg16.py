#!/usr/bin/python3
"""Export torchvision's VGG16 to ONNX and write torchvision reference features for `classifier.4`.

The "new user" check of featscope: a stock torchvision model exported with a plain
torch.onnx.export must offer `classifier.4` as a layer and give the same 4096-d features as
`create_feature_extractor(model, {'classifier.4': ...})` with torchvision's ImageNet
preprocessing, for JPEG and PNG photos of mixed sizes, grayscale and RGBA included.

No downloads are possible here, so the weights are random (vgg16(weights=None), seeded); the
graph, node names and preprocessing are those of the pretrained model.

Usage (Debian python3-torch, -torchvision, -onnx, -pil; ~1-3 minutes on 2 cores, ~2 GB RAM):

    /usr/bin/python3 scripts/python/export_vgg16.py [--onnx /tmp/vgg16.onnx]
        [--photos /tmp/vgg16-photos] [--json /tmp/vgg16-reference.json] [--num-classes 1000]

Writes:
  --onnx    the model (~528 MB with 1000 classes; never commit it), input 'input'
            [batch, 3, 224, 224], output 'logits', dynamic batch axis, opset 17
  --photos  an ImageFolder tree of generated photo-like images (two class folders), so that
            `featscope classify --model /tmp/vgg16.onnx --data /tmp/vgg16-photos --layer classifier.4`
            runs on exactly these files
  --json    {"images": [{"path", "mode", "size", "features": [4096], "top5_ids", ...}],
             "node_names", "classifier_nodes": [{name, op, inputs, outputs}],
             "max_cosine_between_different_images", ...}
            rows in ImageFolder order; also <json stem>.features.npy, float32 [N, 4096]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np
import torch
from PIL import Image
from torchvision import datasets, models, transforms
from torchvision.models.feature_extraction import create_feature_extractor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import f32list, scene, to8  # noqa: E402  (deterministic photo-like images)

IMAGENET = transforms.Compose(
    [
        transforms.Resize(256),
        transforms.CenterCrop(224),
        transforms.ToTensor(),
        transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
    ]
)


def make_photos(root: str) -> None:
    """Eight images: JPEG and PNG, RGB / L / RGBA / P, from 150x100 (upscaled) to 800x600."""
    a, b = os.path.join(root, 'class_a'), os.path.join(root, 'class_b')
    os.makedirs(a, exist_ok=True)
    os.makedirs(b, exist_ok=True)
    Image.fromarray(to8(scene(500, 375, 101, 0.01))).save(os.path.join(a, 'photo-500x375.jpg'), quality=90)
    Image.fromarray(to8(scene(800, 600, 102, 0.01))).save(os.path.join(a, 'big-800x600.jpg'), quality=85)
    Image.fromarray(to8(scene(150, 100, 103))).save(os.path.join(a, 'small-150x100.png'))
    gray = to8(scene(320, 400, 104, 0.01) @ np.array([0.299, 0.587, 0.114]))
    Image.fromarray(gray, mode='L').save(os.path.join(a, 'gray-320x400.jpg'), quality=90)
    Image.fromarray(to8(scene(256, 256, 105) @ np.array([0.299, 0.587, 0.114])), mode='L').save(
        os.path.join(b, 'gray-256x256.png')
    )
    rgba = np.dstack([to8(scene(300, 240, 106)), to8(np.tile(np.linspace(0.0, 1, 300), (240, 1)))])
    Image.fromarray(rgba, mode='RGBA').save(os.path.join(b, 'rgba-300x240.png'))
    Image.fromarray(to8(scene(640, 427, 107, 0.01))).save(os.path.join(b, 'wide-640x427.jpg'), quality=92)
    Image.fromarray(to8(scene(230, 300, 108))).quantize(colors=64).save(os.path.join(b, 'palette-230x300.png'))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--onnx', default='/tmp/vgg16.onnx')
    ap.add_argument('--photos', default='/tmp/vgg16-photos')
    ap.add_argument('--json', default='/tmp/vgg16-reference.json')
    ap.add_argument('--num-classes', type=int, default=1000)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--skip-export', action='store_true', help='reuse an existing --onnx file')
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    model = models.vgg16(weights=None, num_classes=args.num_classes).eval()
    t0 = time.time()
    if not args.skip_export:
        torch.onnx.export(
            model,
            torch.zeros(1, 3, 224, 224),
            args.onnx,
            input_names=['input'],
            output_names=['logits'],
            dynamic_axes={'input': {0: 'batch'}, 'logits': {0: 'batch'}},
            opset_version=17,
            do_constant_folding=True,
        )
        print(f'exported {args.onnx} ({os.path.getsize(args.onnx) / 2**20:.0f} MiB, {time.time() - t0:.0f} s)')

    import onnx

    # Node names only: skip loading the 528 MB of weights into Python.
    graph = onnx.load(args.onnx, load_external_data=False).graph
    nodes = [{'name': n.name, 'op': n.op_type, 'inputs': list(n.input), 'outputs': list(n.output)} for n in graph.node]
    print('ONNX nodes:', [n['name'] for n in nodes])

    make_photos(args.photos)

    def loader(path: str) -> Image.Image:  # torchvision's default loader: PIL, convert('RGB')
        with open(path, 'rb') as f:
            return Image.open(f).convert('RGB')

    ds = datasets.ImageFolder(args.photos, transform=IMAGENET, loader=loader)
    extractor = create_feature_extractor(model, {'classifier.4': 'features', 'classifier.6': 'logits'})
    rows, feats = [], []
    with torch.no_grad():
        for path, target in ds.samples:
            out = extractor(IMAGENET(loader(path)).unsqueeze(0))
            f = out['features'][0].numpy()
            logits = out['logits'][0]
            top = torch.topk(torch.softmax(logits, 0), 5)
            with Image.open(path) as im:
                mode, size = im.mode, list(im.size)
            rows.append(
                {
                    'path': os.path.relpath(path, args.photos).replace(os.sep, '/'),
                    'label_id': target,
                    'mode': mode,
                    'size': size,
                    'features': f32list(f),
                    'features_norm': float(np.linalg.norm(f)),
                    'top5_ids': top.indices.tolist(),
                    'top5_probs': f32list(top.values),
                }
            )
            feats.append(f)
    feats_a = np.stack(feats).astype(np.float32)
    np.save(os.path.splitext(args.json)[0] + '.features.npy', feats_a)
    # Random weights make features of different images fairly similar (cosine ~0.8-0.97 here), so
    # record how much margin a 'cosine >= 0.999' check has over "some other image's features".
    unit = feats_a / np.linalg.norm(feats_a, axis=1, keepdims=True)
    cos = unit @ unit.T
    max_other = float((cos - 2 * np.eye(len(cos))).max())
    classifier_nodes = [n for n in nodes if n['name'].startswith('/classifier') or n['name'] in ('/Flatten',)]
    with open(args.json, 'w') as f:
        json.dump(
            {
                'about': 'export_vgg16.py: torchvision vgg16(weights=None) seeded; create_feature_extractor classifier.4',
                'torch': torch.__version__,
                'onnx': args.onnx,
                'photos': args.photos,
                'seed': args.seed,
                'num_classes': args.num_classes,
                'layer': 'classifier.4',
                'preprocess': {'mode': 'RGB', 'resize': 256, 'crop': 224, 'mean': [0.485, 0.456, 0.406], 'std': [0.229, 0.224, 0.225]},
                'node_names': [n['name'] for n in nodes],
                'classifier_nodes': classifier_nodes,
                'graph_outputs': [o.name for o in graph.output],
                'max_cosine_between_different_images': max_other,
                'images': rows,
            },
            f,
        )
    print(f'wrote {args.json} ({len(rows)} images, {time.time() - t0:.0f} s in all)')
    print(f'max cosine between features of different images: {max_other:.4f}')
    for n in classifier_nodes:
        print(f"  {n['op']:8s} {n['name']:36s} {n['inputs'][:1]} -> {n['outputs']}")


if __name__ == '__main__':
    main()
