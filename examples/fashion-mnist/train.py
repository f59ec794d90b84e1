#!/usr/bin/python3
"""Train and export the featscope demo model: a small VGG-style CNN for Fashion-MNIST.

This script is two things:

1. The exact recipe that produced `model.onnx`, `model.pt`, `classes.json` and
   `model-card.md` in this folder (seeded; re-running it on the same PyTorch build gives the
   same weights up to floating-point non-determinism of multi-threaded kernels).
2. A worked example of exporting *your own* PyTorch classifier for featscope. The part that
   matters for that is `export_onnx()` below; every argument of the export call is explained.

Usage (Debian: apt install python3-torch python3-onnx dataset-fashion-mnist):

    /usr/bin/python3 examples/fashion-mnist/train.py [--data-dir /usr/share/datasets/fashion-mnist]
        [--epochs 5] [--threads 2] [--out-dir examples/fashion-mnist]

Data: the four original idx files (`train-images-idx3-ubyte.gz`, ...) are read directly; no
torchvision download happens. Inputs are 1x28x28 grayscale images scaled to [0, 1] and then
normalised with mean 0.2860 and std 0.3530, the per-pixel mean and standard deviation of the
60,000 training images (the script recomputes and prints them as a check).
With featscope use: `--preset grayscale --mean 0.2860 --std 0.3530`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA_DIR = '/usr/share/datasets/fashion-mnist'

# Normalisation constants: mean and std of all training pixels after ToTensor() (/255).
MEAN = 0.2860
STD = 0.3530

# The official Fashion-MNIST class names (github.com/zalandoresearch/fashion-mnist), in label
# order, with '/' replaced by '_' so that each name can be a folder name on every file system.
# The demo's ImageFolder tree (data/<name>/...) uses exactly these names, and classes.json maps
# model output index -> name, so featscope can line folders up with model outputs.
CLASS_NAMES = [
    'T-shirt_top',
    'Trouser',
    'Pullover',
    'Dress',
    'Coat',
    'Sandal',
    'Shirt',
    'Sneaker',
    'Bag',
    'Ankle boot',
]


class FashionCNN(nn.Module):
    """VGG-style: stacks of 3x3 conv + BN + ReLU with 2x2 max pooling, then an MLP head.

    Module paths (what featscope's --layer accepts, as in torchvision's VGG):
      features.0..11  conv/BN/ReLU/MaxPool, 1x28x28 -> 128x3x3
      classifier.0    Linear(1152, 128)
      classifier.1    ReLU       <- penultimate features (128-d), featscope's default layer
      classifier.2    Dropout
      classifier.3    Linear(128, 10) -> logits
    """

    def __init__(self, num_classes: int = 10, dropout: float = 0.3) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 32, kernel_size=3, padding=1),  # features.0
            nn.BatchNorm2d(32),  # features.1
            nn.ReLU(),  # features.2
            nn.MaxPool2d(2),  # features.3   -> 32x14x14
            nn.Conv2d(32, 64, kernel_size=3, padding=1),  # features.4
            nn.BatchNorm2d(64),  # features.5
            nn.ReLU(),  # features.6
            nn.MaxPool2d(2),  # features.7   -> 64x7x7
            nn.Conv2d(64, 128, kernel_size=3, padding=1),  # features.8
            nn.BatchNorm2d(128),  # features.9
            nn.ReLU(),  # features.10
            nn.MaxPool2d(2),  # features.11  -> 128x3x3
        )
        self.classifier = nn.Sequential(
            nn.Linear(128 * 3 * 3, 128),  # classifier.0
            nn.ReLU(),  # classifier.1
            nn.Dropout(dropout),  # classifier.2
            nn.Linear(128, num_classes),  # classifier.3
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.features(x)
        x = torch.flatten(x, 1)  # exported as an ONNX Flatten node, as in torchvision's VGG
        return self.classifier(x)


def read_idx(path: str) -> np.ndarray:
    """Read an idx file (optionally gzipped): big-endian magic, dims, then raw uint8 data."""
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    zero, dtype_code, ndim = struct.unpack('>HBB', data[:4])
    if zero != 0 or dtype_code != 0x08:
        raise ValueError(f'{path}: not an unsigned-byte idx file')
    dims = struct.unpack('>' + 'I' * ndim, data[4 : 4 + 4 * ndim])
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    return arr.reshape(dims)


def find_file(data_dir: str, stem: str) -> str:
    for name in (stem + '.gz', stem):
        p = os.path.join(data_dir, name)
        if os.path.exists(p):
            return p
    raise FileNotFoundError(f'{stem}(.gz) not found in {data_dir}')


def load_split(data_dir: str, split: str) -> tuple[np.ndarray, np.ndarray]:
    """split: 'train' or 't10k'. Returns (images uint8 [N,28,28], labels uint8 [N])."""
    images = read_idx(find_file(data_dir, f'{split}-images-idx3-ubyte'))
    labels = read_idx(find_file(data_dir, f'{split}-labels-idx1-ubyte'))
    return images, labels


def to_input(images: np.ndarray) -> torch.Tensor:
    """uint8 [N,28,28] -> normalised float32 [N,1,28,28], as ToTensor() + Normalize([MEAN],[STD])."""
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    return (x - MEAN) / STD


def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor, batch: int = 1000) -> float:
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            correct += (model(x[i : i + batch]).argmax(1) == y[i : i + batch]).sum().item()
    return correct / len(x)


def train(model: nn.Module, x: torch.Tensor, y: torch.Tensor, epochs: int, batch: int, seed: int) -> None:
    gen = torch.Generator().manual_seed(seed)
    steps = epochs * ((len(x) + batch - 1) // batch)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    # One-cycle schedule: reaches ~91-92% in a handful of epochs, which fits a 2-core CPU budget.
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps)
    for epoch in range(epochs):
        model.train()
        t0 = time.time()
        perm = torch.randperm(len(x), generator=gen)
        total_loss = 0.0
        for i in range(0, len(x), batch):
            idx = perm[i : i + batch]
            xb, yb = x[idx], y[idx]
            # Augmentation: random horizontal flip of half the batch (clothes are left/right symmetric).
            flip = torch.rand(len(idx), generator=gen) < 0.5
            xb = torch.where(flip[:, None, None, None], xb.flip(3), xb)
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total_loss += loss.item() * len(idx)
        print(f'epoch {epoch + 1}/{epochs}: loss {total_loss / len(x):.4f} ({time.time() - t0:.1f} s)', flush=True)


def export_onnx(model: nn.Module, path: str, metadata: dict[str, str]) -> None:
    """Export a trained classifier to ONNX the way featscope expects. Copy this for your model."""
    import onnx

    # 1. eval mode: Dropout becomes the identity and BatchNorm uses its running statistics.
    #    Exporting in train mode bakes training behaviour into the graph.
    model.eval()
    # 2. A dummy input with the real channel count and size; batch size 1 is fine because the
    #    batch axis is declared dynamic below. Values do not matter, only the shape and dtype.
    dummy = torch.zeros(1, 1, 28, 28)
    torch.onnx.export(
        model,
        dummy,
        path,
        # Names of the graph input and output, so tools (and you) can refer to them.
        input_names=['input'],
        output_names=['logits'],
        # Axis 0 of input and output is 'batch' of any size: featscope can then run many images
        # per forward pass (much faster than batch 1). Without this the batch size is fixed to 1.
        dynamic_axes={'input': {0: 'batch'}, 'logits': {0: 'batch'}},
        # Opset 13+ is supported by every current ONNX Runtime; 17 is the newest torch 1.13 knows.
        opset_version=17,
        # Precompute constant sub-graphs (and fold BatchNorm into the preceding Conv in eval mode).
        do_constant_folding=True,
        # Keep the exporter's default node names: torch >= 1.13 names nodes after the module path
        # (e.g. '/classifier/classifier.1/Relu'), which lets featscope accept '--layer classifier.1'.
    )
    # Optional: defaults that featscope can read from the model itself.
    m = onnx.load(path)
    for key, value in metadata.items():
        prop = m.metadata_props.add()
        prop.key = key
        prop.value = value
    onnx.checker.check_model(m)
    onnx.save(m, path)


def check_onnx(path: str, model: nn.Module, x: torch.Tensor) -> None:
    """Print the node names and compare ONNX Runtime (if installed) or torch outputs."""
    import onnx

    m = onnx.load(path)
    print('ONNX nodes:', [n.name for n in m.graph.node])
    print('ONNX outputs of nodes:', [(n.name, list(n.output)) for n in m.graph.node])
    try:
        import onnxruntime as ort  # not in Debian; optional check

        sess = ort.InferenceSession(path)
        got = sess.run(['logits'], {'input': x.numpy()})[0]
        with torch.no_grad():
            want = model(x).numpy()
        print('max |onnxruntime - torch| logits:', float(np.abs(got - want).max()))
    except ImportError:
        pass


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data-dir', default=DEFAULT_DATA_DIR, help='folder with the Fashion-MNIST idx(.gz) files')
    ap.add_argument('--out-dir', default=HERE, help='where model.onnx, model.pt, classes.json, model-card.md go')
    ap.add_argument('--epochs', type=int, default=5)
    ap.add_argument('--batch-size', type=int, default=128)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--seed', type=int, default=0)
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)

    train_images, train_labels = load_split(args.data_dir, 'train')
    test_images, test_labels = load_split(args.data_dir, 't10k')
    pixels = train_images.astype(np.float64) / 255.0
    print(f'training pixels: mean {pixels.mean():.4f}, std {pixels.std():.4f} (using {MEAN}, {STD})')

    x_train, y_train = to_input(train_images), torch.from_numpy(train_labels.astype(np.int64))
    x_test, y_test = to_input(test_images), torch.from_numpy(test_labels.astype(np.int64))

    model = FashionCNN()
    t0 = time.time()
    train(model, x_train, y_train, args.epochs, args.batch_size, args.seed)
    train_seconds = time.time() - t0
    acc = evaluate(model, x_test, y_test)
    print(f'test accuracy (10,000 images): {acc:.4f}')

    os.makedirs(args.out_dir, exist_ok=True)
    torch.save(model.state_dict(), os.path.join(args.out_dir, 'model.pt'))
    classes = {str(i): name for i, name in enumerate(CLASS_NAMES)}
    with open(os.path.join(args.out_dir, 'classes.json'), 'w') as f:
        json.dump(classes, f, indent=2)
        f.write('\n')

    onnx_path = os.path.join(args.out_dir, 'model.onnx')
    preprocess = {'channels': 1, 'resize': None, 'crop': None, 'mean': [MEAN], 'std': [STD]}
    export_onnx(
        model,
        onnx_path,
        {'featscope.preprocess': json.dumps(preprocess), 'featscope.classes': json.dumps(CLASS_NAMES)},
    )
    check_onnx(onnx_path, model, x_test[:16])
    write_model_card(os.path.join(args.out_dir, 'model-card.md'), model, acc, args, train_seconds)


def write_model_card(path: str, model: nn.Module, acc: float, args: argparse.Namespace, seconds: float) -> None:
    n_params = sum(p.numel() for p in model.parameters())
    text = f"""# Fashion-MNIST demo model

A small VGG-style CNN trained by `train.py` in this folder ({args.epochs} epochs, batch
{args.batch_size}, AdamW with a one-cycle learning rate, seed {args.seed}, {args.threads} CPU
threads, {seconds:.0f} s on this machine).

- **Test accuracy: {acc * 100:.2f}%** on all 10,000 Fashion-MNIST test images.
- Parameters: {n_params:,}.
- Input `input`: float32 `[batch, 1, 28, 28]`, grayscale, pixel/255, then `(x - 0.2860) / 0.3530`
  (mean and std of the training pixels). Output `logits`: float32 `[batch, 10]` (no softmax).
- Batch axis dynamic; ONNX opset 17; exported with `torch.onnx.export` by torch {torch.__version__}.
- Classes (`classes.json`, output index -> name; names equal the folder names under `data/`):
  {', '.join(f'{i} {n}' for i, n in enumerate(CLASS_NAMES))}.

## Use with featscope

```
featscope run --model model.onnx --data data --classes classes.json \\
  --preset grayscale --mean 0.2860 --std 0.3530 --out out
```

The ONNX file also carries these defaults as metadata (`featscope.preprocess`,
`featscope.classes`).

## Architecture (PyTorch module paths, usable as `--layer`)

```
{model}
```

`classifier.1` (the ReLU after the first Linear, 128-d) is the penultimate layer: the input of
the final Linear, and featscope's default feature layer.

## ONNX node names

torch 1.13 names each node after its module path, e.g. `/features/features.0/Conv`,
`/classifier/classifier.1/Relu` (output tensor `/classifier/classifier.1/Relu_output_0`); the
final Gemm's output is the graph output `logits`. With constant folding in eval mode each
BatchNorm (`features.1`, `.5`, `.9`) is folded into the Conv before it, and Dropout
(`classifier.2`) disappears: those module paths have no node of their own (the Conv node's output
equals the BatchNorm's output in PyTorch).
"""
    with open(path, 'w') as f:
        f.write(text)


if __name__ == '__main__':
    main()
