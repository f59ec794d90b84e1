"""scikit-learn's TSNE on a feature matrix: the Python peer of bench/tsne/run.ts.

    /usr/bin/python3 bench/tsne/sklearn_tsne.py --input X.npy --output Y.npy [--dims 2] [--perplexity 30]
        [--seed 0] [--n-jobs 2]

Settings are the recommended modern ones (scikit-learn >= 1.2 defaults-to-be): init='pca',
learning_rate='auto' (max(N / early_exaggeration / 4, 50)), Barnes-Hut, n_iter 1000. Prints one JSON
line: fit seconds (loading excluded), final KL divergence, iterations run.
"""
import time

import numpy as np
import sklearn
from sklearn.manifold import TSNE

from peer_cli import parse_args, write_result

args = parse_args("--n-jobs")

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
write_result(
    args.output,
    y,
    seconds,
    kl_divergence=float(model.kl_divergence_),
    n_iter=int(model.n_iter_),
    sklearn=sklearn.__version__,
)
