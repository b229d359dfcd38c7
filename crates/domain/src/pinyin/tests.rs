//! The engine and the composer on the demo fair's place names.

use std::sync::OnceLock;

use super::tables::{TOP_SURNAMES, parse_table};
use super::{Composer, Engine, PAGE_SIZE, Slot};
use crate::fair::FairFile;

/// Every county, township and village name of the embedded demo fair.
fn demo_places() -> Vec<String> {
    let fair = FairFile::from_json(include_str!("../../../../assets/demo-fair.json")).unwrap();
    let mut names = Vec::new();
    for county in &fair.places {
        names.push(county.name.clone());
        for township in &county.townships {
            names.push(township.name.clone());
            names.extend(township.villages.iter().cloned());
        }
    }
    names
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let places = demo_places();
        let refs: Vec<&str> = places.iter().map(String::as_str).collect();
        Engine::new(&refs)
    })
}

fn texts(pinyin: &str, page: usize) -> Vec<String> {
    engine()
        .candidates(pinyin, page)
        .into_iter()
        .map(|c| c.text)
        .collect()
}

#[test]
fn the_most_common_surnames_come_first_for_their_reading() {
    for (py, s) in [
        ("zhang", "张"),
        ("wang", "王"),
        ("li", "李"),
        ("liu", "刘"),
        ("chen", "陈"),
        ("yang", "杨"),
        ("huang", "黄"),
        ("zhao", "赵"),
        ("zhou", "周"),
        ("wu", "吴"),
        ("zeng", "曾"),
        ("lv", "吕"),
    ] {
        assert_eq!(texts(py, 0)[0], s, "{py}");
    }
}

#[test]
fn surnames_with_a_special_reading_are_on_the_first_page() {
    for (py, s) in [("qin", "覃"), ("shan", "单"), ("xie", "解"), ("ou", "区")] {
        assert!(texts(py, 0).iter().any(|t| t == s), "{s} for {py}");
    }
}

#[test]
fn every_top_hundred_surname_is_on_the_first_page_of_its_reading() {
    for (text, readings) in parse_table(TOP_SURNAMES) {
        let page = texts(readings[0], 0);
        assert!(page.iter().any(|t| t == text), "{text}: {page:?}");
    }
}

#[test]
fn continuous_pinyin_of_a_whole_name_offers_the_name_first() {
    assert_eq!(texts("zhangwei", 0)[0], "张伟");
    assert_eq!(texts("wangxiuying", 0)[0], "王秀英");
}

#[test]
fn the_demo_fairs_place_names_are_offered_first() {
    for (py, place) in [
        ("congjiangxian", "从江县"),
        ("gaozengxiang", "高增乡"),
        ("xiaohuangcun", "小黄村"),
        ("congjiang", "从江"),
        ("zhaoxingzhen", "肇兴镇"),
    ] {
        let plain = engine().candidates_in(Slot::Plain, py, 0);
        assert_eq!(plain[0].text, place, "{py}: {plain:?}");
        assert_eq!(plain[0].consumed, py.len());
    }
}

#[test]
fn a_place_name_is_completed_before_it_is_fully_typed() {
    let bar = engine().candidates_in(Slot::Plain, "xiaohuangc", 0);
    assert_eq!(bar[0].text, "小黄村", "{bar:?}");
}

#[test]
fn every_candidate_is_drawable_by_the_bundled_font() {
    let offered = super::char_index::offered_chars();
    for py in ["shi", "yi", "ji", "zhang", "a", "mai", "ti", "guli"] {
        for page in 0..6 {
            for c in engine().candidates(py, page) {
                assert!(c.text.chars().all(|ch| offered.contains(&ch)), "{c:?}");
            }
        }
    }
}

#[test]
fn pages_hold_nine_candidates_and_never_repeat() {
    let mut seen = Vec::new();
    for page in 0..4 {
        let bar = texts("shi", page);
        assert_eq!(bar.len(), PAGE_SIZE);
        for t in bar {
            assert!(!seen.contains(&t), "{t} repeated on page {page}");
            seen.push(t);
        }
    }
    assert!(texts("nve", 50).is_empty(), "a page past the end is empty");
}

#[test]
fn backspace_edits_the_pinyin_first_then_the_text() {
    let mut c = Composer::for_name();
    let mut text = String::from("张");
    for l in "wei".chars() {
        assert!(c.type_letter(l));
    }
    c.backspace(&mut text);
    assert_eq!((c.pinyin(), text.as_str()), ("we", "张"));
    c.backspace(&mut text);
    c.backspace(&mut text);
    assert_eq!((c.pinyin(), text.as_str()), ("", "张"));
    c.backspace(&mut text);
    assert_eq!((c.pinyin(), text.as_str()), ("", ""));
}

#[test]
fn choosing_the_surname_keeps_the_rest_of_the_pinyin_for_the_given_name() {
    let mut c = Composer::for_name();
    let mut text = String::new();
    "zhangwei".chars().for_each(|l| assert!(c.type_letter(l)));
    let bar = c.candidates(engine(), &text);
    let zhang = bar.iter().position(|x| x.text == "张").unwrap();
    assert!(c.choose(engine(), &mut text, zhang));
    assert_eq!((c.pinyin(), text.as_str()), ("wei", "张"));
    assert_eq!(c.candidates(engine(), &text)[0].text, "伟");
    assert!(c.choose(engine(), &mut text, 0));
    assert_eq!((c.pinyin(), text.as_str()), ("", "张伟"));
}

#[test]
fn paging_moves_through_the_candidates_and_restarts_on_a_new_letter() {
    let mut c = Composer::for_name();
    let text = String::new();
    "shi".chars().for_each(|l| assert!(c.type_letter(l)));
    let first = c.candidates(engine(), &text);
    assert!(c.has_next_page(engine(), &text));
    c.next_page(engine(), &text);
    assert_eq!(c.page(), 1);
    assert_ne!(c.candidates(engine(), &text), first);
    c.previous_page();
    c.previous_page();
    assert_eq!(c.page(), 0);
    c.next_page(engine(), &text);
    c.type_letter('a');
    assert_eq!(c.page(), 0, "a new letter shows the first page again");
}

#[test]
fn a_middle_dot_writes_out_waiting_pinyin_rather_than_losing_it() {
    let mut c = Composer::for_name();
    let mut text = String::from("阿依古丽");
    c.insert(&mut text, "·");
    assert_eq!(text, "阿依古丽·");
    c.type_letter('x');
    c.insert(&mut text, "·");
    assert_eq!((c.pinyin(), text.as_str()), ("", "阿依古丽·x·"));
}

#[test]
fn only_letters_and_a_separator_after_a_letter_are_pinyin() {
    let mut c = Composer::for_name();
    assert!(!c.type_letter('\''), "no separator first");
    assert!(!c.type_letter('1'));
    assert!(c.type_letter('X'));
    assert!(c.type_letter('\''));
    assert_eq!(c.pinyin(), "x'");
}

#[test]
fn a_uyghur_name_can_be_entered_character_by_character() {
    let mut c = Composer::for_name();
    let mut text = String::new();
    for (py, want) in [("a", "阿"), ("yi", "依"), ("gu", "古"), ("li", "丽")] {
        py.chars().for_each(|l| assert!(c.type_letter(l)));
        let bar = c.candidates(engine(), &text);
        let i = bar.iter().position(|x| x.text == want);
        assert!(i.is_some(), "{want} for {py}: {bar:?}");
        assert!(c.choose(engine(), &mut text, i.unwrap()));
    }
    assert_eq!(text, "阿依古丽");
}
