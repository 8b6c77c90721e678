#!/usr/bin/env bash
# `resihmr fit` on the real COCO sample: every person gets a result file, the
# 12 with keypoints are fitted with meshes and overlays, bad flags are refused.
# Usage: cli_fit_test.sh path/to/resihmr   (run from the project root)
set -euo pipefail
exe=$1
data=../shared/data/coco-val2017-sample
[ -f "$data/test_coco.json" ] || { echo "missing test data $data (../shared/data beside the repository)"; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$exe" fit --keypoints "$data/test_coco.json" --images "$data" --out "$out/fit" --threads 2 > "$out/log.txt"
cat "$out/log.txt" | tail -1
[ "$(ls "$out"/fit/*.json | wc -l)" -eq 14 ] || { echo "expected 14 result files"; exit 1; }
[ "$(grep -l '"status": "ok"' "$out"/fit/*.json | wc -l)" -eq 12 ] || { echo "expected 12 fitted persons"; exit 1; }
[ "$(ls "$out"/fit/*.ply | wc -l)" -eq 12 ] || { echo "expected 12 meshes"; exit 1; }
[ "$(ls "$out"/fit/*.png | grep -vc _views.png)" -eq 12 ] || { echo "expected 12 overlays"; exit 1; }
[ "$(ls "$out"/fit/*_views.png | wc -l)" -eq 12 ] || { echo "expected 12 view sheets"; exit 1; }
head -1 "$out/fit/measurements.csv" | grep -q "^image,annotation_id,status,limb,level,lambda,length_mm,volume_ml" || { echo "bad measurements.csv"; exit 1; }
grep -q '"residual_limbs": \[\]' "$out/fit/000000000785_442619.json" || { echo "residual_limbs missing"; exit 1; }
for args in "--method foo" "--limbs left_leg=above_elbow" "--threads 0" "--focal -3"; do
  if "$exe" fit --keypoints "$data/test_coco.json" --out "$out/bad" $args 2> "$out/err.txt"; then
    echo "accepted bad flags: $args"; exit 1
  fi
done
if "$exe" fit --keypoints /nonexistent.json --out "$out/none" 2> "$out/err.txt"; then echo "accepted a missing file"; exit 1; fi
grep -q "nonexistent.json" "$out/err.txt" || { echo "error does not name the file"; exit 1; }
"$exe" eval --dataset "$data/test_coco.json" --out "$out/coco-report.json" --methods resihmr > /dev/null
grep -q '"miou"' "$out/coco-report.json" || { echo "eval on real annotations gave no mIoU"; exit 1; }
echo "fit wrote every result"
