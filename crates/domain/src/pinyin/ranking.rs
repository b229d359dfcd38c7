//! Per-syllable character orders for each input slot, precomputed once.

use std::collections::{HashMap, HashSet};

use super::char_index::{CharIndex, is_common};
use super::tables::{GIVEN_NAME_CHARS, MORE_SURNAMES, TOP_SURNAMES, parse_table};
use super::words::Word;

/// Where the typed pinyin goes; decides which table boosts the first syllable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// First character(s) of a person's name: surnames first.
    NameStart,
    /// Later characters of a name: given-name characters first.
    NameRest,
    /// Any other text (address, trade): only the fair's words are boosted.
    Plain,
}

/// Scores are `tier * TIER + within`: a character of a higher tier always ranks first.
/// Tiers: the slot's own table (surnames at a name's start, given-name characters after),
/// then (later in a name) the other surnames, then the fair's words, then common characters
/// (level 1 of the general standard table, and every listed surname and given-name
/// character), then the rare rest, each by corpus frequency.
const TIER: i64 = 1_000_000_000_000;
const TABLE_TIER: i64 = 4;
const SURNAME_TIER: i64 = 3;
const WORD_TIER: i64 = 2;
const COMMON_TIER: i64 = 1;
/// Within a table tier: the table's first row scores highest.
const TABLE_TOP: i64 = TIER - 1;
const RANK_STEP: i64 = 1_000;

/// Characters per syllable, best first, for each slot.
pub struct Ranking {
    orders: [HashMap<&'static str, Vec<(char, i64)>>; 3],
    /// (surname character, reading) → population rank (0 = most common).
    pub surnames: HashMap<(char, &'static str), usize>,
    /// (given-name character, reading) for given-name boosting.
    pub given: HashSet<(char, &'static str)>,
}

fn slot_index(slot: Slot) -> usize {
    match slot {
        Slot::NameStart => 0,
        Slot::NameRest => 1,
        Slot::Plain => 2,
    }
}

fn table_ranks(table: &'static str) -> Vec<((char, &'static str), usize)> {
    let mut out = Vec::new();
    for (text, readings) in parse_table(table) {
        let mut chars = text.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            continue;
        };
        for r in readings {
            if !out.iter().any(|(k, _)| *k == (c, r)) {
                out.push(((c, r), out.len()));
            }
        }
    }
    out
}

impl Ranking {
    /// Orders every syllable's characters for the three slots.
    ///
    /// `given_names` overrides the built-in given-name table (used by the
    /// held-out evaluation); `words` are the fair's boosted words.
    pub fn build(index: &CharIndex, given_names: Option<&'static str>, words: &[Word]) -> Self {
        let mut surnames: HashMap<(char, &'static str), usize> = HashMap::new();
        let mut rank = 0;
        for table in [TOP_SURNAMES, MORE_SURNAMES] {
            for (key, _) in table_ranks(table) {
                surnames.entry(key).or_insert_with(|| {
                    rank += 1;
                    rank - 1
                });
            }
        }
        let given_rows = table_ranks(given_names.unwrap_or(GIVEN_NAME_CHARS));
        let given_rank: HashMap<(char, &'static str), usize> = given_rows.iter().copied().collect();
        let mut word_chars: HashSet<(char, String)> = HashSet::new();
        for w in words {
            for (c, readings) in &w.char_readings {
                for r in readings {
                    word_chars.insert((*c, r.clone()));
                }
            }
        }
        let mut orders: [HashMap<&'static str, Vec<(char, i64)>>; 3] = Default::default();
        let table_chars: HashSet<char> = surnames
            .keys()
            .chain(given_rank.keys())
            .map(|&(c, _)| c)
            .collect();
        let common = |c: char| is_common(c) || table_chars.contains(&c);
        // A table reading (曾 zeng, 单 shan) counts as common even where the dictionary lacks it.
        for syl in index.syllables() {
            let mut chars: Vec<(char, i64)> = index.chars(syl).to_vec();
            // Table characters whose reading the index lacks still belong here.
            for &(c, r) in surnames.keys().chain(given_rank.keys()) {
                if r == syl && !chars.iter().any(|(x, _)| *x == c) {
                    chars.push((c, 1));
                }
            }
            for slot in [Slot::NameStart, Slot::NameRest, Slot::Plain] {
                let mut scored: Vec<(char, i64)> = chars
                    .iter()
                    .map(|&(c, base)| {
                        let base = base.clamp(0, TIER - 1);
                        let table = match slot {
                            Slot::NameStart => surnames.get(&(c, syl)),
                            Slot::NameRest => given_rank.get(&(c, syl)),
                            Slot::Plain => None,
                        };
                        let surname = match slot {
                            Slot::NameRest => surnames.get(&(c, syl)),
                            _ => None,
                        };
                        let score = if let Some(&r) = table {
                            TABLE_TIER * TIER + TABLE_TOP - RANK_STEP * r as i64
                        } else if let Some(&r) = surname {
                            SURNAME_TIER * TIER + TABLE_TOP - RANK_STEP * r as i64
                        } else if word_chars.contains(&(c, syl.to_string())) {
                            WORD_TIER * TIER + base
                        } else if (common(c) && !index.is_filled(syl, c))
                            || surnames.contains_key(&(c, syl))
                            || given_rank.contains_key(&(c, syl))
                        {
                            COMMON_TIER * TIER + base
                        } else {
                            base
                        };
                        (c, score)
                    })
                    .collect();
                scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                orders[slot_index(slot)].insert(syl, scored);
            }
        }
        let given = given_rows.into_iter().map(|(k, _)| k).collect();
        Ranking {
            orders,
            surnames,
            given,
        }
    }

    /// Characters read as `syllable`, best first for `slot`.
    pub fn chars(&self, slot: Slot, syllable: &str) -> &[(char, i64)] {
        self.orders[slot_index(slot)]
            .get(syllable)
            .map_or(&[], Vec::as_slice)
    }

    /// True when `c` is a listed surname read as `syllable`.
    pub fn is_surname(&self, c: char, syllable: &str) -> bool {
        self.surnames.keys().any(|&(x, r)| x == c && r == syllable)
    }

    /// True when `c` is in the given-name table under any reading.
    pub fn is_given(&self, c: char) -> bool {
        self.given.iter().any(|&(x, _)| x == c)
    }
}
