#!/usr/bin/env bash
# Installs everything verun needs to build, test and run, from Debian 12's
# packages. Idempotent: when every package is present it only checks and
# returns (well under a second). Run as root or with sudo available.
set -euo pipefail

packages=(
  # toolchain
  build-essential g++ cmake ninja-build ccache pkg-config git python3 curl
  clang libclang-rt-14-dev
  # libraries
  libssl-dev libsqlite3-dev libboost-dev libboost-program-options-dev libcpp-httplib-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev librapidcheck-dev libbenchmark-dev
  libcbor-dev libpq-dev libseccomp-dev
  # reference implementation for interop tests (shared/tools/tlog-interop)
  golang-go golang-golang-x-mod-dev python3-cryptography
  # tools the demo and benchmarks use
  openssl sqlite3
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
