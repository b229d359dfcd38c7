#!/usr/bin/env bash
# Reproduces the fuzz runs of bench/fuzz.md: every target one after another, one job,
# at low priority (the machine is shared).
#
#   bench/fuzz.sh [RUNS_PER_TARGET] [TARGET...]     default: 10000000 runs, every target
#   MAX_TIME=SECONDS bench/fuzz.sh ...              also stop each target after SECONDS
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). The toolchain is stable: RUSTC_BOOTSTRAP=1
# lets cargo-fuzz pass its -Z flags. No sanitizer (`-s none`): the code under test is safe
# Rust, and ASan would cost much of the 2 shared cores' throughput; debug assertions and
# overflow checks are on (`-a`). Logs go to fuzz/logs/TARGET.log; their last lines hold
# the figures (executions, exec/s, cov, corpus).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10000000}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    # ticket_card last: every execution signs, seals and verifies (~600 exec/s here).
    targets=(resident_id phone ticket_decode fair_file openings_csv list_import ticket_card)
fi
# Only for cargo-fuzz: cargo fingerprints RUSTC_BOOTSTRAP, so setting it for the seed
# writer too would rebuild that from scratch.
fuzz=(env RUSTC_BOOTSTRAP=1 nice -n 10 cargo fuzz)

# The CSV targets are built without comparison tracing, in their own target dir: csv-core
# builds its DFA on every `Reader::new`, and with trace-compares that construction alone
# took ~90 % of the time (4,000 exec/s instead of tens of thousands).
opts_for() {
    case $1 in
        openings_csv | list_import)
            echo "--fuzz-dir fuzz -s none -a --no-trace-compares --target-dir fuzz/target/no-trace-compares" ;;
        *) echo "--fuzz-dir fuzz -s none -a" ;;
    esac
}

# Seed corpora, written by the kiosk's own code (synthetic data only).
(cd fuzz && nice -n 10 cargo run --quiet --release --features seed --bin seed corpus)
mkdir -p fuzz/logs
extra=()
failed=0
if [ -n "${MAX_TIME:-}" ]; then extra=(-max_total_time="$MAX_TIME"); fi
for t in "${targets[@]}"; do
    read -r -a opts <<<"$(opts_for "$t")"
    "${fuzz[@]}" build "${opts[@]}" "$t"
    echo "== $t: $runs runs"
    start=$(date +%s)
    "${fuzz[@]}" run "${opts[@]}" "$t" -- -runs="$runs" "${extra[@]}" \
        -print_final_stats=1 >"fuzz/logs/$t.log" 2>&1 || {
        # A crash ends that target's run; the others still run, and the script fails.
        echo "!! $t failed, see fuzz/logs/$t.log and fuzz/artifacts/$t/"
        grep -E 'panicked at|^SUMMARY|Test unit written' "fuzz/logs/$t.log" || true
        failed=1
        continue
    }
    echo "   $(($(date +%s) - start)) s wall"
    grep -E '^#[0-9]+[[:space:]]+DONE' "fuzz/logs/$t.log" | tail -n 1
    grep -E 'stat::number_of_executed_units|stat::average_exec_per_sec' "fuzz/logs/$t.log"
    echo "   corpus: $(find "fuzz/corpus/$t" -type f | wc -l) files"
done
exit "$failed"
