#!/usr/bin/env bash
# verun's Ed25519/SHA-256 wrappers vs raw EVP calls in one binary: prints
# the throughput ratio wrapper / raw (target >= 0.95), from CPU time medians.
#   bench/crypto_compare.sh [BUILD_DIR]   (default build/h-note; needs crypto_bench built)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build/h-note}"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
"$build/bench/crypto_bench" --benchmark_repetitions=5 --benchmark_min_time=0.5 \
  --benchmark_format=json --benchmark_out="$tmp/cc.json" --benchmark_out_format=json >/dev/null
python3 - "$tmp/cc.json" <<'PY'
import json, statistics, sys
cc = json.load(open(sys.argv[1]))
def med(name, key="cpu_time"):
    return statistics.median(b[key] for b in cc["benchmarks"]
                             if b.get("run_name", b["name"]) == name and b.get("run_type") == "iteration")
print("%-22s %14s %14s %8s" % ("operation", "wrapper ns", "raw EVP ns", "ratio"))
for op in ("Ed25519Sign", "Ed25519Verify", "Sha256_513B"):
    w, r = med("BM_%s_Wrapper" % op), med("BM_%s_RawEvp" % op)
    print("%-22s %14.0f %14.0f %8.3f" % (op, w, r, r / w))
print("ratio = raw time / wrapper time (throughput of the wrapper relative to raw EVP); target >= 0.95")
PY
