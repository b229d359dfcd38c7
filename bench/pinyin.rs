//! The pinyin keyboard's candidate engine: keystroke latency, memory, candidate quality.
//! A plain `main`, no harness. See bench/README.md, section "Pinyin".
//!
//! ```text
//! cargo bench --bench pinyin
//! ```
//!
//! Without `--bench` on the command line (as under `cargo test --benches`) it runs one
//! round with few samples, as a smoke test; its timings mean nothing.

use std::time::{Duration, Instant};

use jobfair_kiosk::domain::fair::FairFile;
use jobfair_kiosk::domain::pinyin::eval::{Name, enter_name, single_chars, synthetic_names};
use jobfair_kiosk::domain::pinyin::tables::{GIVEN_NAME_CHARS, TOP_SURNAMES, parse_table};
use jobfair_kiosk::domain::pinyin::{Engine, Slot};

/// Every place name and trade of the embedded demo fair, as the kiosk passes them.
fn demo_words() -> Vec<String> {
    let fair = FairFile::from_json(include_str!("../assets/demo-fair.json")).unwrap();
    let mut words = Vec::new();
    for county in &fair.places {
        words.push(county.name.clone());
        for township in &county.townships {
            words.push(township.name.clone());
            words.extend(township.villages.iter().cloned());
        }
    }
    words.extend(fair.openings.iter().map(|o| o.title.clone()));
    words.sort();
    words.dedup();
    words
}

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
    let full = std::env::args().any(|a| a == "--bench");
    let words = demo_words();
    let refs: Vec<&str> = words.iter().map(String::as_str).collect();
    let rss_before = vm_rss_kib();
    let start = Instant::now();
    let engine = Engine::new(&refs);
    let build = start.elapsed();
    let rss_built = vm_rss_kib();
    println!(
        "engine build: {build:?} ({} boosted words of the demo fair; {} readings filled from the `pinyin` crate)",
        words.len(),
        engine.filled_readings
    );

    let given = single_chars(GIVEN_NAME_CHARS);
    let names = synthetic_names(200, &given);
    latency(&engine, &names, if full { 5 } else { 1 });
    let rss_used = vm_rss_kib();
    let added_mb = (rss_used - rss_before) as f64 / 1024.0;
    goal(
        "pinyin_dictionary_rss",
        &format!("+{added_mb:.1} MB"),
        "≤ 30 MB",
        added_mb <= 30.0,
    );
    println!(
        "VmRSS KiB: before {rss_before}, after build {rss_built} (+{}), after all queries {rss_used} (+{})",
        rss_built - rss_before,
        rss_used - rss_before
    );
    surnames(&engine);
    println!(
        "\n== 200 synthetic names (surname i % 100, given characters from the given-name table)"
    );
    names_report(&engine, &names);
}

/// Every prefix of every name typed at the start of the name field, plus a continuation query
/// after the surname (second page), as the keyboard asks after each key.
fn latency(engine: &Engine, names: &[Name], rounds: usize) {
    let mut samples = Vec::new();
    for round in 0..=rounds {
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
            let rest = &pinyin[name.parts[0].1.len()..];
            let t = Instant::now();
            std::hint::black_box(engine.candidates_in(Slot::NameRest, rest, 1));
            if round > 0 {
                samples.push(t.elapsed());
            }
        }
    }
    samples.sort();
    let median = percentile(&samples, 0.5);
    goal(
        "pinyin_keystroke_median",
        &format!("{median:?}"),
        "≤ 2 ms",
        median <= Duration::from_millis(2),
    );
    println!(
        "keystroke -> candidates ({} samples, {rounds} rounds after 1 warm-up): median {:?}, p90 {:?}, p99 {:?}, max {:?}",
        samples.len(),
        percentile(&samples, 0.5),
        percentile(&samples, 0.9),
        percentile(&samples, 0.99),
        samples[samples.len() - 1]
    );
}

fn surnames(engine: &Engine) {
    let (mut first, mut on_page) = (0, 0);
    let mut not_first = Vec::new();
    for (text, readings) in parse_table(TOP_SURNAMES) {
        let bar = engine.candidates(readings[0], 0);
        match bar.iter().position(|c| c.text == text) {
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
    goal(
        "pinyin_surnames_first_page",
        &format!("{on_page}/100 ({first} first)"),
        "100/100",
        on_page == 100,
    );
}

fn names_report(engine: &Engine, names: &[Name]) {
    let (mut taps, mut whole) = (0, 0);
    let mut missed = Vec::new();
    for name in names {
        let entry = enter_name(engine, name);
        taps += entry.taps;
        whole += usize::from(entry.taps == 1);
        for c in &entry.misses {
            missed.push(format!("{c} in {} ({})", name.text(), name.pinyin()));
        }
    }
    println!(
        "mean taps per name: {:.2}; entered with one whole-name tap: {whole}/{}; characters not on the first page: {}",
        taps as f64 / names.len() as f64,
        names.len(),
        missed.len()
    );
    for m in &missed {
        println!("  miss: {m}");
    }
    let mean = taps as f64 / names.len() as f64;
    goal(
        "pinyin_200_names_misses",
        &missed.len().to_string(),
        "0",
        missed.is_empty(),
    );
    goal(
        "pinyin_200_names_taps",
        &format!("{mean:.2} taps/name"),
        "≤ 2.5",
        mean <= 2.5,
    );
}

/// One machine-readable line per goal, collected by `bench/run-all` into RESULTS.md.
fn goal(id: &str, measured: &str, target: &str, met: bool) {
    let verdict = if met { "met" } else { "MISSED" };
    println!("goal: {id} | {measured} | {target} | {verdict}");
}
