#!/usr/bin/env bash
# verun end to end, on the SIMULATED platform, with real processes on
# 127.0.0.1 (DESIGN.md §4-§8):
#   1. keys: the log's note key (verun-log keygen) and a sim root key
#      (verun-runner sim-root init);
#   2. policies: the log's admission policy and the relying party's policy,
#      filled from examples/policies/ with the keys and the measurements
#      that `verun-runner measure --json` prints;
#   3. servers: verun-log serve (SQLite in WORK_DIR) and verun-runner serve
#      --platform sim, which registers its attested key in the log;
#   4. jobs: a public one (sha256 commitments) and a private one (salted-v1)
#      with `verun submit`, which checks the runner's attestation first;
#   5. the relying party checks both bundles offline with verun-verify,
#      `verun inspect` shows one, and tampered bundles are rejected.
# Every step prints one plain line. Exits non-zero if any outcome differs
# from the expected one (it is also a test: ctest -R e2e.demo), 77 if a
# program is missing. The servers are stopped on exit, even on failure.
# Usage: e2e-demo.sh BIN_DIR WORK_DIR
#   BIN_DIR: a folder holding verun, verun-log, verun-runner and verun-verify,
#            or a CMake build folder (they are looked up in its subfolders).
set -euo pipefail

if [ $# -ne 2 ] || [ "$1" = "--help" ]; then
  sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  [ "${1:-}" = "--help" ] && exit 0 || exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
examples="$(cd "$here/.." && pwd)"
bin_dir="$(cd "$1" && pwd)"
work="$2"
mkdir -p "$work"
work="$(cd "$work" && pwd)"

bold=$'\033[1m'; red=$'\033[31m'; green=$'\033[32m'; off=$'\033[0m'
if [ ! -t 1 ]; then bold=""; red=""; green=""; off=""; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$off"; }
say() { printf '   %s\n' "$*"; }
failures=0
fail() { printf '   %sUNEXPECTED: %s%s\n' "$red" "$*" "$off"; failures=$((failures + 1)); }
ok() { printf '   %sas expected: %s%s\n' "$green" "$*" "$off"; }

# find_bin NAME: BIN_DIR/NAME or the first BIN_DIR/*/NAME, BIN_DIR/*/*/NAME.
find_bin() {
  local name="$1" c
  for c in "$bin_dir/$name" "$bin_dir"/*/"$name" "$bin_dir"/*/*/"$name"; do
    if [ -x "$c" ] && [ -f "$c" ]; then echo "$c"; return 0; fi
  done
  return 1
}
for b in verun verun-log verun-runner verun-verify; do
  if ! p="$(find_bin "$b")"; then
    echo "e2e-demo: $b not found under $bin_dir (build the targets verun verun-log verun-runner verun-verify)" >&2
    exit 77
  fi
  printf -v "bin_${b//-/_}" '%s' "$p"
done
verun="$bin_verun"; verun_log="$bin_verun_log"; verun_runner="$bin_verun_runner"; verun_verify="$bin_verun_verify"

# jget FILE EXPR: a value from a JSON file, EXPR a Python expression on `d`.
jget() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); v=eval(sys.argv[2]); print(v if isinstance(v,str) else json.dumps(v))' "$1" "$2"; }

pids=()
cleanup() {
  local rc=$?
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_server NAME CMD...: starts CMD in the background, output in
# WORK/NAME.out/.err, waits for its "listening on" line; sets $port.
start_server() {
  local name="$1"; shift
  "$@" >"$work/$name.out" 2>"$work/$name.err" &
  pids+=("$!")
  local pid=$! line=""
  for _ in $(seq 1 300); do
    line="$(grep -m1 'listening on ' "$work/$name.out" || true)"
    [ -n "$line" ] && break
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  if [ -z "$line" ]; then
    echo "e2e-demo: $name did not start; its output:" >&2
    cat "$work/$name.out" "$work/$name.err" >&2
    exit 1
  fi
  port="${line##*:}"
  port="${port%%[!0-9]*}"
}

# expect_exit CODE LABEL CMD...: runs CMD (output in WORK/LABEL.txt) and
# checks its exit status.
expect_exit() {
  local want="$1" label="$2"; shift 2
  local rc=0
  "$@" >"$work/$label.txt" 2>&1 || rc=$?
  if [ "$rc" -ne "$want" ]; then
    fail "$label exited $rc, expected $want; output:"
    sed 's/^/      /' "$work/$label.txt"
    return 1
  fi
  return 0
}

cd "$work"
rm -rf log.key sim-root.key log.db log.db-* ./*.bundle.json ./*.out ./*.err out tampered
mkdir -p out tampered
registry="$examples/registry/registry.json"
text_input="$examples/data/notes.txt"
csv_input="$examples/data/credit-record.csv"

step "1. Keys: the log's note key and the sim root key (files mode 0600; never in argv or the environment)"
log_vkey="$("$verun_log" keygen --name demo.verun.dev/log --out log.key | tail -n 1)"
say "log verifier key: $log_vkey"
sim_root="$("$verun_runner" sim-root init --out sim-root.key 2>sim-root.err | tail -n 1)"
sim_root="${sim_root##* }"
say "sim root public key (SIMULATED platform, software only): $sim_root"

step "2. Measurements: the runner binary (SHA-384) and each workload (SHA-256 of JCS(manifest))"
"$verun_runner" measure --registry "$registry" --json >measure.json
runner_measurement="$(jget measure.json 'd["runner"]["measurement"]')"
say "verun-runner: $runner_measurement"
declare -A wl
for w in sha256sum wordcount credit-score; do
  wl[$w]="$(jget measure.json "[x for x in d['workloads'] if x['name']=='$w'][0]['measurement']['sha256']")"
  say "$w: ${wl[$w]}"
done

step "3. Policies from examples/policies/: the log's admission policy and the relying party's policy"
fill() {
  sed -e "s|@LOG_VKEY@|$log_vkey|" -e "s|@SIM_ROOT@|$sim_root|" -e "s|@RUNNER_MEASUREMENT@|$runner_measurement|" \
      -e "s|@WORKLOAD_sha256sum@|${wl[sha256sum]}|" -e "s|@WORKLOAD_wordcount@|${wl[wordcount]}|" \
      -e "s|@WORKLOAD_credit-score@|${wl[credit-score]}|" "$1"
}
fill "$examples/policies/admission.template.json" >admission.json
fill "$examples/policies/relying-party.template.json" >policy.json
say "admission.json: sim allowed (allow_insecure_simulation), root + runner measurement, 3 workloads"
say "policy.json: the same, plus tlog_policy \"log <vkey>, quorum none\""

step "4. Start the transparency log: verun-log serve on 127.0.0.1 (ephemeral port, SQLite in $work/log.db)"
start_server log "$verun_log" serve --db "$work/log.db" --key "$work/log.key" --listen 127.0.0.1:0 \
  --admission-policy "$work/admission.json" --batch-wait-ms 5
log_url="http://127.0.0.1:$port"
say "log at $log_url"

step "5. Start the runner: verun-runner serve --platform sim (it registers its attested key in the log first)"
start_server runner "$verun_runner" serve --platform sim --log "$log_url" --log-vkey "$log_vkey" \
  --registry "$registry" --sim-root "$work/sim-root.key" --listen 127.0.0.1:0
runner_url="http://127.0.0.1:$port"
say "runner at $runner_url (SIMULATED)"
grep -m1 'registered' "$work/runner.out" | sed 's/^/   runner: /' || true

step "6. Public job: sha256sum over examples/data/notes.txt with sha256 commitments (verun submit --public)"
expect_exit 0 submit-public "$verun" submit --runner "$runner_url" --policy policy.json --workload sha256sum \
  --input "$text_input" -o out/public.out --bundle public.bundle.json --public --json
cp "$work/submit-public.txt" submit-public.json
say "output: $(cat out/public.out)"
want="$(sha256sum <"$text_input" | cut -d' ' -f1)"
if grep -q "$want" out/public.out; then ok "the output is coreutils sha256sum's digest of the input"; else fail "output differs from sha256sum"; fi

step "7. Private job: credit-score over examples/data/credit-record.csv with salted-v1 commitments"
expect_exit 0 submit-private "$verun" submit --runner "$runner_url" --policy policy.json --workload credit-score \
  --input "$csv_input" -o out/private.out --bundle private.bundle.json --json
cp "$work/submit-private.txt" submit-private.json
input_salt="$(jget submit-private.json 'd["input_salt"]')"
output_salt="$(jget submit-private.json 'd["output_salt"]')"
say "output: $(cat out/private.out)"
say "input salt $input_salt, output salt $output_salt (reveal them only to whoever may check the data)"

step "8. The relying party verifies both bundles offline (verun-verify bundle: exit 0 = valid)"
if expect_exit 0 verify-public "$verun_verify" bundle public.bundle.json --policy policy.json \
     --input "$text_input" --output out/public.out; then
  ok "public bundle valid, input and output match their sha256 commitments"
fi
if expect_exit 0 verify-private "$verun_verify" bundle private.bundle.json --policy policy.json \
     --input "$csv_input" --input-salt "$input_salt" --output out/private.out --output-salt "$output_salt"; then
  ok "private bundle valid, input and output match their salted-v1 commitments"
fi
sed 's/^/   | /' "$work/verify-private.txt"
if grep -q SIMULATED "$work/verify-private.txt"; then ok "the verifier's report says SIMULATED"; else fail "the report does not say SIMULATED"; fi

step "9. What a bundle holds: verun inspect private.bundle.json"
expect_exit 0 inspect "$verun" inspect private.bundle.json && sed 's/^/   | /' "$work/inspect.txt" | head -n 30 &&
  say "(the first 30 lines; all of it: $work/inspect.txt)"

step "10. Tampering is caught (verun-verify exit 1 with the failing check's code)"
# tampered_bundle OUT PYTHON: writes a copy of private.bundle.json changed by PYTHON (on `d`).
tampered_bundle() {
  python3 -c 'import json,sys,base64
d=json.load(open("private.bundle.json"))
exec(sys.argv[2])
json.dump(d, open(sys.argv[1], "w"))' "$1" "$2"
}
expect_rejected() {
  local label="$1"; shift
  local rc=0
  "$verun_verify" bundle "$@" --json >"$work/$label.json" 2>"$work/$label.err" || rc=$?
  if [ "$rc" -eq 1 ]; then
    ok "rejected (exit 1): $(jget "$work/$label.json" 'd["first_failure"]["code"] if isinstance(d.get("first_failure"), dict) else d.get("first_failure")')"
  else
    fail "$label: exit $rc, expected 1"; cat "$work/$label.err" >&2
  fi
}
say "- one byte of the receipt's signature flipped (the envelope is no longer the logged leaf, so its inclusion proof fails first):"
tampered_bundle tampered/sig.json '
s=d["receipt"]["envelope"]["signatures"][0]
raw=bytearray(base64.b64decode(s["sig"])); raw[10]^=1
s["sig"]=base64.b64encode(bytes(raw)).decode()'
expect_rejected tamper-sig tampered/sig.json --policy policy.json
say "- a different output claimed (the credit score changed):"
sed 's/[0-9]/7/' out/private.out >tampered/output.out
expect_rejected tamper-output private.bundle.json --policy policy.json --output tampered/output.out --output-salt "$output_salt"
say "- a policy that does not trust this runner's measurement:"
sed "s|$runner_measurement|$(printf '%096d' 0)|" policy.json >tampered/policy.json
expect_rejected tamper-policy private.bundle.json --policy tampered/policy.json

step "11. Stop the servers"
if [ "$failures" -eq 0 ]; then
  printf '\n%sEnd-to-end demo finished: every outcome as expected (SIMULATED platform). Files: %s%s\n' "$green" "$work" "$off"
else
  printf '\n%sEnd-to-end demo: %d unexpected outcome(s). Files: %s%s\n' "$red" "$failures" "$work" "$off"
  exit 1
fi
