#!/usr/bin/env bash
# The main job: build, then simulate the default scenario (Llama-3.1-70B Q4_K_M on rtx-spark),
# print the summary and write the timelines to default.h5.
set -euo pipefail
cd "$(dirname "$0")"
./build.sh
build/infersim run scenarios/default.yaml -o default.h5 "$@"
echo "timelines written to default.h5 (plot: /usr/bin/python3 analysis/plot_timeline.py default.h5 -o timeline.png)"
