//! A tiny timing toolkit: collect one duration per call, then summarise as
//! min / median / p99 / mean / max. No statistics beyond that on purpose.

use std::time::{Duration, Instant};

/// Durations of individual calls, kept sorted.
pub struct Samples {
    sorted: Vec<Duration>,
}

impl Samples {
    /// Sorts the collected durations (at least one).
    pub fn new(mut durations: Vec<Duration>) -> Samples {
        assert!(!durations.is_empty(), "no samples");
        durations.sort_unstable();
        Samples { sorted: durations }
    }

    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    pub fn min(&self) -> Duration {
        self.sorted[0]
    }

    pub fn max(&self) -> Duration {
        self.sorted[self.sorted.len() - 1]
    }

    /// Nearest-rank percentile, `p` in `0.0..=100.0`.
    pub fn percentile(&self, p: f64) -> Duration {
        let n = self.sorted.len();
        let rank = ((p / 100.0) * n as f64).ceil() as usize;
        self.sorted[rank.clamp(1, n) - 1]
    }

    pub fn median(&self) -> Duration {
        self.percentile(50.0)
    }

    pub fn p99(&self) -> Duration {
        self.percentile(99.0)
    }

    pub fn mean(&self) -> Duration {
        self.sorted.iter().sum::<Duration>() / self.sorted.len() as u32
    }
}

/// Runs `f` `warmup` times untimed, then `n` times, timing each call on its own.
/// The call's result goes through `black_box` so it cannot be optimised away.
pub fn measure<T>(warmup: usize, n: usize, mut f: impl FnMut() -> T) -> Samples {
    for _ in 0..warmup {
        std::hint::black_box(f());
    }
    let mut durations = Vec::with_capacity(n);
    for _ in 0..n {
        let start = Instant::now();
        let out = f();
        let elapsed = start.elapsed();
        std::hint::black_box(out);
        durations.push(elapsed);
    }
    Samples::new(durations)
}

/// Terminal columns of the label column.
const LABEL_COLUMNS: usize = 40;

/// Terminal columns `text` takes: CJK and full-width characters take two.
fn columns(text: &str) -> usize {
    text.chars()
        .map(|c| {
            if ('\u{2E80}'..='\u{FFEF}').contains(&c) {
                2
            } else {
                1
            }
        })
        .sum()
}

/// Header matching [`row`].
pub fn header() {
    println!(
        "  {:<w$} {:>6} {:>10} {:>10} {:>10} {:>10} {:>10}",
        "",
        "n",
        "min",
        "median",
        "p99",
        "mean",
        "max",
        w = LABEL_COLUMNS
    );
}

/// One line of results.
pub fn row(label: &str, s: &Samples) {
    println!(
        "  {}{} {:>6} {:>10} {:>10} {:>10} {:>10} {:>10}",
        label,
        " ".repeat(LABEL_COLUMNS.saturating_sub(columns(label))),
        s.len(),
        fmt(s.min()),
        fmt(s.median()),
        fmt(s.p99()),
        fmt(s.mean()),
        fmt(s.max())
    );
}

/// `12.3 µs`, `4.56 ms` or `1.23 s`, whichever reads best.
pub fn fmt(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us < 1_000.0 {
        format!("{us:.1} µs")
    } else if us < 1_000_000.0 {
        format!("{:.2} ms", us / 1e3)
    } else {
        format!("{:.2} s", us / 1e6)
    }
}

/// One machine-readable line per goal, collected by bench/run-all into bench/RESULTS.md:
/// `goal: <id> | <measured, with unit> | <goal text> | met|MISSED`.
pub fn goal(id: &str, measured: &str, goal: &str, met: bool) {
    let verdict = if met { "met" } else { "MISSED" };
    println!("goal: {id} | {measured} | {goal} | {verdict}");
}
