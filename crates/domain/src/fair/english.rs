//! English names of the fair's places and texts: the `*_en` field of the fair file when
//! there is one, else the Chinese in pinyin (`小黄村` → `Xiaohuang Village`), with the
//! common administrative suffixes translated.

use super::{Employer, FairFile, Opening};
use pinyin::ToPinyin;

/// Administrative suffixes, longest first, and their English words.
const SUFFIXES: [(&str, &str); 9] = [
    ("街道", "Subdistrict"),
    ("自治县", "Autonomous County"),
    ("省", "Province"),
    ("市", "City"),
    ("区", "District"),
    ("县", "County"),
    ("镇", "Town"),
    ("乡", "Township"),
    ("村", "Village"),
];

/// `zh` in pinyin without tones: each run of Chinese characters one capitalized word
/// (`从江` → `Congjiang`), other characters kept; a place suffix becomes its English word.
pub fn romanize(zh: &str) -> String {
    let zh = zh.trim();
    let (stem, suffix) = SUFFIXES
        .iter()
        .find_map(|(s, en)| {
            zh.strip_suffix(s)
                .filter(|stem| !stem.is_empty())
                .map(|stem| (stem, Some(*en)))
        })
        .unwrap_or((zh, None));
    let mut out = String::new();
    let mut in_word = false;
    for (c, py) in stem.chars().zip(stem.to_pinyin()) {
        match py {
            Some(p) => {
                let plain = p.plain();
                if in_word {
                    out.push_str(plain);
                } else {
                    if !out.is_empty() && !out.ends_with(' ') {
                        out.push(' ');
                    }
                    let mut chars = plain.chars();
                    if let Some(first) = chars.next() {
                        out.extend(first.to_uppercase());
                        out.push_str(chars.as_str());
                    }
                    in_word = true;
                }
            }
            None => {
                if in_word && !c.is_whitespace() && !c.is_ascii_punctuation() {
                    out.push(' ');
                }
                out.push(c);
                in_word = false;
            }
        }
    }
    if let Some(en) = suffix {
        out.push(' ');
        out.push_str(en);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn given_or_romanized(given: Option<&str>, zh: &str) -> String {
    match given.map(str::trim) {
        Some(en) if !en.is_empty() => en.to_string(),
        _ => romanize(zh),
    }
}

impl FairFile {
    /// The English name of a county of the pick lists (or any county name).
    pub fn county_en(&self, county: &str) -> String {
        let given = self.places.iter().find(|c| c.name == county);
        given_or_romanized(given.and_then(|c| c.name_en.as_deref()), county)
    }

    /// The English name of a township (looked up in every county).
    pub fn township_en(&self, township: &str) -> String {
        let given = self
            .places
            .iter()
            .flat_map(|c| &c.townships)
            .find(|t| t.name == township);
        given_or_romanized(given.and_then(|t| t.name_en.as_deref()), township)
    }

    /// The English name of a village of `township`.
    pub fn village_en(&self, township: &str, village: &str) -> String {
        let given = self
            .places
            .iter()
            .flat_map(|c| &c.townships)
            .filter(|t| t.name == township)
            .find_map(|t| {
                let i = t.villages.iter().position(|v| v == village)?;
                t.villages_en.get(i)
            });
        given_or_romanized(given.map(String::as_str), village)
    }
}

impl Employer {
    pub fn industry_in_english(&self) -> String {
        given_or_romanized(self.industry_en.as_deref(), &self.industry)
    }

    pub fn city_in_english(&self) -> String {
        given_or_romanized(self.city_en.as_deref(), &self.city)
    }
}

impl Opening {
    pub fn work_place_in_english(&self) -> String {
        given_or_romanized(self.work_place_en.as_deref(), &self.work_place)
    }
}

#[cfg(test)]
mod tests {
    use super::romanize;
    use crate::fair::FairFile;

    fn demo() -> FairFile {
        FairFile::from_json(include_str!("../../../../assets/demo-fair.json")).unwrap()
    }

    #[test]
    fn the_fair_files_english_names_come_first_then_pinyin() {
        let mut fair = demo();
        assert_eq!(fair.township_en("高增乡"), "Gaozeng Township");
        assert_eq!(fair.village_en("高增乡", "岜扒村"), "Bapa Village");
        fair.places[0].townships[0].name_en = None;
        fair.places[0].townships[0].villages_en.clear();
        assert_eq!(fair.township_en("高增乡"), "Gaozeng Township", "pinyin");
        assert_eq!(fair.village_en("高增乡", "小黄村"), "Xiaohuang Village");
        assert_eq!(
            fair.village_en("高增乡", "新寨"),
            "Xinzhai",
            "a typed village"
        );
        let o = &mut fair.openings[0];
        o.work_place_en = None;
        assert!(o.work_place_in_english().is_ascii());
    }

    #[test]
    fn english_village_names_must_match_the_villages_one_to_one() {
        let mut doc: serde_json::Value =
            serde_json::from_str(include_str!("../../../../assets/demo-fair.json")).unwrap();
        doc["places"][0]["townships"][0]["villages_en"]
            .as_array_mut()
            .unwrap()
            .pop();
        let err = FairFile::from_json(&doc.to_string())
            .unwrap_err()
            .to_string();
        assert!(err.contains("places[0].townships[0].villages_en"), "{err}");
    }

    #[test]
    fn place_names_become_pinyin_with_english_suffixes() {
        assert_eq!(romanize("小黄村"), "Xiaohuang Village");
        assert_eq!(romanize("高增乡"), "Gaozeng Township");
        assert_eq!(romanize("从江县"), "Congjiang County");
        assert_eq!(romanize("永康市第3工业园"), "Yongkangshidi 3 Gongyeyuan");
        assert_eq!(romanize("Lodge 7"), "Lodge 7");
    }
}
