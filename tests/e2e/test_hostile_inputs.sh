#!/bin/bash
# The hostile-input corpus through the CLI: every case must end with exit code 2, exactly one line
# on stderr starting "rcsim: error: ", no signal, within a time bound and under a virtual-memory
# cap (ulimit -v). Prints one line per failing case and a tally:
#   tried N, clean errors N, crashes (signal) N, hangs (timeout) N, OOM N, other (wrong exit/output) N
# Usage: test_hostile_inputs.sh RCSIM WORKDIR [GROUP] [TIME_LIMIT_S] [VMEM_LIMIT_KIB]
# GROUP: files, yaml, sizes, values, cli, outputs, or all (default); ctest runs the groups as
# separate tests so each stays well under a minute on a loaded machine.
set -uo pipefail
RCSIM=$1
WORK=$2
GROUP=${3:-all}
TLIM=${4:-120}  # seconds per case: generous, a loaded 2-core CI machine is 5-10x slower than a quiet one
VLIM=${5:-4194304}  # 4 GiB of address space: far below what any blow-up case used to take
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK" || exit 1
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
tried=0 clean=0 crash=0 hang=0 oom=0 other=0

# hostile NAME EXPECTED_SUBSTRING COMMAND... : runs COMMAND (stdout to out.txt unless the command
# redirects itself via `sh -c`).
section=""
in_group() { [ "$GROUP" = all ] || [ "$GROUP" = "$section" ]; }
hostile() {
  local name=$1 want=$2; shift 2
  in_group || return 0
  tried=$((tried + 1))
  local t0=$SECONDS
  ( ulimit -v "$VLIM"; exec timeout -s KILL "$TLIM" "$@" ) > out.txt 2> err.txt
  local rc=$?
  echo "$((SECONDS - t0)) s: $name" >> times.txt
  local lines
  lines=$(wc -l < err.txt)
  if [ $rc -eq 137 ] && ! grep -q . err.txt; then
    hang=$((hang + 1)); echo "HANG ($TLIM s): $name"
  elif [ $rc -gt 128 ]; then
    crash=$((crash + 1)); echo "CRASH (signal $((rc - 128))): $name"; head -c 300 err.txt
  elif grep -qiE "bad_alloc|memory exhausted|cannot allocate" err.txt; then
    oom=$((oom + 1)); echo "OOM: $name"; head -c 300 err.txt
  elif [ $rc -ne 2 ] || [ "$lines" -ne 1 ] || ! grep -q '^rcsim: error: ' err.txt || ! grep -qF -- "$want" err.txt; then
    other=$((other + 1)); echo "WRONG (rc=$rc, $lines stderr lines, want '$want'): $name"; head -c 400 err.txt
  else
    clean=$((clean + 1))
  fi
}

SRC_NET='name: n
input: {channels: 1, height: 28, width: 28}
width_groups: 4
layers:
  - {name: conv1, type: conv, out_channels: 20, kernel: 5}
  - {name: fc1, type: fc, out_features: 10}'

section=files
# --- Files that are not regular files, or too big ------------------------------------------
hostile "net /dev/zero" "not a regular file" "$RCSIM" info --net /dev/zero
hostile "arch /dev/zero" "not a regular file" "$RCSIM" run --arch /dev/zero --weights random
hostile "arch /tmp (directory)" "Is a directory" "$RCSIM" run --arch /tmp --weights random
hostile "tech /dev/zero" "not a regular file" "$RCSIM" energy --tech /dev/zero
hostile "--set technology=/dev/zero" "not a regular file" "$RCSIM" run --set technology=/dev/zero --weights random
mkfifo fifo.yaml
hostile "net FIFO" "not a regular file" "$RCSIM" info --net fifo.yaml
hostile "sweep spec /dev/urandom" "not a regular file" "$RCSIM" sweep --spec /dev/urandom --out s.csv
truncate -s 100M big.yaml
hostile "net 100 MB sparse file" "MiB this reader accepts" "$RCSIM" info --net big.yaml
hostile "merge /dev/zero" "not a regular file" "$RCSIM" merge /dev/zero --out m.csv
printf 'width,cycles,latency_s,energy_j,avg_power_w,accuracy\n1,10,1e-6,1e-6,1,0.9\n' > table.csv
hostile "governor trace /dev/zero" "not a regular file" "$RCSIM" governor --table table.csv --trace /dev/zero

section=yaml
# --- YAML that yaml-cpp would throw on, duplicate keys, alias bombs ------------------------
printf '%s\n{a: 1}: 2\n' "$SRC_NET" > mapkey.yaml
hostile "map used as a key" "plain word" "$RCSIM" info --net mapkey.yaml
printf '5\n' > scalar.yaml
hostile "arch root scalar + --set" "expected a map" "$RCSIM" run --arch scalar.yaml --set array.rows=4 --weights random
printf 'name: a\narray: 5\n' > arrscalar.yaml
hostile "arch array: scalar + --set" "expected a map" "$RCSIM" run --arch arrscalar.yaml --set array.rows=4 --weights random
printf 'name: a\nname: b\n' > dup_arch.yaml
hostile "duplicate key (arch)" "duplicate key" "$RCSIM" run --arch dup_arch.yaml --weights random
printf '%s\nwidth_groups: 2\n' "$SRC_NET" > dup_net.yaml
hostile "duplicate key (network)" "duplicate key" "$RCSIM" info --net dup_net.yaml
{ echo "node: x"; echo "node: y"; } > dup_tech.yaml
hostile "duplicate key (energy)" "duplicate key" "$RCSIM" energy --tech dup_tech.yaml
printf 'name: s\nname: t\npoints:\n  - {network: mnist_lenet, width: 1}\n' > dup_spec.yaml
hostile "duplicate key (sweep spec)" "duplicate key" "$RCSIM" sweep --spec dup_spec.yaml --out s.csv --evaluator sleep:0
{
  echo "a: &a [x, x, x, x, x, x, x, x, x, x]"
  prev=a
  for i in b c d e f g h i j; do echo "$i: &$i [*$prev, *$prev, *$prev, *$prev, *$prev, *$prev, *$prev, *$prev, *$prev, *$prev]"; prev=$i; done
} > laughs.yaml
hostile "billion laughs (network)" "YAML nodes" "$RCSIM" info --net laughs.yaml
printf 'name: [unclosed\n' > malformed.yaml
hostile "malformed YAML" "malformed YAML" "$RCSIM" info --net malformed.yaml

section=sizes
# --- Sizes and counts -------------------------------------------------------------------------
in_group && python3 - <<'PY'
with open("many_layers.yaml", "w") as f:
    f.write("name: many\ninput: {channels: 1, height: 4, width: 4}\nwidth_groups: 1\nlayers:\n")
    for i in range(99998):
        f.write("  - {name: a%d, type: relu}\n" % i)
    f.write("  - {name: a5, type: fc, out_features: 10}\n")  # duplicate name, found after 10^5 layers
PY
hostile "100 000 layers, duplicate name" "duplicate layer name" "$RCSIM" info --net many_layers.yaml
printf 'name: big\ninput: {channels: 1024, height: 1024, width: 1024}\nwidth_groups: 1\nlayers:\n  - {name: f, type: fc, out_features: 10}\n' > fc_huge.yaml
hostile "fc with 2^30 inputs (10^10 weights)" "larger than rcsim supports" "$RCSIM" info --net fc_huge.yaml
printf 'name: big\ninput: {channels: 65536, height: 1, width: 1}\nwidth_groups: 1\nlayers:\n  - {name: c, type: conv, out_channels: 65536, kernel: 1}\n  - {name: f, type: fc, out_features: 10}\n' > conv_huge.yaml
hostile "conv with 2^32 weights" "more than rcsim supports" "$RCSIM" info --net conv_huge.yaml
printf 'name: g\nbase: {network: mnist_lenet}\ngrid:\n  width: [1, 2, 3, 4]\n  set.array.rows: [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]\n  set.array.cols: [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]\n  set.clock_hz: [1e8,2e8,3e8,4e8,5e8,6e8,7e8,8e8,9e8,1e9]\n  set.dram.latency_cycles: [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]\n  set.weight_sram.banks: [4,8,12,16,20,24,28,32,36,40,44,48,52,56,60,64,68,72,76,80]\n  set.dram.bandwidth_bytes_per_cycle: [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]\n' > huge_grid.yaml
hostile "sweep grid of 10^9 points" "--max-points" "$RCSIM" sweep --spec huge_grid.yaml --out s.csv --evaluator sleep:0
if in_group; then
  # A valid IDX header (60000 28x28 images) followed by 100 MB of zeros: 0.1 MB of gzip.
  { printf '\x00\x00\x08\x03\x00\x00\xea\x60\x00\x00\x00\x1c\x00\x00\x00\x1c'; head -c 100000000 /dev/zero; } | gzip -1 > bomb.gz
  mkdir -p fm/fashion-mnist
  for f in train-images-idx3-ubyte t10k-images-idx3-ubyte train-labels-idx1-ubyte t10k-labels-idx1-ubyte; do
    cp bomb.gz "fm/fashion-mnist/$f.gz"
  done
fi
hostile "gzip bomb (Fashion-MNIST)" "IDX data has" "$RCSIM" run --dataset fashion-mnist --data-dir fm/fashion-mnist --net mnist_lenet --weights random --images 1

section=values
# --- Values out of range ----------------------------------------------------------------------
hostile "--width -1" "width -1 is out of range" "$RCSIM" run --width -1 --weights random
hostile "--width 0" "width 0 is out of range" "$RCSIM" run --width 0 --weights random
hostile "clock_hz=1e-300" "clock_hz" "$RCSIM" run --set clock_hz=1e-300 --weights random
hostile "clock_hz=nan" "clock_hz" "$RCSIM" run --set clock_hz=nan --weights random
hostile "size_bytes=1e30" "size_bytes" "$RCSIM" run --set weight_sram.size_bytes=1e30 --weights random
hostile "dram bandwidth 1e-300" "bandwidth_bytes_per_cycle" "$RCSIM" run --set dram.bandwidth_bytes_per_cycle=1e-300 --weights random
in_group && "$RCSIM" energy --dump > tech.yaml 2> /dev/null
in_group && sed 's/mac_int8_pj: {value: [0-9.e+-]*/mac_int8_pj: {value: 1e308/' tech.yaml > tech_huge.yaml
hostile "energy entry 1e308" "implausibly large" "$RCSIM" run --set technology="$WORK/tech_huge.yaml" --weights random
if in_group && "$RCSIM" cosim --help > /dev/null 2>&1 && "$RCSIM" cosim --net mnist_lenet --weights random --width 1 --images 1 > /dev/null 2>&1; then
  hostile "cosim --inject-fault out of range" "never fired" "$RCSIM" cosim --net mnist_lenet --weights random --width 1 --images 1 --inject-fault 99999999999:1:1
  hostile "cosim --inject-fault column" "outside the" "$RCSIM" cosim --net mnist_lenet --weights random --width 1 --images 1 --inject-fault 1:1:99
fi

section=cli
# --- Command-line usage errors (CLI11) --------------------------------------------------------
hostile "unknown option" "--bogus" "$RCSIM" run --bogus
hostile "non-numeric --width" "--width" "$RCSIM" run --width abc
hostile "no subcommand" "subcommand" "$RCSIM"
hostile "unknown subcommand" "subcommand" "$RCSIM" nosuchcmd
hostile "missing option value" "--net" "$RCSIM" run --net

section=sizes
# --- Datasets with an empty test split --------------------------------------------------------
mkdir -p cifar
: > cifar/test_batch.bin
for i in 1 2 3 4 5; do : > "cifar/data_batch_$i.bin"; done
hostile "CIFAR-10 with 0 test images" "test_batch.bin" "$RCSIM" run --net cifar10_quick --dataset cifar10 --data-dir cifar --weights random --images 1

section=outputs
# --- Outputs -----------------------------------------------------------------------------------
hostile "report --out read-only (/proc)" "/proc/rcsim" "$RCSIM" report --out /proc/rcsim --no-plot
hostile "run --json into a full disk" "standard output" sh -c "exec \"$RCSIM\" run --weights random --json > /dev/full"
hostile "info into a full disk" "standard output" sh -c "exec \"$RCSIM\" info > /dev/full"
hostile "energy --json into a full disk" "standard output" sh -c "exec \"$RCSIM\" energy --json > /dev/full"
mkfifo vcd_fifo
hostile "--vcd onto a FIFO" "not a regular file" "$RCSIM" run --weights random --set array.rows=4 --set array.cols=4 --vcd vcd_fifo
ln -s /dev/full full_link.csv
printf 'time_s,deadline_s,power_budget_w,min_accuracy\n0,1,,\n' > trace.csv
hostile "governor --out onto a device symlink" "not a regular file" "$RCSIM" governor --table table.csv --trace trace.csv --out /dev/full

section=outputs
# --- Sweep resume with other evaluation options ---------------------------------------------
printf 'name: tiny\npoints:\n  - {network: mnist_lenet, width: 1}\n' > tiny.yaml
in_group && "$RCSIM" sweep --spec tiny.yaml --out fast.csv --no-accuracy > /dev/null 2>&1
hostile "resume with another --mode" "mode fast" "$RCSIM" sweep --spec tiny.yaml --out fast.csv --no-accuracy --mode per-cycle

# --- Full disk: RLIMIT_FSIZE makes write() fail (EFBIG) like ENOSPC; nothing may be left under
# the target name or as a temp file -------------------------------------------------------------
section=outputs
# left_behind PATH...: the case fails if any of the paths exists.
left_behind() {
  in_group || return 0
  for p in "$@"; do
    if [ -e "$p" ]; then other=$((other + 1)); clean=$((clean - 1)); echo "LEFT BEHIND: $p"; fi
  done
}
# unchanged PATH SUM: the case fails unless PATH still has checksum SUM (an earlier good output
# must survive a failed rewrite) and no temporary file is left beside it.
unchanged() {
  in_group || return 0
  if [ "$( [ -e "$1" ] && md5sum < "$1")" != "$2" ]; then other=$((other + 1)); clean=$((clean - 1)); echo "REPLACED OR LOST: $1"; fi
  left_behind "$1.tmp" "$1.partial"
}
big_trace() { for i in $(seq 0 2000); do echo "$i,1,,"; done; }
if in_group; then { echo 'time_s,deadline_s,power_budget_w,min_accuracy'; big_trace; } > big_trace.csv; fi
hostile "governor --out on a full disk" "File too large" bash -c "ulimit -f 8; trap '' XFSZ; exec \"$RCSIM\" governor --table table.csv --trace big_trace.csv --out full.csv"
left_behind full.csv full.csv.tmp
in_group && printf 'name: g\nbase: {network: mnist_lenet}\ngrid:\n  width: [1, 2, 3, 4]\n  set.array.rows: [%s]\n' "$(seq -s, 1 50)" > grid200.yaml
hostile "sweep on a full disk" "journal write failed" bash -c "ulimit -f 4; trap '' XFSZ; exec \"$RCSIM\" sweep --spec grid200.yaml --out full_sweep.csv --evaluator sleep:0 --no-accuracy --jobs 1"
left_behind full_sweep.csv full_sweep.csv.tmp
hostile "run --vcd on a full disk" "VCD" bash -c "ulimit -f 64; trap '' XFSZ; exec \"$RCSIM\" run --weights random --set array.rows=4 --set array.cols=4 --vcd full.vcd"
left_behind full.vcd full.vcd.partial
if in_group; then "$RCSIM" run --weights random --set array.rows=4 --set array.cols=4 --vcd good.vcd > /dev/null 2>&1; fi
good_vcd=$(md5sum < good.vcd 2>/dev/null)
hostile "run --vcd over a good VCD on a full disk" "VCD" bash -c "ulimit -f 64; trap '' XFSZ; exec \"$RCSIM\" run --weights random --set array.rows=4 --set array.cols=4 --vcd good.vcd"
unchanged good.vcd "$good_vcd"
if in_group && command -v gnuplot > /dev/null; then
  # Room for the tables (a few KiB), not for the plots: gnuplot exits 0 with a truncated image.
  hostile "report plots on a full disk" "rep_full/mnist_lenet-energy" bash -c "ulimit -f 12; trap '' XFSZ; exec \"$RCSIM\" report --out rep_full"
  for f in rep_full/*.png rep_full/*.svg; do
    [ -e "$f" ] || continue
    tail -c 200 "$f" | grep -qaE 'IEND|</svg>' || left_behind "$f"
  done
  left_behind rep_full/*.tmp
  # A complete earlier report's images are kept when the new ones cannot be written whole.
  "$RCSIM" report --out rep_keep > /dev/null 2>&1
  png_sum=$(md5sum < rep_keep/mnist_lenet-energy.png 2>/dev/null) svg_sum=$(md5sum < rep_keep/mnist_lenet-energy.svg 2>/dev/null)
  hostile "report over earlier plots on a full disk" "rep_keep/mnist_lenet-energy" bash -c "ulimit -f 12; trap '' XFSZ; exec \"$RCSIM\" report --out rep_keep"
  unchanged rep_keep/mnist_lenet-energy.png "$png_sum"
  unchanged rep_keep/mnist_lenet-energy.svg "$svg_sum"
fi

# --- Not errors: a non-UTF-8 byte in an arch name went through a sweep worker's JSON ----------
if in_group; then
  tried=$((tried + 1))
  printf 'name: caf\xe9\n' > latin1_arch.yaml
  printf 'name: u\npoints:\n  - {network: mnist_lenet, width: 1, arch: latin1_arch.yaml}\n' > latin1_spec.yaml
  if ( ulimit -v "$VLIM"; timeout -s KILL 120 "$RCSIM" sweep --spec latin1_spec.yaml --out latin1.csv --no-accuracy --jobs 1 ) > out.txt 2> err.txt &&
     grep -q ',ok,' latin1.csv; then
    clean=$((clean + 1))
  else
    other=$((other + 1)); echo "WRONG: non-UTF-8 arch name through a sweep worker"; head -c 400 err.txt; head -3 latin1.csv 2>/dev/null
  fi
fi

echo "group $GROUP: tried $tried, clean errors $clean, crashes (signal) $crash, hangs (timeout) $hang, OOM $oom, other (wrong exit/output) $other"
[ $((crash + hang + oom + other)) -eq 0 ]
