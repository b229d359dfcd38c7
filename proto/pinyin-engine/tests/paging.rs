//! Nine candidates a page; pages continue without repeats.

mod common;

use common::engine;
use kiosk_pinyin::PAGE_SIZE;

#[test]
fn a_page_holds_nine_candidates() {
    assert_eq!(engine().candidates("shi", 0).len(), PAGE_SIZE);
}

#[test]
fn later_pages_continue_without_repeating_earlier_ones() {
    let mut seen = Vec::new();
    for page in 0..4 {
        for c in engine().candidates("shi", page) {
            assert!(
                !seen.contains(&c.text),
                "{} repeated on page {page}",
                c.text
            );
            seen.push(c.text);
        }
    }
    assert_eq!(seen.len(), 4 * PAGE_SIZE);
}

#[test]
fn a_page_past_the_end_is_empty() {
    assert!(engine().candidates("nve", 50).is_empty());
}

#[test]
fn the_last_page_may_be_short() {
    let mut page = 0;
    while engine().candidates("nve", page).len() == PAGE_SIZE {
        page += 1;
    }
    assert!(engine().candidates("nve", page).len() < PAGE_SIZE);
}
