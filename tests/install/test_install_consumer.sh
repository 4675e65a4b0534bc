#!/bin/bash
# `cmake --install` into a temporary prefix, then use it as a user would: the installed rcsim
# binary, the Python package from <prefix>/lib/python3/dist-packages, and a tiny C++ project
# (consumer/) built with find_package(rcsim) whose SystemC testbench runs a network on the
# accelerator. All three must report the same cycles.
# Usage: test_install_consumer.sh BUILD_DIR SOURCE_DIR WORKDIR PYTHON
set -euo pipefail
BUILD=$1
SRC=$2
WORK=$3
PY=$4
rm -rf "$WORK" && mkdir -p "$WORK"
P=$WORK/prefix
cmake --install "$BUILD" --prefix "$P" > "$WORK/install.log"
for f in bin/rcsim lib/cmake/rcsim/rcsimConfig.cmake include/rcsim/eval/evaluator.h lib/librcsim_accel.a \
         lib/python3/dist-packages/rcsim/__init__.py share/rcsim/weights; do
  [ -e "$P/$f" ] || { echo "FAIL: $f not installed"; exit 1; }
done
ls "$P"/lib/python3/dist-packages/rcsim/_rcsim*.so > /dev/null || { echo "FAIL: the extension is not installed"; exit 1; }
# A build with oneDNN installs its plugin, and the installed rcsim loads that one (not the build tree's).
if [ -e "$BUILD/sim/accel/librcsim_onednn.so" ]; then
  [ -e "$P/lib/rcsim/librcsim_onednn.so" ] || { echo "FAIL: the oneDNN plugin is not installed"; exit 1; }
  loaded=$(SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1 LD_DEBUG=files "$P/bin/rcsim" run --net mnist_lenet --weights random \
           --mode fast 2>&1 >/dev/null | grep -o "file=[^ ]*librcsim_onednn.so" | sort -u)
  [ "$loaded" = "file=$P/lib/rcsim/librcsim_onednn.so" ] ||
    { echo "FAIL: the installed rcsim loaded '$loaded', not $P/lib/rcsim/librcsim_onednn.so"; exit 1; }
fi
[ ! -e "$P/include/rcsim/train" ] || { echo "FAIL: the libtorch trainer's headers were installed"; exit 1; }

export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
cli=$("$P/bin/rcsim" run --net mnist_lenet --weights random --width 2 --images 2 --mode fast --json |
      "$PY" -c 'import json,sys; print(json.load(sys.stdin)["cycles"])')
py=$(PYTHONPATH=$P/lib/python3/dist-packages "$PY" -c \
     'import rcsim; print(rcsim.run("mnist_lenet", width=2, weights="random", images=2)["cycles"])')
# The module must come from the prefix, not from the build tree.
where=$(cd / && PYTHONPATH=$P/lib/python3/dist-packages "$PY" -c 'import rcsim; print(rcsim.__file__)')
case $where in "$P"/*) ;; *) echo "FAIL: imported rcsim from $where"; exit 1 ;; esac
# The trained default weights come from <prefix>/share/rcsim/weights, for the binary and the module.
label=$("$P/bin/rcsim" run --width 1 --mode fast --json | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["weights"])')
case $label in "$P"/share/rcsim/weights/*) ;; *) echo "FAIL: the installed rcsim read weights $label"; exit 1 ;; esac
label=$(cd / && PYTHONPATH=$P/lib/python3/dist-packages "$PY" -c 'import rcsim; print(rcsim.run(width=1)["weights"])')
case $label in "$P"/share/rcsim/weights/*) ;; *) echo "FAIL: the installed module read weights $label"; exit 1 ;; esac

cmake -S "$SRC/tests/install/consumer" -B "$WORK/consumer" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$P" > "$WORK/consumer-configure.log" || { cat "$WORK/consumer-configure.log"; exit 1; }
cmake --build "$WORK/consumer" > "$WORK/consumer-build.log" || { tail -30 "$WORK/consumer-build.log"; exit 1; }
out=$("$WORK/consumer/testbench" fast)
echo "$out"
tb=$(echo "$out" | awk '/^cycles/ {print $2}')
tb_pc=$("$WORK/consumer/testbench" per-cycle | awk '/^cycles/ {print $2}')
echo "cycles: CLI $cli, Python $py, C++ testbench $tb (per-cycle $tb_pc)"
[ "$cli" = "$py" ] && [ "$cli" = "$tb" ] && [ "$cli" = "$tb_pc" ] || { echo "FAIL: cycles differ"; exit 1; }
echo PASS
