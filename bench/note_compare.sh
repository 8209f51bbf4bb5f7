#!/usr/bin/env bash
# Checkpoint sign/open: verun (bench/note_bench) beside x/mod's note.Sign /
# note.Open (shared/tools/tlog-interop tlogbench), on the same machine, and
# the ratio x/mod time / verun time (> 1 means verun is faster).
#   bench/note_compare.sh [BUILD_DIR]   (default build/h-note; needs note_bench built)
# Go tools: $TLOG_INTEROP_BIN, else BUILD_DIR/tlog-interop-bin (built with
# shared/tools/tlog-interop/build.sh when missing).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build/h-note}"
bin="${TLOG_INTEROP_BIN:-$build/tlog-interop-bin}"
shared="${VERUN_SHARED_DIR:-$root/../shared}"
if [ ! -x "$bin/tlogbench" ]; then
  TLOG_INTEROP_BIN="$bin" bash "$shared/tools/tlog-interop/build.sh" >&2
fi
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
for i in 1 2 3; do "$bin/tlogbench" -n 1000 -sign 1000 -json "$tmp/go$i.json" >/dev/null; done
"$build/bench/note_bench" --benchmark_repetitions=3 --benchmark_min_time=0.5 \
  --benchmark_format=json --benchmark_out="$tmp/cc.json" --benchmark_out_format=json >/dev/null
python3 - "$tmp" <<'PY'
import json, statistics, sys, glob
d = sys.argv[1]
go = [json.load(open(f))["figures"] for f in sorted(glob.glob(d + "/go*.json"))]
gs = statistics.median(g["checkpoint_sign_us"] for g in go)
gv = statistics.median(g["checkpoint_verify_us"] for g in go)
cc = json.load(open(d + "/cc.json"))
def med(name, key):
    xs = [b[key] / 1000.0 for b in cc["benchmarks"] if b.get("run_name", b["name"]) == name and b.get("run_type") == "iteration"]
    return statistics.median(xs)
rows = [("checkpoint sign", gs, "BM_CheckpointSign"),
        ("checkpoint open (key ready)", gv, "BM_CheckpointOpen"),
        ("checkpoint open (vkey parsed each time)", gv, "BM_CheckpointOpenFromVkey")]
print("%-42s %10s %10s %10s %9s %9s" % ("figure (median of 3)", "x/mod us", "verun us", "verun cpu", "ratio", "ratio cpu"))
for label, g, name in rows:
    real, cpu = med(name, "real_time"), med(name, "cpu_time")
    print("%-42s %10.1f %10.1f %10.1f %9.2f %9.2f" % (label, g, real, cpu, g / real, g / cpu))
print("ratio = x/mod time / verun time (> 1: verun faster). tlogbench reports wall time; on a loaded")
print("machine verun's wall time is inflated too, so 'ratio cpu' uses verun's CPU time")
for name in ("BM_CheckpointOpenWith3Cosignatures", "BM_SignedNoteParse", "BM_TlogProofParseAndVerify"):
    print("%-42s %12s %12.1f %12.1f" % (name, "-", med(name, "real_time"), med(name, "cpu_time")))
PY
