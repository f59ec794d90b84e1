"""Writes the MNIST-family fixture of test/dataset/mnist-folder.test.ts (run once with Debian's python3).

A tiny torchvision download folder, test/fixtures/mnist/FashionMNIST/raw/, holding the four IDX files
that datasets.FashionMNIST reads (6 test and 4 train images taken from examples/fashion-mnist/data),
and what torchvision makes of them: test/fixtures/mnist/parity-*.npy are the tensors of
datasets.FashionMNIST(root, train=False, transform=T)[i][0] for two transforms T, and
test/fixtures/mnist/parity.json the classes and targets.

    /usr/bin/python3 scripts/python/make_mnist_fixture.py
"""
import json
import os
import struct

import numpy as np
import torch
from PIL import Image
from torchvision import datasets, transforms

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
EXAMPLE = os.path.join(REPO, "examples", "fashion-mnist", "data")
OUT = os.path.join(REPO, "test", "fixtures", "mnist")
RAW = os.path.join(OUT, "FashionMNIST", "raw")

# (class folder, label) pairs; labels are torchvision's FashionMNIST indices.
CLASSES = datasets.FashionMNIST.classes
TEST = ["Ankle boot", "T-shirt/top", "Bag", "Sneaker", "Trouser", "Shirt"]
TRAIN = ["Coat", "Dress", "Pullover", "Sandal"]


def folder_of(name):
    # The example's folders name T-shirt/top as "T-shirt_top" (no "/" in a folder name).
    return name.replace("/", "_")


def images_of(names, offset):
    pixels, labels = [], []
    for j, name in enumerate(names):
        folder = os.path.join(EXAMPLE, folder_of(name))
        files = sorted(os.listdir(folder))
        img = Image.open(os.path.join(folder, files[offset + j])).convert("L")
        pixels.append(np.asarray(img, dtype=np.uint8))
        labels.append(CLASSES.index(name))
    return np.stack(pixels), np.array(labels, dtype=np.uint8)


def write_idx(path, array):
    with open(path, "wb") as f:
        f.write(struct.pack(">BBBB", 0, 0, 0x08, array.ndim))
        for size in array.shape:
            f.write(struct.pack(">I", size))
        f.write(array.tobytes())


def main():
    os.makedirs(RAW, exist_ok=True)
    for prefix, names in (("t10k", TEST), ("train", TRAIN)):
        x, y = images_of(names, 0 if prefix == "t10k" else 1)
        write_idx(os.path.join(RAW, f"{prefix}-images-idx3-ubyte"), x)
        write_idx(os.path.join(RAW, f"{prefix}-labels-idx1-ubyte"), y)
    gray = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])
    rgb = transforms.Compose(
        [
            transforms.Grayscale(num_output_channels=3),
            transforms.Resize(30),
            transforms.CenterCrop(24),
            transforms.ToTensor(),
            transforms.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225)),
        ]
    )
    for name, t in (("gray", gray), ("rgb", rgb)):
        ds = datasets.FashionMNIST(OUT, train=False, transform=t, download=False)
        x = torch.stack([ds[i][0] for i in range(len(ds))]).numpy().astype("<f4")
        np.save(os.path.join(OUT, f"parity-{name}.npy"), x)
    ds = datasets.FashionMNIST(OUT, train=False, download=False)
    with open(os.path.join(OUT, "parity.json"), "w") as f:
        json.dump({"classes": ds.classes, "targets": [int(t) for t in ds.targets]}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
