#!/usr/bin/python3
"""A small ImageNet-shaped classifier for the decode-bound case of bench/inference.

SmallCNN takes torchvision's ImageNet input (3 x 224 x 224) but costs little to run (one strided
convolution, pooling, two linear layers: about 6 MFLOPs an image), so the images/s of a pass over
JPEG photos measure decoding and preprocessing, not the model. Weights are seeded (torch.manual_seed),
so bench/inference/torch_infer.py rebuilds the very model this script exports.

Usage (Debian python3-torch):
    /usr/bin/python3 bench/inference/small_cnn.py [--onnx bench/.cache/small-cnn-224.onnx] [--seed 0]
"""

from __future__ import annotations

import argparse
import os

import torch
from torch import nn

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))


class SmallCNN(nn.Module):
    def __init__(self, num_classes: int = 10) -> None:
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 16, 7, stride=4, padding=3), nn.ReLU(), nn.AdaptiveAvgPool2d((4, 4)))
        self.classifier = nn.Sequential(nn.Linear(16 * 4 * 4, 64), nn.ReLU(), nn.Linear(64, num_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(torch.flatten(self.features(x), 1))


def build(seed: int = 0) -> SmallCNN:
    torch.manual_seed(seed)
    return SmallCNN().eval()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--onnx', default=os.path.join(ROOT, 'bench', '.cache', 'small-cnn-224.onnx'))
    ap.add_argument('--seed', type=int, default=0)
    args = ap.parse_args()
    os.makedirs(os.path.dirname(args.onnx), exist_ok=True)
    tmp = f'{args.onnx}.partial'
    torch.onnx.export(
        build(args.seed),
        torch.zeros(1, 3, 224, 224),
        tmp,
        input_names=['input'],
        output_names=['logits'],
        dynamic_axes={'input': {0: 'batch'}, 'logits': {0: 'batch'}},
        opset_version=17,
        do_constant_folding=True,
    )
    os.replace(tmp, args.onnx)
    print(args.onnx)


if __name__ == '__main__':
    main()
