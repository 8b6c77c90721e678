#!/usr/bin/env bash
# Fuzz the annotation readers (COCO / LDPose JSON, OpenPose JSON) and the npz
# model reader with libFuzzer, AddressSanitizer and UBSan.
#
#   bash scripts/fuzz.sh [seconds per target, default 60]
#
# Needs clang and its runtime (Debian: clang libclang-rt-14-dev). Builds into
# build-fuzz/, starts each target from its seed corpus in tests/fuzz/corpus/
# and stops at the first finding (crash, leak, sanitizer report) with a
# non-zero exit code; findings are written to build-fuzz/findings-<target>/.
set -euo pipefail
seconds=${1:-60}
cd "$(dirname "$0")/.."
command -v clang++ > /dev/null || { echo "clang++ not found: apt-get install clang libclang-rt-14-dev" >&2; exit 2; }
cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRESIHMR_FUZZ=ON > /dev/null
cmake --build build-fuzz -j "$(nproc)"
for target in coco_json openpose_json npz; do
  seeds=tests/fuzz/corpus/${target%_json}
  work=build-fuzz/corpus-$target
  findings=build-fuzz/findings-$target
  mkdir -p "$work" "$findings"
  cp -n "$seeds"/* "$work"/ 2> /dev/null || true
  echo "== $target: $seconds s"
  ./build-fuzz/tests/fuzz/${target}_fuzz -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$findings/" \
    -rss_limit_mb=4096 "$work" 2>&1 | grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::new_units_added|==[0-9]+==ERROR|SUMMARY)" || true
  if ls "$findings"/* > /dev/null 2>&1; then
    echo "FINDING in $target: see $findings" >&2
    exit 1
  fi
done
echo "no findings"
