#!/usr/bin/env bash
# Whole-process throughput of `resihmr fit` against the persons/s that
# `resihmr eval` reports, on the same people, alternating the two so that
# the machine's drift hits both alike (docs/benchmarks.md).
#
#   bash scripts/throughput.sh [rounds] [persons] [threads]
#
# Makes a synthetic set (seed 2026) under a temporary folder, then per round
# runs `eval --methods resihmr` (its fitting pass: fit and stumps, no files)
# and `fit` (wall clock of the whole process: reading the keypoints, the
# model, fitting, writing JSON, npz and binary PLY per person, the CSV, and
# moving the folder into place), and prints both, their ratio, and the medians.
set -euo pipefail
rounds=${1:-6}
n=${2:-500}
threads=${3:-2}
exe=$(cd "$(dirname "$0")/.." && pwd)/build/apps/resihmr
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$exe" synth --n "$n" --seed 2026 --out "$work/data" --threads "$threads" > /dev/null
ratios=() evals=() fits=()
for ((r = 1; r <= rounds; r++)); do
  e=$("$exe" eval --dataset "$work/data" --methods resihmr --out "$work/report.json" --threads "$threads" |
      awk '$1 == "resihmr" {print $12}')
  rm -rf "$work/fit"
  start=$(date +%s.%N)
  "$exe" fit --keypoints "$work/data/keypoints.json" --out "$work/fit" --threads "$threads" > /dev/null
  end=$(date +%s.%N)
  f=$(awk -v n="$n" -v a="$start" -v b="$end" 'BEGIN {printf "%.1f", n / (b - a)}')
  ratio=$(awk -v f="$f" -v e="$e" 'BEGIN {printf "%.2f", f / e}')
  echo "round $r: eval $e persons/s, fit $f persons/s (whole process), ratio $ratio"
  ratios+=("$ratio") evals+=("$e") fits+=("$f")
done
median() { printf "%s\n" "$@" | sort -g | awk '{a[NR] = $1} END {print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
echo "median: eval $(median "${evals[@]}") persons/s, fit $(median "${fits[@]}") persons/s, ratio $(median "${ratios[@]}") ($rounds rounds, $n persons, $threads threads)"
