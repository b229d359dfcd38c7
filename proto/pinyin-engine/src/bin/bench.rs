//! Measures the engine: build time, memory, keystroke latency and quality.
//!
//! Run with `cargo run --release --bin bench`.

use std::time::{Duration, Instant};

use kiosk_pinyin::eval::{Name, enter_name, single_chars, synthetic_names};
use kiosk_pinyin::tables::{GIVEN_NAME_CHARS, TOP_SURNAMES, parse_table};
use kiosk_pinyin::{Engine, Slot};

const PLACES: &[&str] = &[
    "从江", "高增", "榕江", "黎平", "丙妹", "贯洞", "洛香", "往洞", "加榜",
];

fn vm_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let rss_before = vm_rss_kib();
    let start = Instant::now();
    let engine = Engine::new(PLACES);
    let build = start.elapsed();
    let rss_built = vm_rss_kib();
    println!(
        "build: {build:?}, readings filled from `pinyin` crate: {}",
        engine.filled_readings
    );

    let given = single_chars(GIVEN_NAME_CHARS);
    let names = synthetic_names(200, &given);
    latency(&engine, &names);
    let rss_used = vm_rss_kib();
    println!(
        "VmRSS KiB: before {rss_before}, after build {rss_built} (+{}), after all queries {rss_used} (+{})",
        rss_built - rss_before,
        rss_used - rss_before
    );

    surnames(&engine);
    println!("\n== 200 synthetic names, given-name table = the evaluation characters");
    names_report(&engine, &names, true);

    // Held out: boost only every other given-name character, and build the
    // names from the characters that are NOT boosted.
    let boosted: String = given
        .iter()
        .skip(1)
        .step_by(2)
        .map(|(c, r)| format!("{c}{r} "))
        .collect();
    let held_out: Vec<_> = given.iter().step_by(2).copied().collect();
    let engine_half = Engine::with_tables(PLACES, Some(Box::leak(boosted.into_boxed_str())));
    println!("\n== 200 synthetic names, held out: their given-name characters are NOT boosted");
    names_report(&engine_half, &synthetic_names(200, &held_out), false);
}

fn latency(engine: &Engine, names: &[Name]) {
    let mut samples = Vec::new();
    for round in 0..3 {
        for name in names {
            let pinyin = name.pinyin();
            for end in 1..=pinyin.len() {
                let t = Instant::now();
                let bar = engine.candidates(&pinyin[..end], 0);
                let d = t.elapsed();
                std::hint::black_box(bar);
                if round > 0 {
                    samples.push(d);
                }
            }
            let t = Instant::now();
            std::hint::black_box(engine.candidates_in(Slot::NameRest, &pinyin[2..], 1));
            if round > 0 {
                samples.push(t.elapsed());
            }
        }
    }
    samples.sort();
    println!(
        "keystroke -> candidates ({} samples): median {:?}, p90 {:?}, p99 {:?}, max {:?}",
        samples.len(),
        percentile(&samples, 0.5),
        percentile(&samples, 0.9),
        percentile(&samples, 0.99),
        samples[samples.len() - 1]
    );
}

fn surnames(engine: &Engine) {
    let rows = parse_table(TOP_SURNAMES);
    let (mut first, mut on_page) = (0, 0);
    let mut not_first = Vec::new();
    for (text, readings) in &rows {
        let bar = engine.candidates(readings[0], 0);
        match bar.iter().position(|c| c.text == *text) {
            Some(0) => {
                first += 1;
                on_page += 1;
            }
            Some(i) => {
                on_page += 1;
                not_first.push(format!("{text}({}) #{}", readings[0], i + 1));
            }
            None => not_first.push(format!("{text}({}) MISSING", readings[0])),
        }
    }
    println!("\n== top-100 surnames, typed alone at the start of a name field");
    println!("on first page: {on_page}/100, in first place: {first}/100");
    println!("not first: {}", not_first.join(", "));
}

fn names_report(engine: &Engine, names: &[Name], show_examples: bool) {
    let mut taps = 0;
    let mut missed = Vec::new();
    let mut whole = 0;
    for name in names {
        let entry = enter_name(engine, name);
        taps += entry.taps;
        if entry.taps == 1 {
            whole += 1;
        }
        for c in &entry.misses {
            missed.push(format!("{c} in {} ({})", name.text(), name.pinyin()));
        }
    }
    println!(
        "mean taps per name: {:.2}; names entered with one whole-name tap: {whole}/{}; \
         characters not on the first page: {}",
        taps as f64 / names.len() as f64,
        names.len(),
        missed.len()
    );
    for m in &missed {
        println!("  miss: {m}");
    }
    if show_examples {
        let sample: Vec<String> = names.iter().take(12).map(|n| n.text()).collect();
        println!("sample names: {}", sample.join(" "));
    }
}
