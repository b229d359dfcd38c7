//! The engine and the composer on the demo fair's place names.

use std::sync::OnceLock;

use super::tables::{GIVEN_NAME_CHARS, MORE_SURNAMES, TOP_SURNAMES, parse_table};
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

fn after(committed: &str, pinyin: &str, page: usize) -> Vec<String> {
    engine()
        .candidates_after(committed, pinyin, page)
        .into_iter()
        .map(|c| c.text)
        .collect()
}

/// Issue 12, 2.10: 覃 (a top-200 surname) was on page 3 for `qin` inside a name and in plain
/// text, after rare characters. Surnames and common characters come first, rare ones after.
#[test]
fn a_surname_inside_a_name_is_on_the_first_page_before_rare_characters() {
    assert!(
        after("曾", "qin", 0).iter().any(|t| t == "覃"),
        "{:?}",
        after("曾", "qin", 0)
    );
    let table: std::collections::HashSet<char> = [TOP_SURNAMES, MORE_SURNAMES, GIVEN_NAME_CHARS]
        .into_iter()
        .flat_map(parse_table)
        .flat_map(|(t, _)| t.chars())
        .collect();
    // Level 1 of the general standard table: its first 3,500 lines.
    let level1: std::collections::HashSet<char> =
        include_str!("../../../../assets/chars/tongyong-8105.txt")
            .lines()
            .take(3500)
            .filter_map(|l| l.chars().next())
            .collect();
    let rare = |t: &str| {
        t.chars().count() == 1
            && t.chars()
                .all(|c| !level1.contains(&c) && !table.contains(&c))
    };
    for slot in [Slot::NameRest, Slot::Plain] {
        for (text, readings) in parse_table(TOP_SURNAMES) {
            let all: Vec<String> = (0..6)
                .flat_map(|p| engine().candidates_in(slot, readings[0], p))
                .map(|c| c.text)
                .collect();
            let at = all.iter().position(|t| t == text);
            let first_rare = all.iter().position(|t| rare(t));
            assert!(
                at.is_some() && first_rare.is_none_or(|r| at.unwrap() < r),
                "{slot:?} {}: {text} at {at:?}, a rare character at {first_rare:?}: {all:?}",
                readings[0]
            );
        }
    }
}

/// Issue 12, section 4: initials (`zw`) and initials mixed with syllables (`zhangw`) offer
/// whole names first; choosing the surname alone keeps the rest for the given name.
#[test]
fn initials_offer_whole_names_first() {
    assert_eq!(texts("zw", 0)[0], "张伟");
    assert_eq!(texts("zq", 0)[0], "张强");
    assert_eq!(texts("zhangw", 0)[0], "张伟");
    assert_eq!(texts("wxy", 0)[0], "王秀英");
    assert_eq!(texts("zhw", 0)[0], "张伟");
    let bar = engine().candidates("zw", 0);
    assert_eq!(bar[0].consumed, 2, "the whole name uses up the initials");
    let mut c = Composer::for_name();
    let mut text = String::new();
    "zw".chars().for_each(|l| assert!(c.type_letter(l)));
    let zhang = c
        .candidates(engine(), &text)
        .iter()
        .position(|x| x.text == "张")
        .expect("the surname alone is offered too");
    assert!(c.choose(engine(), &mut text, zhang));
    assert_eq!((c.pinyin(), text.as_str()), ("w", "张"));
    assert_eq!(c.candidates(engine(), &text)[0].text, "伟");
    assert!(c.choose(engine(), &mut text, 0));
    assert_eq!((c.pinyin(), text.as_str()), ("", "张伟"));
}

/// Types each pinyin and taps the wanted candidate, which must be on the first page.
fn enter(steps: &[(&str, &str)]) -> String {
    let mut c = Composer::for_name();
    let mut text = String::new();
    for (pinyin, want) in steps {
        if *pinyin == "·" {
            c.insert(&mut text, "·");
            continue;
        }
        pinyin.chars().for_each(|l| assert!(c.type_letter(l)));
        let bar = c.candidates(engine(), &text);
        let i = bar.iter().position(|x| x.text == *want);
        assert!(i.is_some(), "{want} for {pinyin} after {text:?}: {bar:?}");
        assert!(c.choose(engine(), &mut text, i.unwrap()));
        assert_eq!(c.pinyin(), "", "{want} used up {pinyin}");
    }
    text
}

/// Issue 12, section 4: every persona's name is reachable on the first candidate page, whole
/// or part by part.
#[test]
fn the_personas_names_are_on_the_first_page() {
    assert_eq!(enter(&[("zw", "张伟")]), "张伟");
    assert_eq!(enter(&[("zhangwei", "张伟")]), "张伟");
    assert_eq!(enter(&[("zhang", "张"), ("wei", "伟")]), "张伟");
    assert_eq!(enter(&[("zeng", "曾"), ("qin", "覃")]), "曾覃");
    assert_eq!(
        enter(&[("ayiguli", "阿依古丽"), ("·", ""), ("maimaiti", "买买提")]),
        "阿依古丽·买买提"
    );
    assert_eq!(
        enter(&[
            ("a", "阿"),
            ("yi", "依"),
            ("gu", "古"),
            ("li", "丽"),
            ("·", ""),
            ("mai", "买"),
            ("mai", "买"),
            ("ti", "提")
        ]),
        "阿依古丽·买买提"
    );
    assert_eq!(texts("ayiguli", 0)[0], "阿依古丽", "the whole part first");
    assert_eq!(after("阿依古丽·", "maimaiti", 0)[0], "买买提");
}

/// Common names (and the list people of the UI tests): typed as continuous pinyin, every
/// character is on the first page (the longest fitting candidate taken each time).
#[test]
fn common_names_are_entered_from_the_first_page() {
    use super::eval::{Name, enter_name};
    const NAMES: &str = "\
张伟 zhang.wei 王伟 wang.wei 王芳 wang.fang 李伟 li.wei 张敏 zhang.min \
李静 li.jing 王静 wang.jing 刘伟 liu.wei 王秀英 wang.xiu.ying 张丽 zhang.li \
李秀英 li.xiu.ying 王丽 wang.li 张静 zhang.jing 李强 li.qiang 王磊 wang.lei \
刘洋 liu.yang 王艳 wang.yan 王勇 wang.yong 李军 li.jun 张勇 zhang.yong 李杰 li.jie \
张杰 zhang.jie 王强 wang.qiang 李娟 li.juan 王军 wang.jun 张涛 zhang.tao \
李明 li.ming 王娟 wang.juan 刘杰 liu.jie 李霞 li.xia 王秀兰 wang.xiu.lan \
王刚 wang.gang 王平 wang.ping 刘芳 liu.fang 张燕 zhang.yan 陈静 chen.jing \
李桂英 li.gui.ying 王丹 wang.dan 王鹏 wang.peng 陈伟 chen.wei 张华 zhang.hua \
杨阿妹 yang.a.mei 黄小梅 huang.xiao.mei 吴国强 wu.guo.qiang 韦小红 wei.xiao.hong \
潘文华 pan.wen.hua 覃海燕 qin.hai.yan 曾覃 zeng.qin 龙金花 long.jin.hua \
石春梅 shi.chun.mei 欧阳秀英 ou.yang.xiu.ying 杨光明 yang.guang.ming";
    let items: Vec<&'static str> = NAMES.split_whitespace().collect();
    let mut misses = Vec::new();
    for pair in items.chunks(2) {
        let parts: Vec<(char, &'static str)> = pair[0].chars().zip(pair[1].split('.')).collect();
        assert_eq!(parts.len(), pair[0].chars().count(), "{}", pair[0]);
        let name = Name { parts };
        let entry = enter_name(engine(), &name);
        if !entry.misses.is_empty() {
            misses.push(format!("{}: {:?}", pair[0], entry.misses));
        }
    }
    assert_eq!(misses, Vec::<String>::new());
}

#[test]
fn a_whole_name_is_offered_under_the_other_reading_of_the_same_letters() {
    // `lina` segments as lin·a (林啊, not a name); li·na is 李娜, a top-100 name.
    assert_eq!(texts("lina", 0)[0], "李娜");
    assert_eq!(texts("li'na", 0)[0], "李娜");
    // The reading the engine picks still comes first when it makes a name.
    assert_eq!(texts("zhangwei", 0)[0], "张伟");
    assert_eq!(texts("fangan", 0)[0], "方安");
    // One syllable is a surname being typed, not a guessed two-character name.
    assert_eq!(texts("xian", 0)[0], "冼");
    assert!(texts("xian", 0).iter().all(|t| t.chars().count() == 1));
}
