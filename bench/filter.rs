//! `filter`: the openings page answering a keystroke, over a synthetic fair.

use crate::timing::{self, Samples, measure};
use jobfair_kiosk::domain::fair::{Benefit, Trade};
use jobfair_kiosk::domain::opening_filter::{Filter, OpeningIndex, Sort, synthetic_fair};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// How many rounds of the keystroke mix to time (each round applies every case once).
pub struct FilterPlan {
    pub warmup_rounds: usize,
    pub rounds: usize,
    /// Timed builds of the index.
    pub builds: usize,
}

/// One kind of keystroke: a label for the report and the filters it stands for.
struct Case {
    label: &'static str,
    filters: Vec<Filter>,
}

pub fn run(openings: usize, plan: &FilterPlan) {
    println!("filter: {openings} openings (synthetic_fair({openings}, 1))");
    let fair = synthetic_fair(openings, 1);
    let build = measure(0, plan.builds, || OpeningIndex::new(black_box(&fair)));
    let index = OpeningIndex::new(&fair);
    assert_eq!(index.len(), openings);

    let cases = cases();
    let mut per_case: Vec<Vec<Duration>> = vec![Vec::new(); cases.len()];
    let mut all = Vec::new();
    let mut matched = 0usize;
    for round in 0..plan.warmup_rounds + plan.rounds {
        for (case, times) in cases.iter().zip(&mut per_case) {
            for filter in &case.filters {
                let start = Instant::now();
                let shown = index.apply(black_box(filter));
                let elapsed = start.elapsed();
                matched += black_box(shown).len();
                if round >= plan.warmup_rounds {
                    times.push(elapsed);
                    all.push(elapsed);
                }
            }
        }
    }
    black_box(matched);

    timing::header();
    timing::row("OpeningIndex::new", &build);
    let all = Samples::new(all);
    timing::row("apply, whole keystroke mix", &all);
    for (case, times) in cases.iter().zip(per_case) {
        timing::row(&format!("  {}", case.label), &Samples::new(times));
    }
    println!(
        "  shown per call, mean: {:.0}",
        matched as f64 / calls(&cases, plan) as f64
    );
    // The goal is for 10,000 openings; p99 of the whole mix, so a bad tail counts.
    if openings == 10_000 {
        let p99 = all.p99();
        timing::goal(
            "filter_10000_p99",
            &timing::fmt(p99),
            "≤ 5 ms",
            p99 <= Duration::from_millis(5),
        );
    }
    println!();
}

fn calls(cases: &[Case], plan: &FilterPlan) -> usize {
    let per_round: usize = cases.iter().map(|c| c.filters.len()).sum();
    per_round * (plan.warmup_rounds + plan.rounds)
}

/// The keystroke mix: each trade, a benefit, both, each sort and typed text
/// growing one character at a time.
fn cases() -> Vec<Case> {
    let text = |t: &str| Filter {
        text: t.into(),
        ..Filter::default()
    };
    let one = |label, filter| Case {
        label,
        filters: vec![filter],
    };
    vec![
        one("no filter", Filter::default()),
        Case {
            label: "trade (each of 18)",
            filters: Trade::ALL
                .iter()
                .map(|&t| Filter {
                    trade: Some(t),
                    ..Filter::default()
                })
                .collect(),
        },
        one(
            "benefit dormitory",
            Filter {
                benefit: Some(Benefit::Dormitory),
                ..Filter::default()
            },
        ),
        one(
            "trade welding + benefit meals",
            Filter {
                trade: Some(Trade::Welding),
                benefit: Some(Benefit::Meals),
                ..Filter::default()
            },
        ),
        one(
            "sort wage high first",
            Filter {
                sort: Sort::WageHighFirst,
                ..Filter::default()
            },
        ),
        one(
            "sort wage low first",
            Filter {
                sort: Sort::WageLowFirst,
                ..Filter::default()
            },
        ),
        one("text \"焊\"", text("焊")),
        one("text \"焊工\"", text("焊工")),
        one("text \"c\"", text("c")),
        one("text \"cn\"", text("cn")),
        one("text \"cnc\"", text("cnc")),
        one("text \"ＣＮＣ\" (full-width)", text("ＣＮＣ")),
        one("text \"东莞 夜班\" (two terms)", text("东莞 夜班")),
        one("text \"welder\"", text("welder")),
        one("text, no match \"xyzzy\"", text("xyzzy")),
        one(
            "trade+benefit+text+sort",
            Filter {
                trade: Some(Trade::Welding),
                benefit: Some(Benefit::Dormitory),
                text: "焊工".into(),
                sort: Sort::WageHighFirst,
            },
        ),
    ]
}
