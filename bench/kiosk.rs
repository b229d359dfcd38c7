//! The kiosk's benchmarks: a plain `main`, no harness. See bench/README.md.
//!
//! ```text
//! cargo bench --bench kiosk              # everything (release profile)
//! cargo bench --bench kiosk -- filter    # only benches whose name contains "filter"
//! ```
//!
//! Without `--bench` on the command line (as under `cargo test --benches`), every
//! bench runs once with tiny sample counts, as a smoke test; its figures mean nothing.

mod commit;
mod filter;
mod raw_sync;
mod timing;

use commit::CommitPlan;
use filter::FilterPlan;

/// A named benchmark; `smoke` asks for tiny sample counts.
struct Bench {
    name: &'static str,
    run: fn(smoke: bool),
}

const BENCHES: &[Bench] = &[
    Bench {
        name: "commit",
        run: run_commit,
    },
    Bench {
        name: "filter_10000",
        run: |smoke| run_filter(10_000, smoke),
    },
    Bench {
        name: "filter_2000",
        run: |smoke| run_filter(2_000, smoke),
    },
];

fn run_commit(smoke: bool) {
    let plan = if smoke {
        CommitPlan {
            warmup: 1,
            samples: 5,
        }
    } else {
        CommitPlan {
            warmup: 10,
            samples: 300,
        }
    };
    commit::run(&plan);
}

fn run_filter(openings: usize, smoke: bool) {
    let plan = if smoke {
        FilterPlan {
            warmup_rounds: 0,
            rounds: 1,
            builds: 1,
        }
    } else {
        // 33 filters a round: 200 rounds are 6,600 timed calls.
        FilterPlan {
            warmup_rounds: 5,
            rounds: 200,
            builds: 10,
        }
    };
    filter::run(openings, &plan);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let smoke = !args.iter().any(|a| a == "--bench");
    let wanted: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .map(String::as_str)
        .collect();
    let chosen: Vec<&Bench> = BENCHES
        .iter()
        .filter(|b| wanted.is_empty() || wanted.iter().any(|w| b.name.contains(w)))
        .collect();
    if chosen.is_empty() {
        let names: Vec<&str> = BENCHES.iter().map(|b| b.name).collect();
        eprintln!(
            "no benchmark matches {wanted:?}; there are: {}",
            names.join(", ")
        );
        std::process::exit(2);
    }
    if smoke {
        println!("smoke run (no --bench): tiny sample counts, figures are meaningless\n");
    } else if cfg!(debug_assertions) {
        println!("warning: debug assertions are on; run `cargo bench` for a release build\n");
    }
    for bench in chosen {
        (bench.run)(smoke);
    }
}
