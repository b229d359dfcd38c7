//! Whole names typed in one go, and the character-by-character flow.

mod common;

use common::{engine, first_page};
use kiosk_pinyin::eval::{enter_name, single_chars, synthetic_names};
use kiosk_pinyin::tables::GIVEN_NAME_CHARS;

#[test]
fn a_whole_name_is_guessed_first_when_typed_in_one_go() {
    assert_eq!(first_page("zhangwei")[0], "张伟");
    assert_eq!(first_page("wangxiuying")[0], "王秀英");
}

#[test]
fn a_whole_name_candidate_consumes_all_the_letters() {
    let bar = engine().candidates("zhangwei", 0);
    assert_eq!(bar[0].consumed, "zhangwei".len());
}

#[test]
fn the_surname_alone_consumes_only_its_syllable() {
    let bar = engine().candidates("zhangwei", 0);
    let zhang = bar
        .iter()
        .find(|c| c.text == "张")
        .expect("张 on the first page");
    assert_eq!(zhang.consumed, 5);
}

#[test]
fn after_choosing_the_surname_the_rest_offers_given_name_characters() {
    let bar = engine().candidates_after("张", "wei", 0);
    assert_eq!(bar[0].text, "伟");
    assert_eq!(bar[0].consumed, 3);
}

#[test]
fn after_the_surname_a_two_syllable_given_name_is_offered_whole() {
    let bar = engine().candidates_after("王", "xiuying", 0);
    assert_eq!(bar[0].text, "秀英");
}

#[test]
fn an_apostrophe_forces_a_syllable_break_and_counts_as_consumed() {
    let bar = engine().candidates("xi'an", 0);
    let xi = bar.iter().find(|c| c.text.chars().count() == 1).unwrap();
    assert_eq!(xi.consumed, 3);
}

#[test]
fn synthetic_names_need_few_taps_and_no_paging() {
    let names = synthetic_names(200, &single_chars(GIVEN_NAME_CHARS));
    let (mut taps, mut misses) = (0, 0);
    for name in &names {
        let entry = enter_name(engine(), name);
        taps += entry.taps;
        misses += entry.misses.len();
    }
    assert_eq!(misses, 0);
    assert!(
        taps as f64 / names.len() as f64 <= 2.5,
        "mean taps {}",
        taps as f64 / 200.0
    );
}

#[test]
fn input_that_is_not_pinyin_gives_no_candidates() {
    assert!(engine().candidates("vvv", 0).is_empty());
    assert!(engine().candidates("", 0).is_empty());
}
