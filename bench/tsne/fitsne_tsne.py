"""FIt-SNE (Linderman et al. 2019) on a feature matrix: a peer of bench/tsne/run.ts.

    /usr/bin/python3 bench/tsne/fitsne_tsne.py --input X.npy --output Y.npy [--dims 2] [--perplexity 30]
        [--seed 0] [--threads 2]

Runs the program built by bench/peers/build.sh through its own Python wrapper (fast_tsne.py) with its
defaults: 750 iterations (250 with early exaggeration 12), learning rate max(200, N / 12), PCA
initialisation, Annoy kNN, FFT interpolation in 2D (Barnes-Hut in 3D, which its FFT does not cover).
The wrapper writes its data files into the working directory. Prints one JSON line: seconds of the
fit (loading excluded). Exit code 3 when the peer is not built.
"""
import os
import sys
import time

import numpy as np

from peer_cli import parse_args, write_result

PEER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".cache", "peers", "FIt-SNE")
if not os.path.exists(os.path.join(PEER, "bin", "fast_tsne")):
    print("FIt-SNE is not built: run bench/peers/build.sh", file=sys.stderr)
    sys.exit(3)
sys.path.insert(0, PEER)
from fast_tsne import fast_tsne  # noqa: E402

args = parse_args()

x = np.load(args.input).astype(np.float64)
start = time.perf_counter()
y = fast_tsne(
    x,
    map_dims=args.dims,
    perplexity=args.perplexity,
    seed=args.seed,
    nthreads=args.threads,
    nbody_algo="FFT" if args.dims <= 2 else "Barnes-Hut",
    # The wrapper's own default, 3 x perplexity x n_trees, as the whole number its file format needs.
    search_k=int(3 * args.perplexity * 50),
)
seconds = time.perf_counter() - start
write_result(args.output, y, seconds, n_iter=750)
