#!/usr/bin/python3
"""The Python recipe that `featscope run` replaces, reproduced faithfully for benchmarking.

What a user does today to "see how my classifier sees the test set" (the usual blog/tutorial
recipe), with Debian's packages only (python3-torch, -torchvision, -sklearn, -matplotlib,
-seaborn, -plotly, -pandas):

  1. torchvision `ImageFolder` (default PIL loader, RGB) + transforms + `DataLoader(batch_size=1)`
  2. the model in PyTorch, eval mode: one pass over the data for predictions (softmax, top-1)
  3. a second pass with `create_feature_extractor` for the penultimate features
  4. scikit-learn `TSNE` to 2D and to 3D (init='pca', learning_rate='auto', n_jobs=2)
  5. a seaborn scatter plot (one colour and marker per class), saved as PNG (300 dpi) and PDF
  6. plotly express 2D and 3D scatter pages (self-contained HTML, plotly.js inlined)
  7. predictions.csv (pandas) and features.npy, the outputs featscope also writes

The model is the bundled demo (examples/fashion-mnist): the architecture is imported from its
train.py and the weights come from model.pt; labels are mapped to model indices through
classes.json exactly as featscope's `--classes` does (ImageFolder's folder order differs from
the model's output order).

With --model vgg16 it is the seed's workload instead: torchvision's VGG16 with --num-classes
outputs and seeded random weights (the very model scripts/python/export_vgg16.py exports with the
same --seed), torchvision's ImageNet transform (Resize(256), CenterCrop(224), Normalize), features
from `classifier.4`; labels are the ImageFolder indices, outputs past the folders are `class_<i>`.

Usage:
    /usr/bin/python3 bench/e2e/recipe.py --data examples/fashion-mnist/data --out /tmp/recipe-out
        [--limit N] [--threads 2] [--perplexity 30] [--seed 0] [--model fashion|vgg16] [--num-classes 100]

--limit N keeps N images spread evenly over the ImageFolder order (so every class stays present).
Output: the files above in --out, progress on stderr, and as the LAST line of stdout one JSON
object: {"n", "accuracy", "stages": {name: seconds}, "total_s", "peak_rss_mb", "versions"}.
Stage 'imports' is the time from interpreter start-up to all imports done (Python + torch +
sklearn + plotting libraries), a real part of the recipe's wall time.
"""

import time

T_START = time.time()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402

import matplotlib  # noqa: E402

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import plotly  # noqa: E402
import plotly.express as px  # noqa: E402
import seaborn as sns  # noqa: E402
import sklearn  # noqa: E402
import torch  # noqa: E402
import torchvision  # noqa: E402
from sklearn.manifold import TSNE  # noqa: E402
from torch.utils.data import DataLoader, Subset  # noqa: E402
from torchvision import datasets, transforms  # noqa: E402
from torchvision.models.feature_extraction import create_feature_extractor  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
EXAMPLE = os.path.join(ROOT, 'examples', 'fashion-mnist')
sys.path.insert(0, EXAMPLE)
from train import MEAN, STD, FashionCNN  # noqa: E402

T_IMPORTS = time.time()


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', required=True, help='ImageFolder root (class folders of images)')
    ap.add_argument('--out', required=True, help='output folder (created)')
    ap.add_argument('--limit', type=int, default=0, help='use N images spread over the set (0 = all)')
    ap.add_argument('--weights', default=os.path.join(EXAMPLE, 'model.pt'), help='FashionCNN state_dict')
    ap.add_argument('--classes', default=os.path.join(EXAMPLE, 'classes.json'), help='{"0": name} JSON')
    ap.add_argument('--threads', type=int, default=2, help='torch threads and TSNE n_jobs')
    ap.add_argument('--perplexity', type=float, default=30.0)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--model', default='fashion', choices=['fashion', 'vgg16'])
    ap.add_argument('--num-classes', type=int, default=100, help='vgg16 only')
    args = ap.parse_args()

    stages: dict[str, float] = {'imports': T_IMPORTS - T_START}
    t = time.time()

    def lap(name: str) -> None:
        nonlocal t
        now = time.time()
        stages[name] = now - t
        t = now
        log(f'{name}: {stages[name]:.2f} s')

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    os.makedirs(args.out, exist_ok=True)

    # 1. Data: ImageFolder's default loader opens with PIL and converts to RGB; the model wants
    #    one channel, hence Grayscale(1) (exact for images that are grey to begin with).
    if args.model == 'vgg16':
        tf = transforms.Compose(
            [
                transforms.Resize(256),
                transforms.CenterCrop(224),
                transforms.ToTensor(),
                transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
            ]
        )
        ds = datasets.ImageFolder(args.data, transform=tf)
        names = ds.classes + [f'class_{i}' for i in range(len(ds.classes), args.num_classes)]
    else:
        with open(args.classes) as f:
            class_index = json.load(f)
        names = [class_index[str(i)] for i in range(len(class_index))]
        tf = transforms.Compose([transforms.Grayscale(1), transforms.ToTensor(), transforms.Normalize([MEAN], [STD])])
        ds = datasets.ImageFolder(args.data, transform=tf)
        missing = [c for c in ds.classes if c not in names]
        if missing:
            sys.exit(f'folders {missing} are not in {args.classes}')
        folder_to_model = [names.index(c) for c in ds.classes]
        ds.target_transform = lambda folder_idx: folder_to_model[folder_idx]
    indices = list(range(len(ds)))
    if 0 < args.limit < len(ds):
        indices = sorted(set(np.linspace(0, len(ds) - 1, args.limit).round().astype(int).tolist()))
    subset = Subset(ds, indices)
    paths = [os.path.relpath(ds.samples[i][0], args.data).replace(os.sep, '/') for i in indices]
    loader = DataLoader(subset, batch_size=1, shuffle=False)

    if args.model == 'vgg16':
        torch.manual_seed(args.seed)
        model = torchvision.models.vgg16(weights=None, num_classes=args.num_classes)
        feature_layer = 'classifier.4'
    else:
        model = FashionCNN()
        model.load_state_dict(torch.load(args.weights))
        feature_layer = 'classifier.1'
    model.eval()
    lap('load')

    # 2. Predictions, one image at a time.
    labels, preds, confs, probs_all = [], [], [], []
    with torch.no_grad():
        for x, y in loader:
            p = torch.softmax(model(x), dim=1)[0]
            labels.append(int(y))
            preds.append(int(p.argmax()))
            confs.append(float(p.max()))
            probs_all.append(p.numpy())
    lap('predict')

    # 3. Features (the input of the final Linear), a second pass as the tutorials do.
    extractor = create_feature_extractor(model, {feature_layer: 'feat'})
    feats = []
    with torch.no_grad():
        for x, _ in loader:
            feats.append(extractor(x)['feat'][0].numpy())
    features = np.stack(feats).astype(np.float32)
    lap('features')

    labels_a, preds_a = np.array(labels), np.array(preds)
    accuracy = float((labels_a == preds_a).mean())
    df = pd.DataFrame(
        {
            'path': paths,
            'label_id': labels_a,
            'label_name': [names[i] for i in labels],
            'pred_id': preds_a,
            'pred_name': [names[i] for i in preds],
            'confidence': confs,
            'correct': labels_a == preds_a,
        }
    )
    probs = pd.DataFrame(np.stack(probs_all), columns=[f'conf_{n}' for n in names])
    pd.concat([df, probs], axis=1).to_csv(os.path.join(args.out, 'predictions.csv'), index=False)
    np.save(os.path.join(args.out, 'features.npy'), features)
    lap('write_predictions')

    # 4. t-SNE, 2D and 3D.
    common = dict(perplexity=min(args.perplexity, (len(features) - 1) / 3), init='pca', learning_rate='auto')
    emb2 = TSNE(n_components=2, n_jobs=args.threads, random_state=args.seed, **common).fit_transform(features)
    lap('tsne_2d')
    emb3 = TSNE(n_components=3, n_jobs=args.threads, random_state=args.seed, **common).fit_transform(features)
    lap('tsne_3d')
    for dims, emb in ((2, emb2), (3, emb3)):
        e = pd.DataFrame(emb, columns=['x', 'y', 'z'][:dims])
        pd.concat([e, df[['path', 'label_name', 'pred_name', 'correct', 'confidence']]], axis=1).to_csv(
            os.path.join(args.out, f'tsne-{dims}d.csv'), index=False
        )

    # 5. Static figure: one colour and marker per class, legend outside, no ticks.
    present = [n for n in names if n in set(df['label_name'])]
    fig, ax = plt.subplots(figsize=(8, 6.5))
    plot_df = df.assign(x=emb2[:, 0], y=emb2[:, 1])
    sns.scatterplot(
        data=plot_df, x='x', y='y', hue='label_name', style='label_name', hue_order=present, style_order=present,
        s=12, linewidth=0, ax=ax,
    )
    ax.set(xticks=[], yticks=[], xlabel='', ylabel='', title=f't-SNE of {len(df)} images (accuracy {accuracy:.1%})')
    ax.legend(loc='center left', bbox_to_anchor=(1.0, 0.5), frameon=False, markerscale=1.5)
    fig.tight_layout()
    fig.savefig(os.path.join(args.out, 'tsne-2d.png'), dpi=300)
    fig.savefig(os.path.join(args.out, 'tsne-2d.pdf'))
    plt.close(fig)
    lap('figures')

    # 6. Interactive pages (include_plotlyjs=True: self-contained, work offline).
    hover = ['path', 'pred_name', 'confidence', 'correct']
    px.scatter(plot_df, x='x', y='y', color='label_name', hover_data=hover, category_orders={'label_name': names}).write_html(
        os.path.join(args.out, 'tsne-2d.html'), include_plotlyjs=True
    )
    plot3 = df.assign(x=emb3[:, 0], y=emb3[:, 1], z=emb3[:, 2])
    px.scatter_3d(
        plot3, x='x', y='y', z='z', color='label_name', hover_data=hover, category_orders={'label_name': names}
    ).write_html(os.path.join(args.out, 'tsne-3d.html'), include_plotlyjs=True)
    lap('pages')

    result = {
        'n': len(df),
        'accuracy': accuracy,
        'stages': {k: round(v, 3) for k, v in stages.items()},
        'total_s': round(time.time() - T_START, 3),
        'peak_rss_mb': round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        'threads': args.threads,
        'versions': {
            'python': sys.version.split()[0],
            'torch': torch.__version__,
            'torchvision': torchvision.__version__,
            'sklearn': sklearn.__version__,
            'plotly': plotly.__version__,
        },
    }
    print(json.dumps(result))


if __name__ == '__main__':
    main()
