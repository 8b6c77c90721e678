#!/usr/bin/env bash
# `resihmr demo` runs the whole pipeline and writes every part of it.
# Usage: cli_demo_test.sh path/to/resihmr
set -euo pipefail
exe=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$exe" demo --out "$out/demo" --people 3 > "$out/log.txt"
tail -12 "$out/log.txt"
for f in embedded_model.npz dataset/keypoints.json dataset/ground_truth.json report.json report.csv \
         fit-resihmr/measurements.csv fit-intact/measurements.csv fit-ajahr-zero/measurements.csv; do
  [ -s "$out/demo/$f" ] || { echo "missing $f"; exit 1; }
done
[ "$(ls "$out"/demo/fit-resihmr/*_views.png | wc -l)" -eq 3 ] || { echo "expected 3 view sheets"; exit 1; }
[ "$(ls "$out"/demo/fit-resihmr/*.ply | wc -l)" -eq 3 ] || { echo "expected 3 meshes"; exit 1; }
grep -q "resihmr" "$out/log.txt" && grep -q "mIoU" "$out/log.txt" || { echo "no evaluation table"; exit 1; }
[ "$(wc -l < "$out/demo/fit-resihmr/measurements.csv")" -ge 2 ] || { echo "no stump measured"; exit 1; }
"$exe" demo --out "$out/bad" --people 0 && { echo "accepted --people 0"; exit 1; }
echo "demo wrote every file"
