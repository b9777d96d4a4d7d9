#!/usr/bin/env bash
# Configures and builds infersim into build/ (Release). Extra arguments go to CMake.
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build build -j "$(nproc)"
