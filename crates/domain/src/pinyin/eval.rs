//! Synthetic names and the tap simulation used by the bench and the tests.
//!
//! Names are generated, never real people: a top-100 surname plus one or two
//! characters from a given-name list, chosen by a fixed pseudo-random walk.

use super::engine::{Candidate, Engine};
use super::tables::{TOP_SURNAMES, parse_table};

/// A synthetic name: characters with the reading typed for each.
#[derive(Debug, Clone)]
pub struct Name {
    /// Characters with the reading typed for each (surname reading first).
    pub parts: Vec<(char, &'static str)>,
}

impl Name {
    /// The name as written.
    pub fn text(&self) -> String {
        self.parts.iter().map(|p| p.0).collect()
    }

    /// The whole pinyin typed in one go.
    pub fn pinyin(&self) -> String {
        self.parts.iter().map(|p| p.1).collect()
    }
}

/// Distinct single characters of a table with their first reading, in order.
pub fn single_chars(table: &'static str) -> Vec<(char, &'static str)> {
    let mut out: Vec<(char, &'static str)> = Vec::new();
    for (text, readings) in parse_table(table) {
        let mut chars = text.chars();
        if let (Some(c), None) = (chars.next(), chars.next())
            && !out.iter().any(|p| p.0 == c)
        {
            out.push((c, readings[0]));
        }
    }
    out
}

/// `count` names: surname `i % 100`, one given character for every third
/// name and two otherwise, drawn from `given`.
pub fn synthetic_names(count: usize, given: &[(char, &'static str)]) -> Vec<Name> {
    let surnames = single_chars(TOP_SURNAMES);
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % n
    };
    (0..count)
        .map(|i| {
            let mut parts = vec![surnames[i % surnames.len()]];
            let len = if i % 3 == 0 { 1 } else { 2 };
            for _ in 0..len {
                parts.push(given[next(given.len())]);
            }
            Name { parts }
        })
        .collect()
}

/// Outcome of entering one name through the candidate bar.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    /// Taps on the candidate bar, page turns included.
    pub taps: usize,
    /// Characters that were not on the first page (found later or not at all).
    pub misses: Vec<char>,
}

/// The whole pinyin is typed, then the person taps the longest candidate that
/// is the next part of the name, turning pages (one tap each, up to five
/// pages) when it is not on the page shown.
pub fn enter_name(engine: &Engine, name: &Name) -> Entry {
    let mut entry = Entry::default();
    let mut done = 0;
    while done < name.parts.len() {
        let committed: String = name.parts[..done].iter().map(|p| p.0).collect();
        let rest = &name.parts[done..];
        let input: String = rest.iter().map(|p| p.1).collect();
        let mut chosen = None;
        for page in 0..5 {
            let bar = engine.candidates_after(&committed, &input, page);
            if let Some(n) = best_match(&bar, rest) {
                entry.taps += page + 1;
                chosen = Some(n);
                if page > 0 {
                    entry.misses.push(rest[0].0);
                }
                break;
            }
        }
        match chosen {
            Some(n) => done += n,
            None => {
                entry.taps += 5;
                entry.misses.push(rest[0].0);
                done += 1;
            }
        }
    }
    entry
}

/// How many characters of `rest` the best candidate on `bar` enters.
fn best_match(bar: &[Candidate], rest: &[(char, &'static str)]) -> Option<usize> {
    bar.iter()
        .filter_map(|c| {
            let n = c.text.chars().count();
            if n > rest.len() {
                return None;
            }
            let text_ok = c.text.chars().zip(rest).all(|(a, p)| a == p.0);
            let letters: usize = rest[..n].iter().map(|p| p.1.len()).sum();
            (text_ok && c.consumed == letters).then_some(n)
        })
        .max()
}
