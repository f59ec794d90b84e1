#!/usr/bin/python3
"""Build the demo test set: examples/fashion-mnist/data/<class>/<index>.png.

Takes the first 200 images of every class, in Fashion-MNIST test-set order (t10k files), and
writes each as an 8-bit grayscale PNG named after its zero-padded test-set index, e.g.
`data/Trouser/00002.png`. Class folders are the names in classes.json (official names with '/'
replaced by '_'), so `featscope ... --classes classes.json` lines folders up with model outputs.

Note: torchvision's ImageFolder sorts folders by name ('Ankle boot', 'Bag', 'Coat', ...), which
is NOT the model's output order (0 = 'T-shirt_top', ...). Use classes.json to map folders to
model indices; that is what the file is for.

Usage: /usr/bin/python3 examples/fashion-mnist/make_data.py [--data-dir DIR] [--per-class 200]
The output is deterministic (same bytes on every run with the same PIL/zlib).
"""

from __future__ import annotations

import argparse
import os
import shutil

from PIL import Image

from train import CLASS_NAMES, DEFAULT_DATA_DIR, HERE, load_split


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data-dir', default=DEFAULT_DATA_DIR, help='folder with the Fashion-MNIST idx(.gz) files')
    ap.add_argument('--out', default=os.path.join(HERE, 'data'), help='ImageFolder root to (re)create')
    ap.add_argument('--per-class', type=int, default=200)
    args = ap.parse_args()

    images, labels = load_split(args.data_dir, 't10k')
    if os.path.isdir(args.out):
        shutil.rmtree(args.out)
    counts = [0] * len(CLASS_NAMES)
    for index, (image, label) in enumerate(zip(images, labels)):
        if counts[label] >= args.per_class:
            continue
        counts[label] += 1
        folder = os.path.join(args.out, CLASS_NAMES[label])
        os.makedirs(folder, exist_ok=True)
        # mode 'L' = 8-bit grayscale; optimize=True for the smallest deterministic zlib stream.
        Image.fromarray(image, mode='L').save(os.path.join(folder, f'{index:05d}.png'), optimize=True)
        if min(counts) >= args.per_class:
            break
    print('images per class:', dict(zip(CLASS_NAMES, counts)))


if __name__ == '__main__':
    main()
