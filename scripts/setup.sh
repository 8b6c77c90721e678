#!/usr/bin/env bash
# Set up, build and run resihmr on a fresh Debian 12 machine.
#
#   bash scripts/setup.sh demo   install what is missing, build, install the
#                                Python module, run the demo
#   bash scripts/setup.sh test   install what is missing, build, install the
#                                Python module, run every test (C++, command
#                                line, pytest); then the unit suites and the
#                                fuzz targets again under AddressSanitizer and
#                                UBSan (clang, build-fuzz/, docs/fuzzing.md)
#
# The Python module `resihmr` is installed for Debian's python3 into its
# first site-packages folder (/usr/local/lib/python3.X/dist-packages), with
# the embedded model beside it, so that `python3 -c "import resihmr"` works
# from anywhere afterwards (docs/python.md).
#
# Every dependency is a Debian 12 package; nothing is downloaded at build or
# run time. Packages already present are not touched (no network needed then).
set -euo pipefail

mode=${1:-}
if [[ "$mode" != demo && "$mode" != test ]]; then
  echo "usage: bash scripts/setup.sh demo|test" >&2
  exit 2
fi
cd "$(dirname "$0")/.."

packages=(
  cmake g++ make pkg-config ccache
  libeigen3-dev libceres-dev libgoogle-glog-dev libgflags-dev
  libopencv-dev libcgal-dev libgmp-dev libmpfr-dev libboost-dev
  nlohmann-json3-dev libzip-dev zlib1g-dev
  libgtest-dev libbenchmark-dev python3 python3-numpy
  python3-dev pybind11-dev python3-pybind11 python3-pytest python3-dask python3-distributed
  libtinygltf-dev
  libtorch-dev
  clang libclang-rt-14-dev
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The Python module into Debian python3's site-packages, then imported from
# outside the repository as a user would.
install_python_module() {
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" cmake --install build --component python > /dev/null
  (cd / && /usr/bin/python3 -c "import resihmr; print('python3: import resihmr', resihmr.__version__, 'from', resihmr.__file__)")
}

jobs=$(nproc)
if [[ "$mode" == demo ]]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DRESIHMR_BUILD_TESTS=OFF -DRESIHMR_BUILD_BENCHMARKS=OFF > /dev/null
  cmake --build build --target resihmr resihmr_python -j "$jobs"
  install_python_module
  ./build/apps/resihmr demo --out demo-output
else
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DRESIHMR_BUILD_TESTS=ON -DRESIHMR_BUILD_BENCHMARKS=ON > /dev/null
  cmake --build build -j "$jobs"
  install_python_module
  ctest --test-dir build --output-on-failure -j "$jobs"
  # The same unit suites, and each fuzz target for a fixed number of runs,
  # under the sanitizers. Left out: the one test that makes the embedded
  # model twice (90 s each under ASan; the build above runs it).
  cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRESIHMR_FUZZ=ON > /dev/null
  cmake --build build-fuzz -j "$jobs"
  ctest --test-dir build-fuzz --output-on-failure -j "$jobs" -L "model|data|optim|geometry|fuzz" \
    -E "EmbeddedModel.IsDeterministicForASeed"
fi
