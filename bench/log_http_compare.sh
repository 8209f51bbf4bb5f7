#!/usr/bin/env bash
# verun-log HTTP submissions with admission signature checks vs the Ed25519
# verification ceiling of this machine, in one run: `verun-log serve` on
# 127.0.0.1 (fresh database, --batch-wait-ms 2), bench/log_http_load with 64
# keep-alive clients POSTing receipts (each costs one Ed25519 verification
# at admission, and with wait=true an answer only after the durable commit),
# then `openssl speed -seconds 3 -multi 2 ed25519`. Prints entries/s, p50 and
# p99 latency, the verify/s ceiling and the ratio (target >= 0.6x).
#   bench/log_http_compare.sh [BUILD_DIR]      SECONDS_RUN=10 CLIENTS=64
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ $# -ge 1 ]; then build="$(cd "$1" && pwd)"; else
  (cd "$root" && cmake --preset release >/dev/null); build="$root/build/release"; fi
cmake --build "$build" --target verun-log log_http_load >/dev/null
tmp="$(mktemp -d)"; pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
"$build/log/verun-log" keygen --name bench.example/log --out "$tmp/log.key" >/dev/null
"$build/bench/log_http_load" --print-policy >"$tmp/policy.json"
serve() {
  rm -f "$tmp"/log.db*
  "$build/log/verun-log" serve --db "$tmp/log.db" --key "$tmp/log.key" --listen 127.0.0.1:0 \
    --admission-policy "$tmp/policy.json" --batch-wait-ms 2 --batch-max 4096 >"$tmp/serve.out" 2>"$tmp/serve.err" &
  pid=$!
  for _ in $(seq 400); do grep -q '^listening' "$tmp/serve.out" && break; sleep 0.025; done
  port="$(sed -n 's/^listening on http:\/\/127.0.0.1:\([0-9]*\)$/\1/p' "$tmp/serve.out")"
  [ -n "$port" ] || { cat "$tmp/serve.err" >&2; exit 1; }
}
stop() { kill "$pid"; wait "$pid" || true; pid=""; }
serve
"$build/bench/log_http_load" --port "$port" --clients "${CLIENTS:-64}" --seconds "${SECONDS_RUN:-10}" >"$tmp/wait.json"
curl -s "http://127.0.0.1:$port/metrics" | grep -E '^verun_log_batch_(entries|commit_seconds)_(sum|count)' >"$tmp/metrics" || true
stop
serve
"$build/bench/log_http_load" --port "$port" --clients "${CLIENTS:-64}" --seconds "${SECONDS_RUN:-10}" --wait false >"$tmp/nowait.json"
stop
openssl speed -seconds 3 -multi 2 ed25519 2>/dev/null >"$tmp/openssl.txt"
python3 - "$tmp" <<'PY'
import json, re, sys, os
d = sys.argv[1]
w = json.load(open(d + "/wait.json")); n = json.load(open(d + "/nowait.json"))
ceiling = None
for line in open(d + "/openssl.txt"):
    m = re.search(r"EdDSA \(Ed25519\)\s+\S+s\s+\S+s\s+([\d.]+)\s+([\d.]+)", line)
    if m: ceiling = float(m.group(2))
m = dict(l.split() for l in open(d + "/metrics")) if os.path.getsize(d + "/metrics") else {}
print("load avg %s" % open("/proc/loadavg").read().split()[:3])
print("openssl speed -seconds 3 -multi 2 ed25519: %.0f verify/s (the ceiling)" % ceiling)
for label, r in (("POST wait=true (201 after durable commit)", w), ("POST wait=false (202 after admission)", n)):
    print("%-44s %8.0f entries/s  ratio %.2fx  p50 %.1f ms  p99 %.1f ms  (%d ok, %d errors, %d clients)"
          % (label, r["per_second"], r["per_second"] / ceiling, r["p50_ms"], r["p99_ms"], r["ok"], r["errors"], r["clients"]))
if m:
    print("server batches (wait=true run): mean %.0f entries, mean commit %.1f ms" % (
        float(m["verun_log_batch_entries_sum"]) / float(m["verun_log_batch_entries_count"]),
        1e3 * float(m["verun_log_batch_commit_seconds_sum"]) / float(m["verun_log_batch_commit_seconds_count"])))
PY
