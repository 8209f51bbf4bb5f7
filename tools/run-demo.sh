#!/usr/bin/env bash
# The README's first command: installs the dependencies, builds the four
# programs the demonstration needs (verun, verun-log, verun-runner,
# verun-verify) in build/demo, and runs:
#   1. examples/walkthrough/e2e-demo.sh: the end-to-end flow on the
#      SIMULATED platform (keys, policies, log + runner on 127.0.0.1, a
#      public and a private job, offline verification, tampering caught);
#   2. examples/walkthrough/tlog-demo.sh: the proofs core with `verun tlog`
#      (skip it with VERUN_DEMO_SKIP_TLOG=1).
# Exits non-zero if any expected outcome differs. A walk-through of every
# step: examples/walkthrough/WALKTHROUGH.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash tools/install-deps.sh
build="$PWD/build/demo"
echo "=== building verun, verun-log, verun-runner and verun-verify in build/demo (the first build takes a few minutes)"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVERUN_BUILD_TESTS=OFF \
  -DVERUN_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$build" --target verun verun-log verun-runner verun-verify
echo "=== part 1: end to end"
bash examples/walkthrough/e2e-demo.sh "$build" "$build/e2e-work"
if [ "${VERUN_DEMO_SKIP_TLOG:-0}" != 1 ]; then
  echo
  echo "=== part 2: the proofs core (verun tlog)"
  bash examples/walkthrough/tlog-demo.sh "$build/sdk/verun" "$build/tlog-work"
fi
