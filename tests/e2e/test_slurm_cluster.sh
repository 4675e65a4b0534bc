#!/bin/bash
# A sweep's `--emit-slurm` job array on a real Slurm: a single-node cluster on localhost from
# Debian's slurm-wlm and munge (munged, slurmctld and slurmd with a generated slurm.conf, all
# state in WORKDIR), sbatch, wait, `rcsim merge`, and the merged CSV equal to a local
# `rcsim sweep` of the same spec row for row. docs/sweeps.md ("On a Slurm cluster") walks
# through the same commands.
# Usage: test_slurm_cluster.sh RCSIM WORKDIR. Exit 77 (skipped) only when daemons cannot be
# started: neither root nor password-less sudo.
set -euo pipefail
RCSIM=$(realpath "$1")
WORK=$2
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo > /dev/null && sudo -n true 2> /dev/null; then
    exec sudo -n -E bash "$0" "$@"
  fi
  echo "SKIP: starting slurmctld/slurmd/munged needs root or password-less sudo"
  exit 77
fi
for tool in munged slurmctld slurmd sbatch squeue scontrol; do
  command -v "$tool" > /dev/null || { echo "FAIL: $tool not found (apt-get install slurm-wlm munge; .ci/install-deps.sh)"; exit 1; }
done
rm -rf "$WORK" && mkdir -p "$WORK" && WORK=$(realpath "$WORK") && cd "$WORK"
mkdir -p munge state spool log && chmod 700 munge

cleanup() {
  set +e
  [ -f slurm.conf ] && SLURM_CONF=$WORK/slurm.conf scancel --quiet --full "${JOB:-0}" 2> /dev/null
  for p in slurmd.pid slurmctld.pid; do [ -f "$p" ] && kill "$(cat "$p")" 2> /dev/null; done
  [ -S munge/munge.socket ] && munged --stop --socket="$WORK/munge/munge.socket" > /dev/null 2>&1
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  for f in log/*.log *.slurm-*.log; do [ -f "$f" ] && { echo "--- $f"; tail -n 15 "$f"; }; done
  exit 1
}

# 1. munge: a fresh key and a private socket (no system-wide munged needed).
dd if=/dev/urandom of=munge/munge.key bs=1024 count=1 status=none && chmod 400 munge/munge.key
munged --force --socket="$WORK/munge/munge.socket" --key-file="$WORK/munge/munge.key" \
  --pid-file="$WORK/munge/munged.pid" --log-file="$WORK/log/munged.log" --seed-file="$WORK/munge/seed"

# 2. slurm.conf: this host as controller and only node, with its CPUs; ports picked at random so
# that two runs on one machine do not collide.
HOST=$(hostname -s)
PORT=$((20000 + RANDOM % 20000))
cat > slurm.conf <<CONF
ClusterName=rcsimtest
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$WORK/munge/munge.socket
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/log/slurmctld.log
SlurmdLogFile=$WORK/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=rcsim Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$WORK/slurm.conf

# 3. The daemons (-i: ignore state of a previous cluster).
slurmctld -f "$SLURM_CONF" -i || fail "slurmctld did not start"
slurmd -f "$SLURM_CONF" || fail "slurmd did not start"
for _ in $(seq 1 60); do
  sinfo -h -o %t 2> /dev/null | grep -qx idle && break
  sleep 0.5
done
sinfo -h -o %t | grep -qx idle || fail "the node did not become idle: $(sinfo 2>&1)"

# 4. The sweep: 6 points in 3 array tasks of 1 CPU each.
cat > spec.yaml <<'YAML'
name: slurm_check
base: {network: mnist_lenet}
grid: {width: [1, 2, 4], array: [8x8, 16x16]}
YAML
# --accuracy-images travels into the tasks' command (the accuracy over 500 test images, not all).
"$RCSIM" sweep --spec spec.yaml --out "$WORK/results.csv" --jobs 1 --accuracy-images 500 --tasks 3 \
  --emit-slurm sweep.sbatch > /dev/null
JOB=$(sbatch --parsable sweep.sbatch) || fail "sbatch failed"
JOB=${JOB%%;*}
echo "submitted array job $JOB ($SECONDS s after start)"
for _ in $(seq 1 240); do
  [ -z "$(squeue -h -j "$JOB" 2> /dev/null)" ] && break
  sleep 0.25
done
[ -z "$(squeue -h -j "$JOB")" ] || fail "job $JOB still queued or running: $(squeue -j "$JOB")"
states=$(scontrol show job "$JOB" | grep -o 'JobState=[A-Z_]*' | sort | uniq -c)
echo "$states"; echo "array job finished after $SECONDS s"
[ "$(scontrol show job "$JOB" | grep -c 'JobState=COMPLETED')" -eq 3 ] || fail "not every array task completed"

# 5. Merge the shards and compare with a local run of the same spec.
"$RCSIM" merge --out merged.csv results.shard*.csv > /dev/null
"$RCSIM" sweep --spec spec.yaml --out local.csv --jobs 2 --accuracy-images 500 > /dev/null
cmp local.csv merged.csv || { diff local.csv merged.csv | head; fail "merged Slurm CSV differs from the local sweep"; }
[ "$(tail -n +2 merged.csv | wc -l)" -eq 6 ] || fail "expected 6 rows"
[ "$(ls results.shard*.csv | wc -l)" -eq 3 ] || fail "expected 3 shard CSVs"
echo "PASS ($SECONDS s): 3 Slurm array tasks, merged 6 rows identical to the local sweep"
