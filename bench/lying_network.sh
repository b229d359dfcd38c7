#!/usr/bin/env bash
# The long lying-network run (tests/lying_network.rs, #[ignore]d in `cargo test`):
# a kiosk registers LYING_NETWORK_RECORDS sign-ups over LYING_NETWORK_SECS seconds
# while its upload worker goes through a proxy that injects random (seeded) faults;
# then the network is put right and every record must be on the base exactly once.
#
#   bench/lying_network.sh                       # 300 s, 3000 records, a fresh seed
#   LYING_NETWORK_SECS=600 LYING_NETWORK_RECORDS=6000 bench/lying_network.sh
#   LYING_NETWORK_SEED=1234 bench/lying_network.sh   # replay a seed
#
# Extra arguments go to cargo (e.g. --release). The summary is printed at the end;
# bench/reliability.md has the results of the recorded runs.
set -euo pipefail
cd "$(dirname "$0")/.."
export LYING_NETWORK_SECS="${LYING_NETWORK_SECS:-300}"
export LYING_NETWORK_RECORDS="${LYING_NETWORK_RECORDS:-3000}"
exec cargo test "$@" --test lying_network -- --ignored --nocapture --test-threads=1
