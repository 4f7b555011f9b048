#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 25): the cargo-fuzz targets on the nightly
# toolchain, the atheris targets in the venv. Usage: fuzz/run.sh [SECONDS] [TARGET...]
#
# Each target starts from its committed corpus (fuzz/corpus/<target>, read only: new inputs
# go to a scratch folder) and stops at its time budget. A crash, a panic, an uncaught
# exception, a leak or a timeout fails the run loudly, naming the input libFuzzer saved
# under $FUZZ_OUT/artifacts (docs/reliability.md says how to replay one). A toolchain that is
# absent (no nightly, no cargo-fuzz, no atheris) skips its targets with a line saying so.
# Per target it records the executions, the seconds and the outcome in $FUZZ_OUT/summary.tsv.
set -Eeuo pipefail
cd "$(dirname "$0")/.."

SECONDS_EACH=${1:-25}
shift || true
RUST_TARGETS=(scenario_file metadata_json wire_frames)
PY_TARGETS=(scenario_file metadata_json wire_frames binance_capture)
FUZZ_OUT=${FUZZ_OUT:-target/fuzz-runs/$(date -u +%Y%m%dT%H%M%SZ)}
PY=${PY:-.venv/bin/python}
ENGINES=${FUZZ_ENGINES:-rust python}  # FUZZ_ENGINES=python: the atheris targets only
# rss_limit: an input that makes a decoder allocate gigabytes is a finding, not a slow run
LIBFUZZER_ARGS=(-max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1)
mkdir -p "$FUZZ_OUT/artifacts"
printf 'target\tengine\tseconds\texecutions\tcorpus\toutcome\n' >"$FUZZ_OUT/summary.tsv"

wanted() { [ ${#ONLY[@]} -eq 0 ] || [[ " ${ONLY[*]} " == *" $1 "* ]]; }
ONLY=("$@")
failed=()

# run_one NAME ENGINE COMMAND...: runs a libFuzzer-style command, records its figures
run_one() {
  local name=$1 engine=$2
  shift 2
  local work="$FUZZ_OUT/work/$engine-$name" log="$FUZZ_OUT/$engine-$name.log"
  mkdir -p "$work"
  local t0 rc=0
  t0=$(date +%s)
  echo "--- fuzz $engine $name (${SECONDS_EACH}s)"
  local sep=()
  if [ "$engine" = rust ]; then sep=(--); fi  # cargo fuzz: corpora, then libFuzzer's flags
  "$@" "$work" "fuzz/corpus/$name" "${sep[@]}" "${LIBFUZZER_ARGS[@]}" -dict=fuzz/dicts/json.dict \
    -artifact_prefix="$FUZZ_OUT/artifacts/$engine-$name-" >"$log" 2>&1 || rc=$?
  local execs corpus outcome
  execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
  corpus=$(find "$work" "fuzz/corpus/$name" -type f | wc -l)
  if [ "$rc" -eq 0 ]; then outcome=ok; else outcome="FAILED (exit $rc)"; failed+=("$engine $name"); fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$engine" "$(( $(date +%s) - t0 ))" "${execs:-?}" \
    "$corpus" "$outcome" | tee -a "$FUZZ_OUT/summary.tsv"
  if [ "$rc" -ne 0 ]; then
    echo "::error:: fuzz target $engine $name failed; its log ($log) ends:" >&2
    tail -n 40 "$log" >&2
    ls -1 "$FUZZ_OUT/artifacts/$engine-$name-"* >&2 2>/dev/null || true
  fi
}

if [[ " $ENGINES " != *" rust "* ]]; then
  :
elif ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzz: no nightly Rust toolchain, the cargo-fuzz targets are skipped"
elif ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "fuzz: cargo-fuzz is not installed (cargo install cargo-fuzz --locked), the cargo-fuzz targets are skipped"
else
  built=0
  for t in "${RUST_TARGETS[@]}"; do
    wanted "$t" || continue
    if [ "$built" -eq 0 ]; then
      echo "--- building the cargo-fuzz targets (nightly, AddressSanitizer)"
      cargo +nightly fuzz build --fuzz-dir fuzz >"$FUZZ_OUT/cargo-fuzz-build.log" 2>&1 \
        || { tail -n 40 "$FUZZ_OUT/cargo-fuzz-build.log" >&2; exit 1; }
      built=1
    fi
    run_one "$t" rust cargo +nightly fuzz run --fuzz-dir fuzz "$t"
  done
fi

if [[ " $ENGINES " != *" python "* ]]; then
  :
elif ! "$PY" -c 'import atheris' >/dev/null 2>&1; then
  echo "fuzz: atheris is not installed in $PY (make fuzz installs requirements/fuzz.txt), the Python targets are skipped"
else
  for t in "${PY_TARGETS[@]}"; do
    wanted "$t" || continue
    run_one "$t" python "$PY" "fuzz/python/$t.py"
  done
fi

echo "--- fuzz summary ($FUZZ_OUT/summary.tsv)"
column -t -s $'\t' "$FUZZ_OUT/summary.tsv" 2>/dev/null || cat "$FUZZ_OUT/summary.tsv"
if [ ${#failed[@]} -gt 0 ]; then
  echo "::error:: fuzzing found a crash in: ${failed[*]}" >&2
  exit 1
fi
