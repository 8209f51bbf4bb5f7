#!/usr/bin/env bash
# The README's test command: installs the dependencies, then builds and runs
# every test in three configurations:
#   dev   g++ -O2 -Werror: unit, property, integration, interop, fuzz replay
#   asan  g++ ASan+UBSan: the unit and property tests again
#   fuzz  clang libFuzzer+ASan+UBSan: each fuzz target for VERUN_FUZZ_SECONDS
# and ends with one summary line "verun: N passed, M failed, K skipped"
# (skipped: tests whose inputs, such as ../shared/vectors, are absent).
# Set VERUN_SKIP_ASAN=1 or VERUN_SKIP_FUZZ=1 to leave a configuration out
# (for quick local runs; CI runs all three).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash tools/install-deps.sh || exit 2

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
passed=0
failed=0
skipped=0
status=0

# run_config PRESET [BUILD TARGET]: configure, build and test one preset.
run_config() {
  local preset="$1" target="${2:-}"
  echo "=== $preset: configure and build"
  cmake --preset "$preset" >"$logs/$preset.configure" 2>&1 || { cat "$logs/$preset.configure"; status=1; failed=$((failed+1)); return; }
  if [ -n "$target" ]; then
    cmake --build --preset "$preset" --target "$target" || { status=1; failed=$((failed+1)); return; }
  else
    cmake --build --preset "$preset" || { status=1; failed=$((failed+1)); return; }
  fi
  echo "=== $preset: test"
  ctest --preset "$preset" 2>&1 | tee "$logs/$preset.ctest"
  local rc=${PIPESTATUS[0]}
  local line
  line="$(grep -E '^[0-9]+% tests passed, [0-9]+ tests failed out of [0-9]+' "$logs/$preset.ctest" | tail -n 1)"
  if [ -n "$line" ]; then
    local nfail ntotal
    nfail="$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<<"$line")"
    ntotal="$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/' <<<"$line")"
    local nskip
    nskip="$(grep -cE '^\s+[0-9]+ - .* \((Skipped|Disabled)\)$' "$logs/$preset.ctest" || true)"
    passed=$((passed + ntotal - nfail - nskip))
    failed=$((failed + nfail))
    skipped=$((skipped + nskip))
  elif [ "$rc" -ne 0 ]; then
    failed=$((failed + 1))
  fi
  [ "$rc" -eq 0 ] || status=1
}

run_config dev
[ "${VERUN_SKIP_ASAN:-0}" = 1 ] || run_config asan verun_unit_tests
if [ "${VERUN_SKIP_FUZZ:-0}" != 1 ] && command -v clang++ >/dev/null; then
  run_config fuzz
fi

echo
echo "verun: $passed passed, $failed failed, $skipped skipped"
exit $status
