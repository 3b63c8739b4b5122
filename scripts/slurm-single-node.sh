#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, from Debian's packages, for
# the cluster integration test (tests/cluster/slurm.sh) and for trying
# `itinera plan --parts-to DIR --emit slurm` by hand.
#
#   bash scripts/slurm-single-node.sh start   # install if missing, configure, start
#   bash scripts/slurm-single-node.sh status  # sinfo
#   bash scripts/slurm-single-node.sh stop    # stop the daemons it started
#
# It installs munge, slurmctld and slurmd when they are missing (apt-get,
# as root or through sudo), writes /etc/slurm/slurm.conf for this host (all
# its cores, 90 % of its memory, one partition), creates a munge key when
# there is none, and starts munged, slurmctld and slurmd as daemons (the
# packages' own mode; no systemd needed, so it works in a container). It
# uses no cgroups (proctrack/linuxproc, task/none) and no accounting
# database. Meant for a test machine: it overwrites slurm.conf.
set -euo pipefail

STATE=/var/lib/itinera-slurm   # pids and logs of the daemons it started
CONF=/etc/slurm/slurm.conf

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install() {
  # Each daemon by its own binary: a machine may have one package and not
  # the others (slurm-client alone gives sinfo but no slurmctld).
  local missing=()
  command -v munged >/dev/null 2>&1 || missing+=(munge)
  command -v slurmctld >/dev/null 2>&1 || missing+=(slurmctld)
  command -v slurmd >/dev/null 2>&1 || missing+=(slurmd)
  command -v sbatch >/dev/null 2>&1 || missing+=(slurm-client)
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "slurm-single-node: installing ${missing[*]}" >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || { as_root apt-get update -qq >/dev/null && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
  fi
  for b in munged slurmctld slurmd sbatch; do
    command -v "$b" >/dev/null 2>&1 || { echo "slurm-single-node: $b is still missing after installing" >&2; exit 1; }
  done
}

configure() {
  local host cpus mem
  host=$(hostname -s)
  cpus=$(nproc)
  mem=$(awk '/MemTotal/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)
  as_root mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm "$STATE"
  as_root tee "$CONF" >/dev/null <<EOF
# Written by itinera's scripts/slurm-single-node.sh: one node, one partition.
ClusterName=itinera-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=1024
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$STATE/slurmctld.log
SlurmdLogFile=$STATE/slurmd.log
SlurmctldTimeout=30
SlurmdTimeout=30
MinJobAge=300
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=main Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
  # munge: a key readable by the munge user only, and its runtime folders.
  as_root mkdir -p /etc/munge /run/munge /var/lib/munge /var/log/munge
  if [ ! -s /etc/munge/munge.key ]; then
    as_root dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  fi
  if id munge >/dev/null 2>&1; then
    as_root chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge
  fi
  as_root chmod 0700 /etc/munge
  as_root chmod 0400 /etc/munge/munge.key
  as_root chmod 0755 /run/munge
}

running() { [ -f "$STATE/$1.pid" ] && kill -0 "$(cat "$STATE/$1.pid")" 2>/dev/null; }

start() {
  install
  configure
  if ! pgrep -x munged >/dev/null; then
    if id munge >/dev/null 2>&1; then
      as_root runuser -u munge -- munged
    else
      as_root munged --force
    fi
  fi
  running slurmctld || as_root slurmctld
  running slurmd || as_root slurmd
  # Ready when the node takes jobs (idle), at most a minute.
  local host; host=$(hostname -s)
  for _ in $(seq 60); do
    state=$(sinfo -h -n "$host" -o %t 2>/dev/null || true)
    case "$state" in
      idle*|mix*|alloc*) echo "slurm-single-node: $host $state, $(nproc) CPUs" >&2; return 0 ;;
      down*|drain*) as_root scontrol update nodename="$host" state=resume >/dev/null 2>&1 || true ;;
    esac
    sleep 1
  done
  echo "slurm-single-node: the node did not become idle; logs in $STATE" >&2
  tail -n 20 "$STATE"/*.log >&2 || true
  exit 1
}

stop() {
  for d in slurmd slurmctld; do
    if running "$d"; then as_root kill "$(cat "$STATE/$d.pid")" || true; fi
  done
  sleep 1
  as_root pkill -x munged 2>/dev/null || true
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) sinfo ;;
  *) echo "usage: $0 start|status|stop" >&2; exit 2 ;;
esac
