#!/usr/bin/env bash
# Merkle figures: verun (bench/merkle_bench) beside x/mod sumdb/tlog
# (shared/tools/tlog-interop tlogbench -n 1000000 -leaf-size 1024) in the
# same run on the same machine, side by side with the ratio (> 1: verun
# faster; targets: leaf hash >= 0.9x raw EVP, append and proofs >= 2x Go).
#   bench/run_merkle_vs_go.sh [BUILD_DIR]
# Without BUILD_DIR it configures and builds the `release` preset
# (build/release). Go tools: $TLOG_INTEROP_BIN, else BUILD_DIR/tlog-interop-bin
# (built with shared/tools/tlog-interop/build.sh when missing).
# RUNS (default 3) sets how many interleaved runs of each; medians shown.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${VERUN_SHARED_DIR:-$root/../shared}"
if [ $# -ge 1 ]; then
  build="$(cd "$1" && pwd)"
else
  (cd "$root" && cmake --preset release >/dev/null)
  build="$root/build/release"
fi
cmake --build "$build" --target merkle_bench >/dev/null
bin="${TLOG_INTEROP_BIN:-$build/tlog-interop-bin}"
if [ ! -x "$bin/tlogbench" ]; then
  TLOG_INTEROP_BIN="$bin" bash "$shared/tools/tlog-interop/build.sh" >&2
fi
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
# Interleaved, so that both see the same load on a shared machine.
for i in $(seq "${RUNS:-3}"); do
  "$bin/tlogbench" -n 1000000 -leaf-size 1024 -sign 10 -json "$tmp/go$i.json" >/dev/null
  "$build/bench/merkle_bench" --benchmark_min_time=0.3 \
    --benchmark_format=json --benchmark_out="$tmp/cc$i.json" --benchmark_out_format=json >/dev/null
done
python3 - "$tmp" <<'PY'
import glob, json, statistics, sys
d = sys.argv[1]
go = [json.load(open(f))["figures"] for f in sorted(glob.glob(d + "/go*.json"))]
ccs = [json.load(open(f)) for f in sorted(glob.glob(d + "/cc*.json"))]
cc = {"benchmarks": [b for c in ccs for b in c["benchmarks"]]}
ctx = ccs[-1]["context"]

def gmed(key):
    return statistics.median(g[key] for g in go)

def cmed(name, key):
    xs = [b for b in cc["benchmarks"] if b.get("run_name", b["name"]).split("/")[0] == name and b.get("run_type", "iteration") == "iteration"]
    if key == "rate":  # items/s by wall time
        return statistics.median(b["items_per_second"] * b["cpu_time"] / b["real_time"] for b in xs)
    if key == "rate_cpu":
        return statistics.median(b["items_per_second"] for b in xs)
    unit = {"ns": 1e-3, "us": 1.0, "ms": 1e3}[xs[0]["time_unit"]]
    return statistics.median(b[key] * unit for b in xs)

reps = len(ccs)
print("x/mod: tlogbench -n 1000000 -leaf-size 1024 (median of %d runs); verun: merkle_bench (median of %d); load avg %s"
      % (len(go), reps, ", ".join("%.1f" % x for x in ctx.get("load_avg", []))))
print("%-38s %14s %14s %14s %8s %9s" % ("figure (1M leaves of 1 KiB)", "x/mod", "verun wall", "verun cpu", "ratio", "ratio cpu"))
rates = [("leaf hash, leaves/s", "leaf_hash_per_s", "BM_LeafHash1KiB"),
         ("append (hash + store), entries/s", "append_entries_per_s", "BM_Append1M"),
         ("all hash tiles, tiles/s", "tiles_per_s", "BM_AllTiles1M")]
for label, gk, name in rates:
    g, w, c = gmed(gk), cmed(name, "rate"), cmed(name, "rate_cpu")
    print("%-38s %14.0f %14.0f %14.0f %8.2f %9.2f" % (label, g, w, c, w / g, c / g))
times = [("tree hash, us", "tree_hash_us", "BM_TreeHash1M"),
         ("tree hash at a random size, us", "tree_hash_random_size_us", "BM_TreeHashRandomSize1M"),
         ("inclusion proof generate, us", "inclusion_prove_us", "BM_InclusionProve1M"),
         ("inclusion proof verify, us", "inclusion_verify_us", "BM_InclusionVerify1M"),
         ("consistency proof generate, us", "consistency_prove_us", "BM_ConsistencyProve1M"),
         ("consistency proof verify, us", "consistency_verify_us", "BM_ConsistencyVerify1M")]
for label, gk, name in times:
    g, w, c = gmed(gk), cmed(name, "real_time"), cmed(name, "cpu_time")
    print("%-38s %14.2f %14.2f %14.2f %8.2f %9.2f" % (label, g, w, c, g / w, g / c))
lw, lc = (1e3 * cmed("BM_LeafHash1KiB", k) for k in ("real_time", "cpu_time"))
rw, rc = (1e3 * cmed("BM_RawEvpSha256_1025B", k) for k in ("real_time", "cpu_time"))
print("%-38s %14s %14.1f %14.1f" % ("raw EVP SHA-256 of 1,025 B, ns", "-", rw, rc))
print("%-38s %14s %14.1f %14.1f %8.2f %9.2f" % ("verun leaf_hash of 1 KiB, ns", "-", lw, lc, rw / lw, rc / lc))
print("ratio = verun rate / x/mod rate, or x/mod time / verun time (> 1: verun faster); the last row is")
print("raw EVP time / leaf_hash time (target >= 0.9). tlogbench reports wall time; on a loaded machine")
print("verun's wall time is inflated too, so 'ratio cpu' uses verun's CPU time.")
PY
