//! The openings page filter: trade, benefit, free text and sort order.
//!
//! [`OpeningIndex`] is built once per fair and then answers each keystroke by a
//! single pass over precomputed keys in a presorted order, with no allocation
//! per opening.

mod synthetic;

#[cfg(test)]
mod tests;

use std::collections::HashMap;

use crate::fair::{Benefit, FairFile, Opening, Trade};

pub use synthetic::synthetic_fair;

/// Order of the filtered list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Sort {
    /// As listed in the fair file.
    #[default]
    FileOrder,
    /// Highest `wage_max` first, then highest `wage_min`, then lowest id.
    WageHighFirst,
    /// Lowest `wage_min` first, then lowest `wage_max`, then lowest id.
    WageLowFirst,
}

/// What the visitor chose on the openings page. `Default` shows everything in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub trade: Option<Trade>,
    pub benefit: Option<Benefit>,
    /// Whitespace-separated terms; an opening must contain every one, ignoring case.
    pub text: String,
    pub sort: Sort,
}

const _: () = assert!(Benefit::ALL.len() <= 32, "benefit masks are u32");

/// Search keys and sort orders of one fair's openings.
#[derive(Debug, Clone)]
pub struct OpeningIndex {
    /// Folded title, title_en, employer name and name_en, work_place and skills, one line each.
    keys: Vec<String>,
    trades: Vec<Trade>,
    /// Bit `Benefit::index()` is set when the opening offers that benefit.
    benefits: Vec<u32>,
    wage_high_first: Vec<usize>,
    wage_low_first: Vec<usize>,
}

impl OpeningIndex {
    /// Precomputes search keys and sort orders for `fair.openings`.
    pub fn new(fair: &FairFile) -> OpeningIndex {
        let employers: HashMap<&str, _> =
            fair.employers.iter().map(|e| (e.id.as_str(), e)).collect();
        let openings = &fair.openings;
        let keys = openings
            .iter()
            .map(|o| {
                let employer = employers.get(o.employer.as_str());
                let parts = [
                    Some(o.title.as_str()),
                    o.title_en.as_deref(),
                    employer.map(|e| e.name.as_str()),
                    employer.and_then(|e| e.name_en.as_deref()),
                    Some(o.work_place.as_str()),
                    Some(o.skills.as_str()),
                ];
                let parts: Vec<&str> = parts.into_iter().flatten().collect();
                fold(&parts.join("\n"))
            })
            .collect();
        let mut wage_high_first: Vec<usize> = (0..openings.len()).collect();
        wage_high_first.sort_by(|&a, &b| wage_high_order(&openings[a], &openings[b]));
        let mut wage_low_first: Vec<usize> = (0..openings.len()).collect();
        wage_low_first.sort_by(|&a, &b| wage_low_order(&openings[a], &openings[b]));
        OpeningIndex {
            keys,
            trades: openings.iter().map(|o| o.trade).collect(),
            benefits: openings
                .iter()
                .map(|o| o.benefits.iter().fold(0, |mask, b| mask | 1 << b.index()))
                .collect(),
            wage_high_first,
            wage_low_first,
        }
    }

    /// Number of openings indexed.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Indices into `fair.openings` of the openings that pass `filter`, in its order.
    pub fn apply(&self, filter: &Filter) -> Vec<usize> {
        let terms: Vec<String> = fold(&filter.text)
            .split_whitespace()
            .map(str::to_string)
            .collect();
        let benefit_bit = filter.benefit.map_or(0, |b| 1u32 << b.index());
        let keep = |i: usize| {
            filter.trade.is_none_or(|t| self.trades[i] == t)
                && self.benefits[i] & benefit_bit == benefit_bit
                && terms.iter().all(|t| self.keys[i].contains(t.as_str()))
        };
        match filter.sort {
            Sort::FileOrder => (0..self.len()).filter(|&i| keep(i)).collect(),
            Sort::WageHighFirst => self
                .wage_high_first
                .iter()
                .copied()
                .filter(|&i| keep(i))
                .collect(),
            Sort::WageLowFirst => self
                .wage_low_first
                .iter()
                .copied()
                .filter(|&i| keep(i))
                .collect(),
        }
    }
}

/// The order of [`Sort::WageHighFirst`].
pub fn wage_high_order(a: &Opening, b: &Opening) -> std::cmp::Ordering {
    (b.wage_max, b.wage_min, a.id).cmp(&(a.wage_max, a.wage_min, b.id))
}

/// The order of [`Sort::WageLowFirst`].
pub fn wage_low_order(a: &Opening, b: &Opening) -> std::cmp::Ordering {
    (a.wage_min, a.wage_max, a.id).cmp(&(b.wage_min, b.wage_max, b.id))
}

/// Lower-cases and turns full-width ASCII (as typed by Chinese input methods,
/// e.g. `ＣＮＣ`) into ordinary ASCII, so both match the same openings.
pub fn fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}
