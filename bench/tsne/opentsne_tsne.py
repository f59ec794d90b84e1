"""openTSNE (Policar et al. 2024) on a feature matrix: a peer of bench/tsne/run.ts.

    /usr/bin/python3 bench/tsne/opentsne_tsne.py --input X.npy --output Y.npy [--dims 2] [--perplexity 30]
        [--seed 0] [--threads 2]

Uses the build of bench/peers/build.sh with openTSNE's defaults: 250 iterations with early
exaggeration 12 then 500, learning rate 'auto' (N / exaggeration), PCA initialisation, Annoy kNN,
FFT interpolation in 2D (Barnes-Hut in 3D, which its FFT does not cover). Prints one JSON line: seconds
of the fit (loading excluded). Exit code 3 when the peer is not built.
"""
import os
import sys
import time

import numpy as np

from peer_cli import parse_args, write_result

PEER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".cache", "peers", "openTSNE")
sys.path.insert(0, PEER)
try:
    from openTSNE import TSNE
except ImportError:
    print("openTSNE is not built: run bench/peers/build.sh", file=sys.stderr)
    sys.exit(3)

args = parse_args()

x = np.load(args.input).astype(np.float64)
model = TSNE(
    n_components=args.dims,
    perplexity=args.perplexity,
    n_jobs=args.threads,
    random_state=args.seed,
    negative_gradient_method="fft" if args.dims <= 2 else "bh",
)
start = time.perf_counter()
y = model.fit(x)
seconds = time.perf_counter() - start
write_result(args.output, y, seconds, n_iter=750)
