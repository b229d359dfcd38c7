//! The pinyin candidate engine against the quality goals, on the demo fair's words:
//! every top-100 surname on the first page of its reading, 200 synthetic names entered with
//! no character off the first page and at most 2.5 taps a name, table readings that the
//! `pinyin` crate knows.

use std::sync::OnceLock;

use jobfair_kiosk::domain::fair::FairFile;
use jobfair_kiosk::domain::pinyin::eval::{enter_name, single_chars, synthetic_names};
use jobfair_kiosk::domain::pinyin::tables::{
    COMPOUND_SURNAMES, GIVEN_NAME_CHARS, MORE_SURNAMES, TOP_SURNAMES, parse_table,
};
use jobfair_kiosk::domain::pinyin::{Engine, Slot};
use pinyin::ToPinyinMulti;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo-fair.json"),
        )
        .unwrap();
        let fair = FairFile::from_json(&text).unwrap();
        let mut words: Vec<&str> = Vec::new();
        for county in &fair.places {
            words.push(&county.name);
            for township in &county.townships {
                words.push(&township.name);
                words.extend(township.villages.iter().map(String::as_str));
            }
        }
        let mut engine = Engine::new(&words);
        let titles: Vec<&str> = fair.openings.iter().map(|o| o.title.as_str()).collect();
        engine.add_words(&titles);
        engine
    })
}

#[test]
fn every_top_hundred_surname_is_on_the_first_page_and_most_are_first() {
    let mut first = 0;
    for (text, readings) in parse_table(TOP_SURNAMES) {
        let bar = engine().candidates(readings[0], 0);
        let at = bar.iter().position(|c| c.text == text);
        assert!(
            at.is_some(),
            "{text} ({}) not on page 1: {bar:?}",
            readings[0]
        );
        first += usize::from(at == Some(0));
    }
    assert!(first >= 80, "only {first}/100 surnames in first place");
}

#[test]
fn two_hundred_synthetic_names_need_no_paging_and_few_taps() {
    let names = synthetic_names(200, &single_chars(GIVEN_NAME_CHARS));
    let (mut taps, mut misses) = (0, Vec::new());
    for name in &names {
        let entry = enter_name(engine(), name);
        taps += entry.taps;
        misses.extend(
            entry
                .misses
                .iter()
                .map(|c| format!("{c} in {}", name.text())),
        );
    }
    assert_eq!(misses, Vec::<String>::new());
    let mean = taps as f64 / names.len() as f64;
    assert!(mean <= 2.5, "mean taps {mean}");
}

#[test]
fn a_compound_surname_is_offered_whole() {
    assert_eq!(engine().candidates("ouyang", 0)[0].text, "欧阳");
    assert_eq!(engine().candidates("zhuge", 0)[0].text, "诸葛");
}

#[test]
fn the_fairs_trades_are_offered_in_a_plain_field() {
    assert_eq!(
        engine().candidates_in(Slot::Plain, "diangong", 0)[0].text,
        "电工"
    );
}

#[test]
fn input_that_is_not_pinyin_gives_no_candidates() {
    assert!(engine().candidates("vvv", 0).is_empty());
    assert!(engine().candidates("", 0).is_empty());
}

fn readings(c: char) -> Vec<String> {
    c.to_pinyin_multi()
        .map(|m| m.into_iter().map(|p| p.plain().replace('ü', "v")).collect())
        .unwrap_or_default()
}

#[test]
fn every_table_reading_is_one_the_pinyin_crate_knows() {
    let mut unknown = Vec::new();
    for table in [TOP_SURNAMES, MORE_SURNAMES, GIVEN_NAME_CHARS] {
        for (text, rs) in parse_table(table) {
            let c = text.chars().next().unwrap();
            // `lu` for 吕 is a typing habit, not a reading.
            for r in rs.iter().filter(|r| !(text == "吕" && **r == "lu")) {
                if !readings(c).iter().any(|k| k == r) {
                    unknown.push(format!("{text} {r}"));
                }
            }
        }
    }
    assert_eq!(unknown, Vec::<String>::new());
    for (text, rs) in parse_table(COMPOUND_SURNAMES) {
        let options: Vec<Vec<String>> = text.chars().map(readings).collect();
        let ok = options[0]
            .iter()
            .any(|a| options[1].iter().any(|b| format!("{a}{b}") == rs[0]));
        assert!(ok, "{text} {} not made of known readings", rs[0]);
    }
}
