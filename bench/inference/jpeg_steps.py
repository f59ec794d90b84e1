"""Pillow + torchvision's share of bench/inference/jpeg-steps.ts: CPU milliseconds per photo of each
step of torchvision's ImageNet pipeline on one thread (Image.open(f).convert('RGB'), Resize(256),
CenterCrop(224), ToTensor, Normalize), over the given JPEG files, after 10 warm-up photos.

Usage (Debian python3-torch, python3-torchvision):
    /usr/bin/python3 bench/inference/jpeg_steps.py FILE... > steps.json
Prints one JSON object: {"pillow": version, "torchvision": version, "steps": {name: ms per photo}}.
"""

from __future__ import annotations

import json
import sys
import time

import torch
import torchvision
from PIL import Image
from torchvision import transforms as T


def per_photo(f, items) -> float:
    for x in items[:10]:
        f(x)
    c0 = time.process_time()
    for x in items:
        f(x)
    return round((time.process_time() - c0) * 1000 / len(items), 3)


def main() -> None:
    torch.set_num_threads(1)
    files = sys.argv[1:]
    resize = T.Resize(256)
    crop = T.CenterCrop(224)
    to_tensor = T.ToTensor()
    normalize = T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
    whole = T.Compose([resize, crop, to_tensor, normalize])
    steps = {'decode': per_photo(lambda f: Image.open(f).convert('RGB'), files)}
    images = [Image.open(f).convert('RGB') for f in files]
    steps['resize'] = per_photo(resize, images)
    resized = [resize(x) for x in images]
    steps['crop'] = per_photo(crop, resized)
    cropped = [crop(x) for x in resized]
    steps['to_tensor'] = per_photo(to_tensor, cropped)
    tensors = [to_tensor(x) for x in cropped]
    steps['normalize'] = per_photo(normalize, tensors)
    steps['transforms'] = per_photo(whole, images)
    steps['whole'] = per_photo(lambda f: whole(Image.open(f).convert('RGB')), files)
    print(json.dumps({'pillow': Image.__version__, 'torchvision': torchvision.__version__, 'steps': steps}))


if __name__ == '__main__':
    main()
