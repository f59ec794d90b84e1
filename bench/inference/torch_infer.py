#!/usr/bin/python3
"""PyTorch inference throughput on an ImageFolder: the peer of `featscope classify` in bench/inference.

Measures images/s of PyTorch (Debian python3-torch / -torchvision) with a given batch size and
thread count, two ways:
  - end_to_end: decode (PIL) + preprocess (torchvision transforms) + forward, through a
    DataLoader with --workers worker processes (0: the main process only; with workers they are
    persistent, started by the warm-up batch, so the timed pass does not pay their start-up);
  - forward_only: the forward pass alone over the already preprocessed tensors.
Each is run after one warm-up batch; the model is in eval mode under torch.no_grad().

Models:
  --model fashion  the bundled demo (examples/fashion-mnist): FashionCNN from its train.py with
                   the weights of model.pt (= model.onnx); grayscale, Normalize(0.2860, 0.3530).
  --model vgg16    torchvision vgg16(weights=None), seeded random weights (--num-classes), with
                   ImageNet preprocessing: RGB, Resize(256), CenterCrop(224), Normalize(ImageNet).
                   Same graph as scripts/python/export_vgg16.py exports.
  --model small    bench/inference/small_cnn.py's SmallCNN (seeded as it exports), ImageNet
                   preprocessing: a model so cheap that decoding and resizing are the bound.

Usage:
    /usr/bin/python3 bench/inference/torch_infer.py --data examples/fashion-mnist/data
        [--model fashion|vgg16|small] [--batch-size 256] [--threads 2] [--workers 0] [--limit N]
        [--num-classes 1000] [--device cpu|cuda]

Output: progress on stderr; the LAST line of stdout is one JSON object:
  {"model", "n", "batch_size", "threads", "workers", "device", "end_to_end": {"seconds", "images_per_s"},
   "forward_only": {"seconds", "images_per_s"}, "torch"}
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import time

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Subset
from torchvision import datasets, models, transforms

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
EXAMPLE = os.path.join(ROOT, 'examples', 'fashion-mnist')


def build(name: str, num_classes: int, seed: int) -> tuple[torch.nn.Module, transforms.Compose, str]:
    """Returns (model in eval mode, transform, PIL mode the loader converts to)."""
    if name == 'fashion':
        sys.path.insert(0, EXAMPLE)
        from train import MEAN, STD, FashionCNN

        model = FashionCNN()
        model.load_state_dict(torch.load(os.path.join(EXAMPLE, 'model.pt')))
        tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize([MEAN], [STD])])
        return model.eval(), tf, 'L'
    if name in ('vgg16', 'small'):
        if name == 'small':
            sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
            from small_cnn import build as build_small

            model = build_small(seed)
        else:
            torch.manual_seed(seed)
            model = models.vgg16(weights=None, num_classes=num_classes)
        tf = transforms.Compose(
            [
                transforms.Resize(256),
                transforms.CenterCrop(224),
                transforms.ToTensor(),
                transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
            ]
        )
        return model.eval(), tf, 'RGB'
    raise SystemExit(f'unknown --model {name!r} (fashion, vgg16 or small)')


def load_image(path: str, mode: str) -> Image.Image:
    """torchvision's pil_loader, converting to the model's mode (a module-level function: DataLoader
    workers pickle the dataset)."""
    with open(path, 'rb') as f:
        return Image.open(f).convert(mode)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', required=True, help='ImageFolder root')
    ap.add_argument('--model', default='fashion', choices=['fashion', 'vgg16', 'small'])
    ap.add_argument('--batch-size', type=int, default=256)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--workers', type=int, default=0, help='DataLoader worker processes (0: main process)')
    ap.add_argument('--device', default='cpu', choices=['cpu', 'cuda'])
    ap.add_argument('--limit', type=int, default=0, help='use N images spread over the set (0 = all)')
    ap.add_argument('--num-classes', type=int, default=1000, help='vgg16 only')
    ap.add_argument('--seed', type=int, default=0)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    model, tf, mode = build(args.model, args.num_classes, args.seed)
    device = torch.device(args.device)
    model = model.to(device)

    ds = datasets.ImageFolder(args.data, transform=tf, loader=functools.partial(load_image, mode=mode))
    indices = list(range(len(ds)))
    if 0 < args.limit < len(ds):
        indices = sorted(set(np.linspace(0, len(ds) - 1, args.limit).round().astype(int).tolist()))
    data = Subset(ds, indices)
    n = len(data)
    dl = DataLoader(
        data,
        batch_size=args.batch_size,
        shuffle=False,
        num_workers=args.workers,
        persistent_workers=args.workers > 0,
        pin_memory=args.device == 'cuda',
    )

    def cpu_seconds() -> float:
        """CPU seconds (user + system) of this process's threads and of the DataLoader's live workers."""
        t = os.times()
        total = t.user + t.system
        for w in getattr(getattr(dl, '_iterator', None), '_workers', None) or []:
            try:
                with open(f'/proc/{w.pid}/stat') as f:
                    fields = f.read().rsplit(')', 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')
            except (OSError, ValueError):
                pass
        return total

    def sync() -> None:
        if args.device == 'cuda':
            torch.cuda.synchronize()

    with torch.no_grad():
        # Warm-up: one batch through the whole path (allocator, kernels' first-call set-up, workers).
        model(next(iter(dl))[0].to(device))
        sync()

        c0 = cpu_seconds()
        t0 = time.perf_counter()
        batches = []
        for x, _ in dl:
            x = x.to(device, non_blocking=True)
            model(x)
            batches.append(x)
        sync()
        e2e = time.perf_counter() - t0
        e2e_cpu = cpu_seconds() - c0
        print(f'end to end: {n / e2e:.1f} images/s', file=sys.stderr)

        t0 = time.perf_counter()
        for x in batches:
            model(x)
        sync()
        fwd = time.perf_counter() - t0
        print(f'forward only: {n / fwd:.1f} images/s', file=sys.stderr)

    print(
        json.dumps(
            {
                'model': args.model,
                'n': n,
                'batch_size': args.batch_size,
                'threads': args.threads,
                'workers': args.workers,
                'device': args.device,
                'end_to_end': {
                    'seconds': round(e2e, 4),
                    'images_per_s': round(n / e2e, 2),
                    'cpu_seconds': round(e2e_cpu, 3),
                },
                'forward_only': {'seconds': round(fwd, 4), 'images_per_s': round(n / fwd, 2)},
                'torch': torch.__version__,
            }
        )
    )


if __name__ == '__main__':
    main()
