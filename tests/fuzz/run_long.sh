#!/bin/bash
# Long fuzzing runs of every target, one after the other (or only those named), each for SECONDS
# (default 600), in a build directory configured with -DRCSIM_FUZZ=ON (see tests/fuzz/README.md).
# Findings land in BUILD/tests/fuzz/long/<target>/artifacts; the grown corpus in .../corpus.
# Usage: tests/fuzz/run_long.sh BUILD_DIR [SECONDS] [TARGET...]
set -uo pipefail
BUILD=$1
SECS=${2:-600}
shift $(($# >= 2 ? 2 : 1))
HERE=$(cd "$(dirname "$0")" && pwd)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for d in "$HERE"/corpus/*/; do targets+=("$(basename "$d")"); done
fi
status=0
for t in "${targets[@]}"; do
  bin="$BUILD/tests/fuzz/fuzz_$t"
  [ -x "$bin" ] || { echo "skip $t: $bin not built (cmake --build $BUILD --target fuzz_all)"; continue; }
  echo "== $t ($SECS s)"
  bash "$HERE/run_fuzz.sh" "$bin" "$HERE/corpus/$t" "$BUILD/tests/fuzz/long/$t" "$SECS" 2>&1 |
    grep -E "^(#[0-9]+ +DONE|stat::|==[0-9]+==ERROR|SUMMARY|INFO: Loaded)" || true
  [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "FINDING in $t: see $BUILD/tests/fuzz/long/$t/artifacts"; status=1; }
done
exit $status
