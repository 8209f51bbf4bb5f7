#!/usr/bin/env bash
# Installs the build into a temporary prefix, then configures, builds and
# runs examples/sdk_client as an outside project with find_package(verun).
set -euo pipefail
build="$1"; src="$2"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
cmake -S "$src/examples/sdk_client" -B "$tmp/build" -G Ninja -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
cmake --build "$tmp/build" >/dev/null
out="$("$tmp/build/sdk_client")"
echo "$out"
grep -q '^ok' <<<"$out"
