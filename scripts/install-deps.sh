#!/usr/bin/env bash
# Installs ClaimBench's system dependencies from Debian, only those missing.
# Idempotent: a second run installs nothing and exits 0.
set -euo pipefail

# libopenblas-dev, liblapacke-dev: BLAS and LAPACK for every experiment (Sources/COpenBLAS).
# gnuplot-nox: the gnuplot program that draws the figures, without X11.
# libgnuplot-iostream-dev: the C++ header Sources/GnuplotStream drives gnuplot through; it pulls
#   in Boost's iostreams, filesystem and system headers. libboost-iostreams-dev is named too
#   because GnuplotStream links libboost_iostreams.
# zlib1g-dev: gzip reading for Sources/ImageDatasets (Sources/CZlib).
# dataset-fashion-mnist: the real images of the sinkhorn image problems and lr-batch's image model.
# slurmctld, slurmd, munge, slurm-client: the single-node Slurm cluster that `make slurm-test`
#   starts (scripts/slurm-local.sh) to run a sharded suite as a job array with a merge job.
# libdnnl-dev: oneDNN, the rnn suite's vendor baseline (Sources/OneDNNRNN links libdnnl).
packages=(libopenblas-dev liblapacke-dev gnuplot-nox libgnuplot-iostream-dev libboost-iostreams-dev zlib1g-dev dataset-fashion-mnist
          libdnnl-dev slurmctld slurmd munge slurm-client)
missing=()
for pkg in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: ${packages[*]} already installed"
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        sudo="sudo"
    else
        echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2
        exit 1
    fi
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
