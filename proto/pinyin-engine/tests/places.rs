//! The fair's place names come first when their pinyin is typed.

mod common;

use common::{engine, first_page};
use kiosk_pinyin::Slot;

#[test]
fn the_fairs_place_names_are_the_first_candidate_of_their_pinyin() {
    for (py, place) in [
        ("congjiang", "从江"),
        ("gaozeng", "高增"),
        ("rongjiang", "榕江"),
        ("liping", "黎平"),
        ("bingmei", "丙妹"),
        ("guandong", "贯洞"),
    ] {
        assert_eq!(first_page(py)[0], place, "{py}");
        let plain = engine().candidates_in(Slot::Plain, py, 0);
        assert_eq!(plain[0].text, place, "{py} in a plain field");
    }
}

#[test]
fn a_place_name_is_offered_before_its_last_syllable_is_finished() {
    assert_eq!(first_page("rongj")[0], "榕江");
}

#[test]
fn a_place_name_followed_by_more_pinyin_consumes_only_its_letters() {
    let bar = engine().candidates_in(Slot::Plain, "congjiangxian", 0);
    let place = bar.iter().find(|c| c.text == "从江").expect("从江 offered");
    assert_eq!(place.consumed, "congjiang".len());
}

#[test]
fn a_place_that_is_not_the_fairs_is_not_offered_in_a_plain_field() {
    let e = kiosk_pinyin::Engine::new(&[]);
    let bar = e.candidates_in(Slot::Plain, "gaozeng", 0);
    assert!(bar.iter().all(|c| c.text != "高增"), "{bar:?}");
}

#[test]
fn trades_added_later_are_boosted_like_place_names() {
    let mut e = kiosk_pinyin::Engine::new(&[]);
    e.add_words(&["焊工"]);
    assert_eq!(e.candidates_in(Slot::Plain, "hangong", 0)[0].text, "焊工");
}
