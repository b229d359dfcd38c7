//! Place names and fair texts in the UI language: Chinese as in the fair file; English
//! from its `*_en` fields, else in pinyin (`domain::fair` decides which).

use crate::domain::fair::FairFile;

pub(crate) fn county(fair: &FairFile, name: &str, en: bool) -> String {
    if en && !name.is_empty() {
        fair.county_en(name)
    } else {
        name.to_string()
    }
}

pub(crate) fn township(fair: &FairFile, name: &str, en: bool) -> String {
    if en && !name.is_empty() {
        fair.township_en(name)
    } else {
        name.to_string()
    }
}

pub(crate) fn village(fair: &FairFile, township: &str, name: &str, en: bool) -> String {
    if en && !name.is_empty() {
        fair.village_en(township, name)
    } else {
        name.to_string()
    }
}

/// County, township and village, joined with spaces (empty parts left out).
pub(crate) fn home(fair: &FairFile, c: &str, t: &str, v: &str, en: bool) -> String {
    [
        county(fair, c, en),
        township(fair, t, en),
        village(fair, t, v, en),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(if en { ", " } else { " " })
}
