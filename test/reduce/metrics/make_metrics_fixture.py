"""Generates metrics-fixture.json: scikit-learn reference values for the quality metrics.

Run once with Debian's Python (scikit-learn 1.2.1):  /usr/bin/python3 test/reduce/metrics/make_metrics_fixture.py
Data are rounded to float32 so the TypeScript side sees exactly the same numbers.
"""
import json
import os

import numpy as np
from sklearn.manifold import trustworthiness
from sklearn.neighbors import NearestNeighbors


def knn_sets(x, k):
    # k + 1 neighbours then drop self (the data has no duplicate points).
    ind = NearestNeighbors(n_neighbors=k + 1).fit(x).kneighbors(x, return_distance=False)
    return ind[:, 1:]


def knn_preservation(high, low, k):
    h, l = knn_sets(high, k), knn_sets(low, k)
    return float(np.mean([len(set(a) & set(b)) / k for a, b in zip(h, l)]))


def knn_label_accuracy(low, labels, k):
    ind = knn_sets(low, k)
    pred = [np.argmax(np.bincount(labels[row], minlength=labels.max() + 1)) for row in ind]
    return float(np.mean(np.array(pred) == labels))


def case(name, high, low, labels, ks):
    high = high.astype(np.float32).astype(np.float64)
    low = low.astype(np.float32).astype(np.float64)
    out = {
        "name": name,
        "n": high.shape[0],
        "d": high.shape[1],
        "dims": low.shape[1],
        "high": high.ravel().tolist(),
        "low": low.ravel().tolist(),
        "labels": labels.tolist(),
        "values": [],
    }
    for k in ks:
        out["values"].append(
            {
                "k": k,
                "trustworthiness": float(trustworthiness(high, low, n_neighbors=k)),
                "knnPreservation": knn_preservation(high, low, k),
                "knnLabelAccuracy": knn_label_accuracy(low, labels, k),
            }
        )
    return out


rng = np.random.default_rng(20261128)
cases = []
# Random data, random linear 2-D map plus noise: mediocre trustworthiness.
x = rng.normal(size=(80, 6))
y = x @ rng.normal(size=(6, 2)) + 0.5 * rng.normal(size=(80, 2))
cases.append(case("random-linear-2d", x, y, rng.integers(0, 3, size=80), [1, 5, 10]))
# Clusters in 10-D, map = first three coordinates plus noise.
centres = rng.normal(scale=4, size=(4, 10))
lab = np.arange(150) % 4
x = centres[lab] + rng.normal(size=(150, 10))
y = x[:, :3] + 0.3 * rng.normal(size=(150, 3))
cases.append(case("clusters-3d", x, y, lab, [5, 10, 20]))
# Map unrelated to the data (low trustworthiness).
x = rng.normal(size=(60, 4))
y = rng.normal(size=(60, 2))
cases.append(case("unrelated-2d", x, y, rng.integers(0, 2, size=60), [3, 10]))

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "metrics-fixture.json")
with open(path, "w") as f:
    json.dump({"generator": "make_metrics_fixture.py", "sklearn": __import__("sklearn").__version__, "cases": cases}, f)
print("wrote", path)
