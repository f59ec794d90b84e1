"""scikit-learn's TSNE on a feature matrix: the Python peer of bench/tsne/run.ts.

    /usr/bin/python3 bench/tsne/sklearn_tsne.py --input X.npy --output Y.npy [--dims 2] [--perplexity 30]
        [--seed 0] [--n-jobs 2]

Settings are the recommended modern ones (scikit-learn >= 1.2 defaults-to-be): init='pca',
learning_rate='auto' (max(N / early_exaggeration / 4, 50)), Barnes-Hut, n_iter 1000. Prints one JSON
line: fit seconds (loading excluded), final KL divergence, iterations run.
"""
import argparse
import json
import time

import numpy as np
import sklearn
from sklearn.manifold import TSNE

parser = argparse.ArgumentParser()
parser.add_argument("--input", required=True)
parser.add_argument("--output", required=True)
parser.add_argument("--dims", type=int, default=2)
parser.add_argument("--perplexity", type=float, default=30.0)
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--n-jobs", type=int, default=2)
args = parser.parse_args()

x = np.load(args.input).astype(np.float32)
model = TSNE(
    n_components=args.dims,
    perplexity=args.perplexity,
    init="pca",
    learning_rate="auto",
    n_jobs=args.n_jobs,
    random_state=args.seed,
)
start = time.perf_counter()
y = model.fit_transform(x)
seconds = time.perf_counter() - start
np.save(args.output, y.astype(np.float32))
print(
    json.dumps(
        {
            "seconds": seconds,
            "kl_divergence": float(model.kl_divergence_),
            "n_iter": int(model.n_iter_),
            "sklearn": sklearn.__version__,
        }
    )
)
