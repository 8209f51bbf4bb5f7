#!/usr/bin/env bash
# The README's first command: installs the dependencies, builds the `verun`
# CLI (dev preset, shared with the test command's build), and runs the
# demonstration in examples/walkthrough/. Until the end-to-end flow exists
# (runner, SDK, log service), the demonstration is the proofs core at work:
# see examples/walkthrough/tlog-demo.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash tools/install-deps.sh
echo "=== building the verun CLI (first build takes a few minutes)"
cmake --preset dev >/dev/null
cmake --build --preset dev --target verun
bash examples/walkthrough/tlog-demo.sh "$PWD/build/dev/sdk/verun" "$PWD/build/demo"
