//! Surnames come first for the first syllable of a name.

mod common;

use common::first_page;
use kiosk_pinyin::tables::{TOP_SURNAMES, parse_table};

fn assert_first(pinyin: &str, surname: &str) {
    let page = first_page(pinyin);
    assert_eq!(
        page.first().map(String::as_str),
        Some(surname),
        "{pinyin}: {page:?}"
    );
}

fn assert_on_first_page(pinyin: &str, surname: &str) {
    let page = first_page(pinyin);
    assert!(
        page.iter().any(|t| t == surname),
        "{surname} not on page for {pinyin}: {page:?}"
    );
}

#[test]
fn the_ten_most_common_surnames_come_first_for_their_reading() {
    for (py, s) in [
        ("zhang", "张"),
        ("wang", "王"),
        ("li", "李"),
        ("liu", "刘"),
        ("chen", "陈"),
        ("yang", "杨"),
        ("zhao", "赵"),
        ("huang", "黄"),
        ("zhou", "周"),
        ("wu", "吴"),
    ] {
        assert_first(py, s);
    }
}

#[test]
fn surnames_with_a_special_reading_are_offered_under_that_reading() {
    for (py, s) in [
        ("zeng", "曾"),
        ("qin", "覃"),
        ("shan", "单"),
        ("xie", "解"),
        ("qiu", "仇"),
        ("ou", "区"),
        ("zha", "查"),
        ("piao", "朴"),
        ("ge", "盖"),
        ("miao", "缪"),
        ("yu", "尉"),
        ("lv", "吕"),
        ("lü", "吕"),
        ("lu", "吕"),
    ] {
        assert_on_first_page(py, s);
    }
}

#[test]
fn zeng_puts_the_surname_before_the_common_word_character() {
    assert_first("zeng", "曾");
    assert_first("lv", "吕");
}

#[test]
fn every_top_hundred_surname_is_on_the_first_page_of_its_reading() {
    for (text, readings) in parse_table(TOP_SURNAMES) {
        assert_on_first_page(readings[0], text);
    }
}

#[test]
fn a_compound_surname_is_offered_whole() {
    assert_first("ouyang", "欧阳");
    assert_first("zhuge", "诸葛");
}

#[test]
fn an_unfinished_syllable_still_offers_surnames() {
    assert_first("zh", "张");
}
