#!/usr/bin/env bash
# A walk through verun's proofs core with the `verun tlog` commands:
#  1. make a log key (C2SP signed-note key, x/mod private-key form);
#  2. build a transparency log (RFC 9162 tree, C2SP tlog-tiles folder and a
#     signed C2SP checkpoint) from a few documents, one entry each;
#  3. prove one document's inclusion as a C2SP tlog-proof and verify it;
#  4. show that a tampered document, a wrong key and a tampered proof are
#     rejected, each with its stable error code;
#  5. if Go's reference checker is available, let it check the whole log.
# Usage: tlog-demo.sh VERUN_BINARY [WORKDIR]
set -euo pipefail
verun="$1"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="${2:-$(mktemp -d)}"
mkdir -p "$work"
cd "$work"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "1. A note key for the log (private key file mode 0600, verifier key printed)"
rm -f log.key other.key
"$verun" tlog keygen --name demo.verun.dev/log --out log.key | tee log.vkey
ls -l log.key | awk '{print $1, $NF}'

step "2. Build a log of 300 documents (one entry each) and sign a checkpoint"
mkdir -p docs
for i in $(seq 0 299); do
  printf '{"document": %d, "text": "hello from document %d"}\n' "$i" "$i" > "docs/$i.json"
done
"$verun" tlog build --key log.key --out log $(for i in $(seq 0 299); do echo "docs/$i.json"; done)
echo "tiles written:"; (cd log && find tile -type f | sort | sed 's/^/  /')

step "3. Prove that document 257 is in the log, and verify the proof offline"
"$verun" tlog prove --dir log --index 257 > doc257.tlog-proof
cat doc257.tlog-proof
"$verun" tlog verify --proof doc257.tlog-proof --entry docs/257.json --vkey "$(cat log.vkey)"

step "4. Tampering is caught"
sed 's/hello/HELLO/' docs/257.json > tampered.json
echo "- a changed document:"
"$verun" tlog verify --proof doc257.tlog-proof --entry tampered.json --vkey "$(cat log.vkey)" && exit 1 || echo "  (exit $?, as expected)"
echo "- another log's key with the same name:"
"$verun" tlog keygen --name demo.verun.dev/log --out other.key > other.vkey
"$verun" tlog verify --proof doc257.tlog-proof --entry docs/257.json --vkey "$(cat other.vkey)" && exit 1 || echo "  (exit $?, as expected)"
echo "- one hash of the proof changed:"
awk 'NR==3{sub(/^./, ($0 ~ /^A/) ? "B" : "A")}1' doc257.tlog-proof > bad.tlog-proof
"$verun" tlog verify --proof bad.tlog-proof --entry docs/257.json --vkey "$(cat log.vkey)" --json && exit 1 || echo "  (exit $?, as expected)"

step "5. Go's reference checker (golang.org/x/mod/sumdb) on the same log"
interop="${VERUN_SHARED:-$here/../../../shared}/tools/tlog-interop"
if [ -x "$interop/build.sh" ] && command -v go >/dev/null; then
  bin="$work/tlog-interop-bin"
  TLOG_INTEROP_BIN="$bin" bash "$interop/build.sh" >/dev/null 2>&1 || true
fi
if [ -n "${bin:-}" ] && [ -x "$bin/tlogcheck" ]; then
  "$bin/tlogcheck" -url "$work/log" -vkey "$(cat log.vkey)" -origin demo.verun.dev/log -all | tail -n 4
else
  echo "skipped: ../shared/tools/tlog-interop or Go is not available"
fi

printf '\nDemo finished: files are in %s\n' "$work"
