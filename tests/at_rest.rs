//! Issue 17's acceptance test: after a day of sign-ups, no phone number and no resident ID
//! number is anywhere under the data dir in plaintext — the database, its WAL and shared
//! memory, the sign-up journal, the config, the keys, free pages included (every byte of
//! every file is searched), in ASCII/UTF-8 and in UTF-16LE and UTF-16BE (the encodings
//! SQLite can store text in).
//!
//! A child process registers synthetic villagers (`dev register-loop`) and is killed
//! (SIGKILL) at random moments, seeded like `tests/power_cut.rs`
//! (`AT_REST_SEED=<n> cargo test --test at_rest -- --ignored` replays a run), until
//! hundreds are acknowledged; then every number a child could have written is searched.
//!
//! IGNORED until the store seals personal numbers (issue 17, step 2): it fails on today's
//! store, which keeps every phone and ID in clear — that failure is what this test is for.

#[path = "common/rng.rs"]
mod rng;

use jobfair_kiosk::domain::resident_id::synthesize;
use rng::Rng;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// Acknowledged sign-ups to reach ("hundreds of villagers").
const TARGET: usize = 300;
/// Most acknowledgements read before a kill.
const MAX_ACKS: u64 = 40;
const MAX_DELAY_MS: u64 = 20;
/// Villager numbers per round (the child numbers phones and IDs from `--start`).
const NUMBERS_PER_ROUND: u32 = 10_000;

/// The phone and the resident ID of synthetic villager `n`, as `dev register-loop` makes
/// them (src/cli/dev.rs, `synthetic_draft`).
fn numbers_of(n: u32) -> [String; 2] {
    let phone = format!("139{:08}", n % 100_000_000);
    let base = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
    let birth = base + chrono::Days::new(u64::from(n / 1000) % 10_000);
    let id = synthesize("520000", birth, (n % 1000) as u16);
    [phone, id.as_str().to_string()]
}

/// `text` as ASCII, UTF-16LE and UTF-16BE bytes.
fn encodings(text: &str) -> [Vec<u8>; 3] {
    let le = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    [text.as_bytes().to_vec(), le, be]
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Every (file, number, encoding) where a number of `villagers` is found in clear. Each
/// file is read once: every window of each needle length is looked up in a set.
fn plaintext_found(dir: &Path, villagers: &[u32]) -> Vec<String> {
    let mut needles: BTreeMap<usize, HashMap<Vec<u8>, String>> = BTreeMap::new();
    for &n in villagers {
        for number in numbers_of(n) {
            for (encoding, needle) in ["ASCII", "UTF-16LE", "UTF-16BE"]
                .iter()
                .zip(encodings(&number))
            {
                needles
                    .entry(needle.len())
                    .or_default()
                    .insert(needle, format!("{number} in {encoding}"));
            }
        }
    }
    let mut files = Vec::new();
    files_under(dir, &mut files);
    files.sort();
    let mut found = BTreeSet::new();
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        for (len, set) in &needles {
            for window in bytes.windows(*len) {
                if let Some(what) = set.get(window) {
                    found.insert(format!("{name} holds {what}"));
                }
            }
        }
    }
    found.into_iter().collect()
}

#[test]
#[ignore = "issue 17: fails until the store seals phones and resident IDs"]
fn no_phone_or_resident_id_is_left_in_plaintext_after_sign_ups_cut_by_kills() {
    let seed = Rng::seed_from_env("AT_REST_SEED");
    println!("at_rest: seed {seed} (AT_REST_SEED={seed} replays this run)");
    let mut rng = Rng::new(seed);
    let dir = tempfile::tempdir().unwrap();
    let mut acknowledged = 0usize;
    // Every villager number a child may have started writing: those acknowledged and the
    // one in flight at the kill.
    let mut villagers = Vec::new();
    let mut round = 0u32;
    while acknowledged < TARGET {
        let acks = rng.range(1, MAX_ACKS);
        let delay = Duration::from_millis(rng.range(0, MAX_DELAY_MS));
        let start = round * NUMBERS_PER_ROUND;
        let mut child = Command::new(env!("CARGO_BIN_EXE_jobfair-kiosk"))
            .arg("--data-dir")
            .arg(dir.path())
            .args(["dev", "register-loop", "--start"])
            .arg(start.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the binary starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut this_round = 0u32;
        for _ in 0..acks {
            match lines.next() {
                Some(Ok(_)) => this_round += 1,
                _ => panic!("seed {seed}, round {round}: the child stopped acknowledging"),
            }
        }
        std::thread::sleep(delay);
        child.kill().unwrap();
        this_round += lines.map_while(Result::ok).count() as u32;
        child.wait().unwrap();
        acknowledged += this_round as usize;
        villagers.extend(start..=start + this_round);
        round += 1;
    }
    let found = plaintext_found(dir.path(), &villagers);
    assert!(
        found.is_empty(),
        "seed {seed}: {} plaintext finds for {} villagers ({acknowledged} acknowledged), e.g.:\n{}",
        found.len(),
        villagers.len(),
        found[..found.len().min(12)].join("\n")
    );
}

#[test]
fn the_search_finds_a_number_in_each_encoding_sqlite_may_use() {
    // The search itself must not be blind: a number planted in each encoding is found.
    let dir = tempfile::tempdir().unwrap();
    let [phone, id] = numbers_of(12_345);
    let [ascii, _, be] = encodings(&phone);
    let [_, le, _] = encodings(&id);
    std::fs::write(dir.path().join("a"), [b"xx".as_slice(), &ascii].concat()).unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("sub/b"), [le, be].concat()).unwrap();
    let found = plaintext_found(dir.path(), &[12_345, 12_346]);
    assert_eq!(
        found,
        [
            format!("a holds {phone} in ASCII"),
            format!("b holds {phone} in UTF-16BE"),
            format!("b holds {id} in UTF-16LE"),
        ]
    );
}
