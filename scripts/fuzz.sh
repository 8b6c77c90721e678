#!/usr/bin/env bash
# Fuzz every reader of untrusted input with libFuzzer, AddressSanitizer and
# UBSan (docs/fuzzing.md).
#
#   bash scripts/fuzz.sh [runs per target, default 1000000] [target ...]
#
# Targets: coco_json openpose_json npz params_json config_json init_npz
# mesh_stl mesh_obj mesh_ply (default: all). Needs clang and its runtime
# (Debian: clang libclang-rt-14-dev). Builds into build-fuzz/, starts each
# target from its seed corpus and its regressions (tests/fuzz/corpus/,
# tests/fuzz/regressions/), grows a working corpus in build-fuzz/corpus-<target>,
# and prints per target: runs, runs per second, coverage (edges, features),
# new inputs. Stops at the first finding (crash, hang over 10 s, more than
# 2 GB, sanitizer report) with a non-zero exit code; the input is written to
# build-fuzz/findings-<target>/ and belongs in tests/fuzz/regressions/<target>/.
set -euo pipefail
runs=${1:-1000000}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(coco_json openpose_json npz params_json config_json init_npz mesh_stl mesh_obj mesh_ply)
cd "$(dirname "$0")/.."
command -v clang++ > /dev/null || { echo "clang++ not found: apt-get install clang libclang-rt-14-dev" >&2; exit 2; }
cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRESIHMR_FUZZ=ON > /dev/null
cmake --build build-fuzz -j "$(nproc)" --target "${targets[@]/%/_fuzz}"
printf "%-14s %10s %8s %6s %7s %5s\n" target runs runs/s edges features new
for target in "${targets[@]}"; do
  work=build-fuzz/corpus-$target
  findings=build-fuzz/findings-$target
  mkdir -p "$work" "$findings"
  dict=()
  case $target in
    mesh_*) dict=(-dict=tests/fuzz/dict/mesh.dict) ;;
    *_json) dict=(-dict=tests/fuzz/dict/json.dict) ;;
    *_yaml) dict=(-dict=tests/fuzz/dict/yaml.dict) ;;
  esac
  extra=(tests/fuzz/corpus/$target)
  [[ -d tests/fuzz/regressions/$target ]] && extra+=(tests/fuzz/regressions/$target)
  log=build-fuzz/fuzz-$target.log
  if ! ./build-fuzz/tests/fuzz/${target}_fuzz -runs="$runs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 "${dict[@]}" -artifact_prefix="$findings/" "$work" "${extra[@]}" > "$log" 2>&1; then
    grep -E "ERROR|SUMMARY|Test unit written" "$log" >&2 || tail -20 "$log" >&2
    echo "FINDING in $target: see $findings and $log" >&2
    exit 1
  fi
  status=$(grep -E "cov: [0-9]+" "$log" | tail -1 || true)  # libFuzzer's last status line
  stat() { grep -oP "stat::$1: +\K[0-9]+" "$log" || echo "?"; }
  printf "%-14s %10s %8s %6s %7s %5s\n" "$target" "$(stat number_of_executed_units)" "$(stat average_exec_per_sec)" \
    "$(grep -oP 'cov: \K[0-9]+' <<< "$status" || echo "?")" "$(grep -oP 'ft: \K[0-9]+' <<< "$status" || echo "?")" \
    "$(stat new_units_added)"
done
echo "no findings"
