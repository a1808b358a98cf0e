#!/usr/bin/env bash
# Installs what libquant needs on Debian 12 (bookworm): compilers and build
# tools, and the libraries of the optional backends and tools. Safe to run
# again. Uses sudo when not run as root.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libdnnl-dev                                   # oneDNN INT8 backend
  libvulkan-dev glslc glslang-tools             # Vulkan backend and its shader compiler
  mesa-vulkan-drivers                           # lavapipe: a CPU Vulkan driver for tests
  libzstd-dev                                   # compressed files
  doctest-dev                                   # unit tests
  doxygen                                       # API reference (and its warning check)
  clang libclang-rt-14-dev                      # fuzzers (libFuzzer) and sanitizer runtimes
  rustc cargo                                   # the Rust binding and its tests
  golang-go                                     # the Go binding (cgo) and its tests
  mono-mcs mono-runtime                         # the C# binding (compiled with mcs, run on Mono)
  python3 python3-pytest python3-jinja2         # the Python binding (ctypes) and its tests (jinja2: chat templates)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update
$sudo apt-get install -y --no-install-recommends "${missing[@]}"
