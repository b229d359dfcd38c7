//! Every reading in the curated tables is one the `pinyin` crate knows.

use kiosk_pinyin::tables::{
    COMPOUND_SURNAMES, GIVEN_NAME_CHARS, MORE_SURNAMES, TOP_SURNAMES, parse_table,
};
use pinyin::ToPinyinMulti;

fn readings(c: char) -> Vec<String> {
    c.to_pinyin_multi()
        .map(|m| m.into_iter().map(|p| p.plain().replace('ü', "v")).collect())
        .unwrap_or_default()
}

#[test]
fn every_single_character_table_reading_is_a_known_reading() {
    let mut unknown = Vec::new();
    for table in [TOP_SURNAMES, MORE_SURNAMES, GIVEN_NAME_CHARS] {
        for (text, rs) in parse_table(table) {
            let c = text.chars().next().unwrap();
            // `lu` for 吕 is a typing habit, not a reading.
            for r in rs.iter().filter(|r| !(text == "吕" && **r == "lu")) {
                if !readings(c).iter().any(|k| k == r) {
                    unknown.push(format!("{text} {r} (known: {:?})", readings(c)));
                }
            }
        }
    }
    assert!(unknown.is_empty(), "{unknown:?}");
}

#[test]
fn compound_surname_readings_are_made_of_known_readings() {
    for (text, rs) in parse_table(COMPOUND_SURNAMES) {
        let options: Vec<Vec<String>> = text.chars().map(readings).collect();
        let ok = options[0]
            .iter()
            .any(|a| options[1].iter().any(|b| format!("{a}{b}") == rs[0]));
        assert!(ok, "{text} {} not composable from {options:?}", rs[0]);
    }
}
