#!/usr/bin/env bash
# The whole test suite: build, then GoogleTest (unit, physics, integration) and the analysis tests.
set -euo pipefail
cd "$(dirname "$0")"
./build.sh
ctest --test-dir build --output-on-failure -j "$(nproc)"
/usr/bin/python3 -m pytest -q analysis --basetemp=build/pytest-tmp  # pytest's scratch stays in the build tree
