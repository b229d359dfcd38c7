//! How the dictionary alone ranks the top-100 surnames, and which surname
//! readings it lacks (filled from the `pinyin` crate).
use inputx_pinyin::PinyinDict;
use kiosk_pinyin::tables::{MORE_SURNAMES, TOP_SURNAMES, parse_table};
fn main() {
    let d = PinyinDict::embedded();
    let (mut first, mut page, mut lacking) = (0, 0, Vec::new());
    for (text, rs) in parse_table(TOP_SURNAMES) {
        let list: Vec<String> = d
            .lookup(rs[0])
            .into_iter()
            .filter(|w| w.chars().count() == 1)
            .collect();
        match list.iter().position(|w| w == text) {
            Some(0) => {
                first += 1;
                page += 1;
            }
            Some(i) if i < 9 => page += 1,
            Some(_) => {}
            None => lacking.push(format!("{text} {}", rs[0])),
        }
    }
    println!("inputx alone, top-100 surnames: first page {page}/100, first place {first}/100");
    for (text, rs) in parse_table(MORE_SURNAMES) {
        if text.chars().count() == 1 && !d.lookup(rs[0]).iter().any(|w| w == text) {
            lacking.push(format!("{text} {}", rs[0]));
        }
    }
    println!("surname readings inputx lacks: {}", lacking.join(", "));
}
