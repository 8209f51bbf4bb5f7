#!/usr/bin/env bash
# End-to-end figures of issue 4 (bench/RESULTS.md "End to end (issue 4)"),
# in one run:
#   1. `openssl speed -seconds 3 sha256`, its 16 KiB-block figure, beside
#      e2e_bench's commitment over a 64 MiB file (target >= 0.9x);
#   2. e2e_bench overhead: sequential jobs through verun-runner + verun-log
#      against the builtin run bare in-process;
#   3. e2e_bench load: jobs/s with 32 concurrent clients, p50/p99.
# Usage: bench/e2e_compare.sh BUILD_DIR   (a build with e2e_bench, verun-log
#        and verun-runner: cmake --build BUILD_DIR --target e2e_bench verun-log verun-runner)
set -euo pipefail
build="$(cd "${1:?usage: e2e_compare.sh BUILD_DIR}" && pwd)"
bench="$build/bench/e2e_bench"
[ -x "$bench" ] || { echo "e2e_compare: $bench not built" >&2; exit 2; }
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"

openssl_line="$(openssl speed -seconds 3 sha256 2>/dev/null | awk '$1 == "sha256" {print $NF}')"
openssl_mbs="$(awk -v v="${openssl_line%k}" 'BEGIN {printf "%.1f", v / 1000}')"
echo "openssl speed sha256, 16384-byte blocks: $openssl_mbs MB/s (openssl speed counts CPU time)"
hash_out="$("$bench" --only hash)"
echo "$hash_out"
for scheme in sha256 salted-v1; do
  ours="$(awk -v s="$scheme" '$1 == "hash" && $2 == s {for (i = 1; i <= NF; i++) if ($(i + 1) == "MB/s") {print $i; exit}}' <<<"$hash_out")"
  awk -v o="$ours" -v r="$openssl_mbs" -v s="$scheme" 'BEGIN {printf "ratio %s commitment over the file (CPU) / openssl speed: %.2f (target >= 0.9)\n", s, o / r}'
done

"$bench" --build "$build" --only overhead "${@:2}"
"$bench" --build "$build" --only load "${@:2}"
