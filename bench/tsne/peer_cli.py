"""What every Python t-SNE peer of bench/tsne/run.ts shares: its command line and its result.

A peer reads --input X.npy, writes --output Y.npy (float32) and prints one JSON line whose
"seconds" is the fit time, loading excluded.
"""
import argparse
import json

import numpy as np


def parse_args(threads_flag="--threads"):
    """--input, --output, --dims, --perplexity, --seed and the thread count under `threads_flag`."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--input", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--dims", type=int, default=2)
    parser.add_argument("--perplexity", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(threads_flag, type=int, default=2)
    return parser.parse_args()


def write_result(output, y, seconds, **extra):
    """Saves the map as float32 and prints the JSON line run.ts reads."""
    np.save(output, np.asarray(y).astype(np.float32))
    print(json.dumps({"seconds": seconds, **extra}))
