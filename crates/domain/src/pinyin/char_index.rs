//! Syllable → single characters with a base frequency score.
//!
//! Built once from the `inputx-pinyin` dictionary (readings + corpus
//! frequency), then completed with every reading the `pinyin` crate knows
//! (heteronyms such as 单 shan, 区 ou, 朴 piao) that the dictionary lacks.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use inputx_pinyin::PinyinDict;
use pinyin::ToPinyinMulti;

use super::syllable;

/// A reading filled in from the `pinyin` crate scores its character's best
/// score divided by this, so it ranks among the rare characters of that
/// syllable: such readings (方 wang, 六 lu) are real but seldom meant.
const FILL_DIVISOR: i64 = 8;

/// The 8,105 characters of the Table of General Standard Chinese Characters
/// (通用规范汉字表, 2013), embedded at compile time: every one of them is in the
/// kiosk's bundled font, and identity documents issued since 2013 use only them.
const GENERAL_STANDARD: &str = include_str!("../../../../assets/chars/tongyong-8105.txt");

/// Characters the kiosk offers: those of the general standard table, so that
/// every candidate can be drawn by the bundled font (no tofu boxes).
pub fn offered_chars() -> &'static HashSet<char> {
    static SET: OnceLock<HashSet<char>> = OnceLock::new();
    SET.get_or_init(|| {
        GENERAL_STANDARD
            .lines()
            .filter_map(|l| l.chars().next())
            .collect()
    })
}

/// Characters of level 1 of the general standard table (its first 3,500 lines, the
/// characters of everyday use): ranked before the rare ones.
pub fn is_common(c: char) -> bool {
    static SET: OnceLock<HashSet<char>> = OnceLock::new();
    SET.get_or_init(|| {
        GENERAL_STANDARD
            .lines()
            .take(3500)
            .filter_map(|l| l.chars().next())
            .collect()
    })
    .contains(&c)
}

fn offered(c: char) -> bool {
    offered_chars().contains(&c)
}

/// Base score of every (syllable, character) reading.
pub struct CharIndex {
    by_syllable: HashMap<&'static str, Vec<(char, i64)>>,
    /// How many readings came from the `pinyin` crate only.
    pub filled: usize,
    /// Those readings: real but seldom meant (方 wang, 派 mai), so never ranked as common.
    filled_readings: HashSet<(&'static str, char)>,
}

impl CharIndex {
    /// Scans the dictionary's single-character entries and fills the gaps.
    pub fn build(dict: &PinyinDict) -> Self {
        let mut by_syllable: HashMap<&'static str, HashMap<char, i64>> = HashMap::new();
        let mut best: HashMap<char, i64> = HashMap::new();
        dict.prefix_for_each_raw("", |code, word, freq| {
            let (Ok(code), Ok(word)) = (std::str::from_utf8(code), std::str::from_utf8(word))
            else {
                return;
            };
            let mut chars = word.chars();
            let (Some(c), None) = (chars.next(), chars.next()) else {
                return;
            };
            let Some(key) = syllable::canonical(code) else {
                return;
            };
            if !offered(c) {
                return;
            }
            let freq = i64::try_from(freq).unwrap_or(i64::MAX);
            let slot = by_syllable.entry(key).or_default().entry(c).or_insert(0);
            *slot = (*slot).max(freq);
            let top = best.entry(c).or_insert(0);
            *top = (*top).max(freq);
        });
        let mut filled = 0;
        let mut filled_readings = HashSet::new();
        for &c in offered_chars() {
            let Some(multi) = c.to_pinyin_multi() else {
                continue;
            };
            for reading in multi {
                let plain = reading.plain().replace('ü', "v");
                let Some(key) = syllable::canonical(&plain) else {
                    continue;
                };
                if let std::collections::hash_map::Entry::Vacant(slot) =
                    by_syllable.entry(key).or_default().entry(c)
                {
                    slot.insert((best.get(&c).copied().unwrap_or(0) / FILL_DIVISOR).max(1));
                    filled += 1;
                    filled_readings.insert((key, c));
                }
            }
        }
        let by_syllable = by_syllable
            .into_iter()
            .map(|(k, m)| (k, m.into_iter().collect()))
            .collect();
        CharIndex {
            by_syllable,
            filled,
            filled_readings,
        }
    }

    /// Characters read as `syllable`, unordered, with their base score.
    pub fn chars(&self, syllable: &str) -> &[(char, i64)] {
        self.by_syllable.get(syllable).map_or(&[], Vec::as_slice)
    }

    /// Base score of `c` read as `syllable`, if that reading is known.
    pub fn score(&self, syllable: &str, c: char) -> Option<i64> {
        self.chars(syllable)
            .iter()
            .find(|(x, _)| *x == c)
            .map(|(_, s)| *s)
    }

    /// True when `c` read as `syllable` came from the `pinyin` crate only.
    pub fn is_filled(&self, syllable: &str, c: char) -> bool {
        self.filled_readings.contains(&(syllable, c))
    }

    /// Every syllable in the index.
    pub fn syllables(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.by_syllable.keys().copied()
    }
}
