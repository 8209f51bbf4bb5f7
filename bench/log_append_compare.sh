#!/usr/bin/env bash
# verun-log durable appends vs x/mod's in-memory appends, in one run:
# bench/log_bench BM_DurableStream (1 KiB entries through the pipelined
# sequencer into SQLite, WAL + synchronous=FULL, every entry acknowledged
# only once durable) and BM_DurableAppend (one submitter, batch by batch),
# interleaved with shared/tools/tlog-interop tlogbench -leaf-size 1024
# (append into an in-memory hash store, no I/O). Prints both rates and the
# ratio (target >= 0.5x).
#   bench/log_append_compare.sh [BUILD_DIR]     RUNS=3 by default
# Without BUILD_DIR: the release preset (build/release). Go tools:
# $TLOG_INTEROP_BIN, else BUILD_DIR/tlog-interop-bin (built when missing).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${VERUN_SHARED_DIR:-$root/../shared}"
if [ $# -ge 1 ]; then build="$(cd "$1" && pwd)"; else
  (cd "$root" && cmake --preset release >/dev/null); build="$root/build/release"; fi
cmake --build "$build" --target log_bench >/dev/null
bin="${TLOG_INTEROP_BIN:-$build/tlog-interop-bin}"
[ -x "$bin/tlogbench" ] || TLOG_INTEROP_BIN="$bin" bash "$shared/tools/tlog-interop/build.sh" >&2
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
# The disk's synchronous write bandwidth in the same run: a durable 1 KiB
# entry is written at least once, synced, so this bounds entries/s.
dd if=/dev/zero of="$build/log-dd-probe" bs=1M count=256 oflag=dsync 2>"$tmp/dd.txt" >/dev/null
rm -f "$build/log-dd-probe"
for i in $(seq "${RUNS:-3}"); do
  "$bin/tlogbench" -n 1000000 -leaf-size 1024 -incl 10 -cons 10 -sign 10 -json "$tmp/go$i.json" >/dev/null
  "$build/bench/log_bench" --benchmark_filter='BM_Durable(Stream|Append)' \
    --benchmark_format=json --benchmark_out="$tmp/cc$i.json" --benchmark_out_format=json >/dev/null
done
python3 - "$tmp" <<'PY'
import glob, json, re, statistics, sys
d = sys.argv[1]
dd = open(d + "/dd.txt").read().strip().splitlines()[-1]
m = re.search(r"copied, ([\d.]+) s", dd)
dd_bps = 268435456 / float(m.group(1))
go = statistics.median(json.load(open(f))["figures"]["append_entries_per_s"] for f in glob.glob(d + "/go*.json"))
rows = {}
load = []
for f in sorted(glob.glob(d + "/cc*.json")):
    j = json.load(open(f))
    load = j["context"].get("load_avg", load)
    for b in j["benchmarks"]:
        if b.get("run_type", "iteration") != "iteration":
            continue
        rate = b.get("entries_per_s") or b["items_per_second"]  # UseRealTime: items/s by wall time
        rows.setdefault(b["name"].split("/iterations")[0], []).append((rate, b))
print("load avg %s; median of %d runs each" % (", ".join("%.1f" % x for x in load), len(glob.glob(d + "/go*.json"))))
print("%-44s %14s %8s" % ("figure (1 KiB entries)", "entries/s", "vs Go"))
print("%-44s %14.0f %8s" % ("x/mod tlogbench append (in memory)", go, "1.00x"))
print("%-44s %14.0f %7.2fx  (dd oflag=dsync: %.1f MB/s)" % ("disk ceiling: synced MB/s / 1 KiB", dd_bps / 1024, dd_bps / 1024 / go, dd_bps / 1e6))
for name, xs in sorted(rows.items()):
    r = statistics.median(x[0] for x in xs)
    extra = ""
    b = xs[-1][1]
    if "mean_batch" in b:
        extra = "  (mean batch %.0f, mean commit %.1f ms)" % (b["mean_batch"], b["mean_commit_ms"])
    print("%-44s %14.0f %7.2fx%s" % ("verun " + name + " (durable)", r, r / go, extra))
PY
