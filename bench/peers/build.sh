#!/usr/bin/env bash
# Builds the t-SNE peers of bench/tsne/run.ts (`--peers fitsne,opentsne`) from their public sources into
# bench/.cache/peers/ (git-ignored; none of their code is part of featscope):
#   FIt-SNE  (Linderman et al. 2019), the C++ program bin/fast_tsne and its Python wrapper fast_tsne.py;
#   openTSNE (Policar et al. 2024), its Cython extensions built in place (with FFTW when present).
#
#   bench/peers/build.sh [FITSNE_SOURCE] [OPENTSNE_SOURCE]
#
# Each source is a git URL or a local git repository (a clone or a bare mirror); the defaults are the
# projects' GitHub repositories. Needs g++, Debian's libfftw3-dev (FIt-SNE), cython3, python3-numpy and
# python3-scipy (openTSNE). Run it again to rebuild from the newest sources.
set -euo pipefail

FITSNE_SOURCE=${1:-https://github.com/KlugerLab/FIt-SNE}
OPENTSNE_SOURCE=${2:-https://github.com/pavlin-policar/openTSNE}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PEERS="$ROOT/bench/.cache/peers"
PYTHON=/usr/bin/python3
mkdir -p "$PEERS"

# A fresh checkout of the newest commit of $1 into $2.
checkout() {
  rm -rf "$2"
  git clone --quiet --depth 1 "$( [ -d "$1" ] && echo "file://$(cd "$1" && pwd)" || echo "$1" )" "$2"
  echo "$(basename "$2"): $(git -C "$2" log -1 --format='%h %cs')"
}

missing=()
command -v g++ >/dev/null || missing+=(g++)
[ -f /usr/include/fftw3.h ] || missing+=(libfftw3-dev)
$PYTHON -c 'import Cython' 2>/dev/null || missing+=(cython3)
$PYTHON -c 'import numpy, scipy' 2>/dev/null || missing+=(python3-numpy python3-scipy)
if [ ${#missing[@]} -gt 0 ]; then
  echo "bench/peers/build.sh: missing ${missing[*]}; install with: apt-get install -y ${missing[*]}" >&2
  exit 1
fi

# FIt-SNE: one g++ line, as its README gives it (plus -march=native, as a user tuning it would).
checkout "$FITSNE_SOURCE" "$PEERS/FIt-SNE"
mkdir -p "$PEERS/FIt-SNE/bin"
(cd "$PEERS/FIt-SNE" && g++ -std=c++11 -O3 -march=native src/sptree.cpp src/tsne.cpp src/nbodyfft.cpp \
  -o bin/fast_tsne -pthread -lfftw3 -lm -Wno-address-of-packed-member)
echo "FIt-SNE: $PEERS/FIt-SNE/bin/fast_tsne"

# openTSNE: its setup.py builds the Cython extensions in place (FFTW used when fftw3.h is found).
checkout "$OPENTSNE_SOURCE" "$PEERS/openTSNE"
(cd "$PEERS/openTSNE" && $PYTHON setup.py build_ext --inplace >build.log 2>&1) || {
  tail -20 "$PEERS/openTSNE/build.log" >&2
  exit 1
}
PYTHONPATH="$PEERS/openTSNE" $PYTHON -c 'import openTSNE; print("openTSNE:", openTSNE.__version__)'
