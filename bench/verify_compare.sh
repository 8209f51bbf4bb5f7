#!/usr/bin/env bash
# Bundle verification vs raw Ed25519, in one run (target: bundles/s >= 0.8x
# the verify/s of `openssl speed -seconds 3 ed25519`). Measures
#   1. verify_bench's batch of 1000 bundles of one registration (library:
#      parse + all 36 checks, registration appraisal and checkpoints cached);
#   2. the real `verun-verify bundle - --json` over 2000 such bundles on stdin
#      (process start, reading, verifying, printing included; CPU time);
#   3. openssl speed -seconds 3 ed25519 (verify/s).
#   bench/verify_compare.sh [BUILD_DIR]   (default build/h-bundle; needs verify_bench and verun-verify)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build/h-bundle}"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT

"$build/bench/verify_bench" --benchmark_filter='BM_VerifyBundleBatch/1000|BM_Ed25519Verify|BM_ParseBundle|BM_VerifyBundleUncached' \
  --benchmark_repetitions=3 --benchmark_min_time=1 \
  --benchmark_format=json --benchmark_out="$tmp/vb.json" --benchmark_out_format=json >/dev/null

n=2000
"$build/bench/verify_bench" --write-batch "$tmp/batch.txt" "$n" "$tmp/policy.json"
# CPU seconds (user + system) of the verun-verify process: the machine may be
# shared, and the Google Benchmark figures above are CPU time too.
read -r start end < <(python3 - "$build/verifier/verun-verify" "$tmp" <<'PY'
import resource, subprocess, sys
exe, tmp = sys.argv[1], sys.argv[2]
with open(tmp + "/batch.txt") as i, open(tmp + "/out.jsonl", "w") as o:
    subprocess.run([exe, "bundle", "-", "--policy", tmp + "/policy.json", "--json"], stdin=i, stdout=o, check=False)
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(0, ru.ru_utime + ru.ru_stime)
PY
)
valid=$(grep -c '"verdict":"valid"' "$tmp/out.jsonl" || true)
[ "$valid" = "$n" ] || { echo "only $valid of $n bundles verified"; exit 1; }

openssl speed -seconds 3 ed25519 2>/dev/null >"$tmp/speed.txt"

python3 - "$tmp/vb.json" "$tmp/speed.txt" "$n" "$start" "$end" <<'PY'
import json, re, statistics, sys
vb = json.load(open(sys.argv[1]))
def med(name, key):
    return statistics.median(b[key] for b in vb["benchmarks"]
                             if b.get("run_name", b["name"]) == name and b.get("run_type") == "iteration")
lib = med("BM_VerifyBundleBatch/1000", "items_per_second")
ours = med("BM_Ed25519Verify", "items_per_second")
parse = med("BM_ParseBundle", "items_per_second")
uncached = med("BM_VerifyBundleUncached", "items_per_second")
speed = open(sys.argv[2]).read()
m = re.search(r"253 bits? EdDSA \(Ed25519\)\s+\S+s\s+\S+s\s+([\d.]+)\s+([\d.]+)", speed)
if not m:
    sys.exit("cannot read openssl speed's Ed25519 line:\n" + speed)
ossl_verify = float(m.group(2))
n, start, end = int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
cli = n / (end - start)
print("%-52s %12s" % ("measure", "per second"))
print("%-52s %12.0f" % ("openssl speed ed25519 verify", ossl_verify))
print("%-52s %12.0f" % ("verun Ed25519Verifier (1000-byte message)", ours))
print("%-52s %12.0f" % ("parse_bundle alone", parse))
print("%-52s %12.0f" % ("one bundle, nothing cached", uncached))
print("%-52s %12.0f" % ("library batch of 1000 (one registration, cached)", lib))
print("%-52s %12.0f" % ("verun-verify bundle - --json, %d bundles (CPU time)" % n, cli))
print("ratio library batch / openssl verify: %.2f   verun-verify / openssl verify: %.2f   (target >= 0.8)"
      % (lib / ossl_verify, cli / ossl_verify))
PY
