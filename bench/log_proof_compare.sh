#!/usr/bin/env bash
# verun-log inclusion proofs from storage vs x/mod's in-memory proofs, and
# the storage overhead per entry, in one run: bench/log_bench BM_Fill fills
# a SQLite log with N 1 KiB entries (default 1,000,000; ENTRIES=10000000 for
# 10M, about 10 GiB of disk), then times 2,000 inclusion proofs for random
# leaves from the store (after 200 warm-up proofs: the tile cache holds the
# upper levels); tlogbench -n N -leaf-size 1024 times 10,000 in-memory
# proofs. Prints p50/p99 and the ratio (targets: <= 2x Go's time per proof,
# p99 < 1 ms), and the overhead beyond entry bytes (budget 40 B/entry).
#   bench/log_proof_compare.sh [BUILD_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${VERUN_SHARED_DIR:-$root/../shared}"
if [ $# -ge 1 ]; then build="$(cd "$1" && pwd)"; else
  (cd "$root" && cmake --preset release >/dev/null); build="$root/build/release"; fi
cmake --build "$build" --target log_bench >/dev/null
bin="${TLOG_INTEROP_BIN:-$build/tlog-interop-bin}"
[ -x "$bin/tlogbench" ] || TLOG_INTEROP_BIN="$bin" bash "$shared/tools/tlog-interop/build.sh" >&2
n="${ENTRIES:-1000000}"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
VERUN_LOG_BENCH_ENTRIES="$n" "$build/bench/log_bench" --benchmark_filter='BM_Fill' \
  --benchmark_format=json --benchmark_out="$tmp/cc.json" --benchmark_out_format=json >/dev/null
"$bin/tlogbench" -n "$n" -leaf-size 1024 -incl 10000 -cons 10 -sign 10 -json "$tmp/go.json" >/dev/null
python3 - "$tmp" "$n" <<'PY'
import json, sys
d, n = sys.argv[1], int(sys.argv[2])
go = json.load(open(d + "/go.json"))["figures"]
cc = json.load(open(d + "/cc.json"))
b = [x for x in cc["benchmarks"] if x["name"].startswith("BM_Fill")][0]
g = go["inclusion_prove_us"]
print("load avg %s; %d entries of 1 KiB" % (", ".join("%.1f" % x for x in cc["context"].get("load_avg", [])), n))
print("x/mod tlogbench inclusion proof (in memory): %.1f us/proof" % g)
print("verun from SQLite: p50 %.1f us (%.1fx Go), p99 %.1f us (%.1fx Go; target p99 < 1000 us, <= 2x)"
      % (b["incl_p50_us"], b["incl_p50_us"] / g, b["incl_p99_us"], b["incl_p99_us"] / g))
print("verun thread CPU time per proof (leaves out waiting for a core): p50 %.1f us, p99 %.1f us"
      % (b["incl_cpu_p50_us"], b["incl_cpu_p99_us"]))
print("storage: %.1f MiB, overhead %.1f bytes/entry beyond the entry bytes (budget 40); open %.0f us; fill %.0f entries/s"
      % (b["db_mib"], b["overhead_bytes_per_entry"], b["open_us"], b["fill_entries_per_s"]))
PY
