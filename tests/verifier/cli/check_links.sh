#!/bin/sh
# verun-verify links proofs + verifier only (DESIGN.md §2): fails if its
# link line (build.ninja) names sdk, log or runner libraries, cpp-httplib,
# SQLite or libpq, or if the binary loads any of those at run time.
# usage: check_links.sh <verun-verify binary> <build.ninja>
set -eu
bin="$1"
ninja="$2"
[ -x "$bin" ] || { echo "no binary $bin"; exit 1; }
[ -f "$ninja" ] || { echo "no $ninja (this check needs the Ninja generator)"; exit 1; }
# The link statement of verun-verify and its LINK_LIBRARIES line.
stmt=$(awk '/^build verifier\/verun-verify: /{p=1} p&&/LINK_LIBRARIES/{print; exit}' "$ninja")
[ -n "$stmt" ] || { echo "no link statement for verifier/verun-verify in $ninja"; exit 1; }
inputs=$(grep '^build verifier/verun-verify: ' "$ninja")
bad=$(printf '%s\n%s\n' "$inputs" "$stmt" | tr ' ' '\n' | grep -E 'verun_sdk|verun_log|verun_runner|/sdk/|/log/|/runner/|httplib|sqlite|libpq' || true)
if [ -n "$bad" ]; then
  echo "verun-verify links what it must not:"; echo "$bad"; exit 1
fi
printf '%s\n' "$stmt" | grep -q 'libverun_verifier.a' || { echo "verun-verify does not link verun_verifier"; exit 1; }
if ldd "$bin" | grep -E 'sqlite|httplib|libpq'; then
  echo "verun-verify loads a forbidden shared library"; exit 1
fi
echo "verun-verify links proofs + verifier (+ Boost.Program_options, OpenSSL, libcbor) only"
