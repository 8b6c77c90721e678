#!/usr/bin/env bash
# `resihmr demo` writes its meshes, pictures and summary, and reports a
# closed 2-manifold model. Usage: cli_demo_test.sh path/to/resihmr
set -euo pipefail
exe=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$exe" demo --out "$out/demo"
for f in walking_intact.ply walking_ajahr_left_knee.ply views.png summary.json walking_intact_params.json; do
  [ -s "$out/demo/$f" ] || { echo "missing $f"; exit 1; }
done
grep -q '"closed_manifold": true' "$out/demo/summary.json" || { echo "model is not a closed manifold"; exit 1; }
"$exe" demo --out "$out/bad" --region left_ear && { echo "accepted an unknown region"; exit 1; }
echo "demo wrote every file"
