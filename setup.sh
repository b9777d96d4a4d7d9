#!/usr/bin/env bash
# Installs what infersim needs from Debian 12 packages, only if something is missing.
# Usage: ./setup.sh [extra-package...]   (as root, or with sudo available)
set -euo pipefail
packages=(g++ cmake make pkg-config libboost-graph-dev libboost-program-options-dev libyaml-cpp-dev
          libhdf5-dev nlohmann-json3-dev libgtest-dev libbenchmark-dev
          python3-h5py python3-numpy python3-matplotlib python3-pytest openmpi-bin libopenmpi-dev
          python3-pandas python3-xarray python3-h5netcdf chromium "$@")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "setup: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
