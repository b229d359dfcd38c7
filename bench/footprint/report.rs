//! The footprint bench's report: min / median / max of both programs, the ratios, the goal lines.

use crate::procs::{Mem, mb};
use crate::{RUNS, Run};
use std::time::Duration;

/// The middle value (the upper one of an even count), nearest rank.
fn median<T: Copy + Ord>(mut v: Vec<T>) -> T {
    v.sort_unstable();
    v[(v.len() - 1) / 2]
}

pub fn report(kiosk: &[Run], chromium: &[Run], xvfb_before: Mem, xvfb_after: Mem) {
    println!("  {RUNS} runs each, interleaved; min / median / max");
    println!(
        "  {:<44} {:>27} {:>27}",
        "", "kiosk", "chromium (all processes)"
    );
    let ms = |d: Duration| format!("{:.0} ms", d.as_secs_f64() * 1e3);
    let row = |label: &str, k: Vec<u64>, c: Vec<u64>, f: &dyn Fn(u64) -> String| {
        let span = |mut v: Vec<u64>| {
            v.sort_unstable();
            format!(
                "{} / {} / {}",
                f(v[0]),
                f(median(v.clone())),
                f(v[v.len() - 1])
            )
        };
        println!("  {label:<44} {:>27} {:>27}", span(k), span(c));
    };
    let nanos = |runs: &[Run]| runs.iter().map(|r| r.startup.as_nanos() as u64).collect();
    let field = |runs: &[Run], f: fn(&Mem) -> u64| runs.iter().map(|r| f(&r.mem)).collect();
    row(
        "start-up: exec → first frame / page drawn",
        nanos(kiosk),
        nanos(chromium),
        &|n| ms(Duration::from_nanos(n)),
    );
    row(
        "peak RSS (VmHWM, summed)",
        field(kiosk, |m| m.peak_rss),
        field(chromium, |m| m.peak_rss),
        &mb,
    );
    row(
        "RSS now (summed)",
        field(kiosk, |m| m.rss),
        field(chromium, |m| m.rss),
        &mb,
    );
    row(
        "PSS (smaps_rollup, summed)",
        field(kiosk, |m| m.pss),
        field(chromium, |m| m.pss),
        &mb,
    );
    let procs: Vec<usize> = chromium.iter().map(|r| r.processes).collect();
    println!("  chromium processes: {}", median(procs));
    println!(
        "  Xvfb PSS before the first kiosk run {}, after the last run {} (not counted above)",
        mb(xvfb_before.pss),
        mb(xvfb_after.pss)
    );

    let k_start = median(kiosk.iter().map(|r| r.startup).collect());
    let c_start = median(chromium.iter().map(|r| r.startup).collect());
    let k_peak = median(field(kiosk, |m| m.peak_rss));
    let k_pss = median(field(kiosk, |m| m.pss));
    let c_pss = median(field(chromium, |m| m.pss));
    let mem_ratio = k_peak as f64 / c_pss as f64;
    let start_ratio = k_start.as_secs_f64() / c_start.as_secs_f64();
    println!("  ratios of medians, kiosk / chromium:");
    println!("    {mem_ratio:.3}  kiosk peak RSS / chromium PSS (the issue's measure)");
    println!(
        "    {:.3}  kiosk PSS / chromium PSS",
        k_pss as f64 / c_pss as f64
    );
    println!("    {start_ratio:.3}  start-up");
    goal(
        "kiosk_peak_rss_openings_2000",
        &mb(k_peak),
        "≤ 40 MB",
        k_peak <= 40_000_000,
    );
    goal(
        "memory_kiosk_vs_chromium",
        &format!("{mem_ratio:.3}× ({} / {})", mb(k_peak), mb(c_pss)),
        "≤ 1/10",
        mem_ratio <= 0.1,
    );
    goal(
        "startup_kiosk_vs_chromium",
        &format!("{start_ratio:.3}× ({} / {})", ms(k_start), ms(c_start)),
        "≤ 1/5",
        start_ratio <= 0.2,
    );
    println!();
}

/// The machine-readable line bench/run-all collects into bench/RESULTS.md.
fn goal(id: &str, measured: &str, goal: &str, met: bool) {
    let verdict = if met { "met" } else { "MISSED" };
    println!("goal: {id} | {measured} | {goal} | {verdict}");
}
