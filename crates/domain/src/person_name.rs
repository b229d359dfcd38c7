//! A villager's name as typed on the kiosk keyboard.
//!
//! Names come in Chinese characters (including rare ones in CJK Extension A/B such as
//! 堃, 喆, 玥), in other scripts (Uyghur, Tibetan, Mongolian, Latin...) and in
//! transliterations joined with a middle dot (阿依古丽·买买提). [`normalize_name`] makes
//! one canonical form so the same name typed twice compares equal.

/// Most characters (not bytes) a name may have.
pub const MAX_NAME_CHARS: usize = 30;

/// The canonical middle dot (U+00B7) used between parts of a transliterated name.
pub const NAME_DOT: char = '·';

/// Why a typed name was refused. One variant per cause, so the GUI can show a
/// translated message for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("the name is empty")]
    Empty,
    #[error("a name has at most {max} characters")]
    TooLong { max: usize },
    /// A misplaced middle dot is reported as `ch: '·'`.
    #[error("'{ch}' is not allowed in a name")]
    InvalidCharacter { ch: char },
}

/// Checks a typed name and returns its canonical form:
/// - surrounding whitespace trimmed, inner whitespace runs collapsed to one space;
/// - middle-dot look-alikes (`・ • ‧ ． ⋅ . ･ ∙`) turned into `·` (U+00B7), and spaces
///   next to a dot dropped; a dot may not start or end the name or follow another dot;
/// - curly apostrophes turned into `'`, Unicode hyphens into `-`;
/// - allowed: letters of any script (CJK ideographs included), combining marks,
///   space, hyphen, apostrophe, the Tibetan tsheg and Mongolian variation selectors;
///   refused: digits, controls, emoji and other symbols;
/// - at most [`MAX_NAME_CHARS`] characters after normalizing (counting stops early,
///   so very long input costs little).
pub fn normalize_name(s: &str) -> Result<String, NameError> {
    let mut out = String::new();
    let mut count = 0;
    let mut pending_space = false;
    let mut has_letter = false;
    for raw in s.trim().chars() {
        if raw.is_whitespace() {
            pending_space = true;
            continue;
        }
        let ch = canonical(raw);
        if ch == NAME_DOT {
            if out.is_empty() || out.ends_with(NAME_DOT) {
                return Err(NameError::InvalidCharacter { ch: NAME_DOT });
            }
            pending_space = false;
        } else if !is_name_char(ch) {
            return Err(NameError::InvalidCharacter { ch: raw });
        }
        if pending_space && !out.ends_with(NAME_DOT) {
            out.push(' ');
            count += 1;
        }
        pending_space = false;
        out.push(ch);
        count += 1;
        if count > MAX_NAME_CHARS {
            return Err(NameError::TooLong {
                max: MAX_NAME_CHARS,
            });
        }
        has_letter |= ch.is_alphabetic();
    }
    match out.chars().next() {
        None => Err(NameError::Empty),
        Some(_) if out.ends_with(NAME_DOT) => Err(NameError::InvalidCharacter { ch: NAME_DOT }),
        Some(first) if !has_letter => Err(NameError::InvalidCharacter { ch: first }),
        Some(_) => Ok(out),
    }
}

/// Whether `ch` may be typed into a name field: a character a name may hold, a space, or a
/// middle dot (or a look-alike). Keyboards refuse anything else as it is typed (an emoji from
/// a physical keyboard would otherwise enter as a character the font cannot draw).
pub fn may_type_in_name(ch: char) -> bool {
    let ch = canonical(ch);
    ch.is_whitespace() || ch == NAME_DOT || is_name_char(ch)
}

/// Maps look-alike dots, apostrophes and hyphens to their canonical character.
fn canonical(ch: char) -> char {
    match ch {
        '.' | '\u{30FB}' | '\u{2022}' | '\u{2027}' | '\u{FF0E}' | '\u{22C5}' | '\u{FF65}'
        | '\u{2219}' | '\u{0387}' => NAME_DOT,
        '\u{2018}' | '\u{2019}' => '\'',
        '\u{2010}' | '\u{2011}' | '\u{FF0D}' => '-',
        _ => ch,
    }
}

/// Whether `ch` (already canonical, not a dot) may appear in a name.
fn is_name_char(ch: char) -> bool {
    match ch {
        '-' | '\'' | '〇' => true,
        // Tibetan tsheg (syllable separator), tsa-phru, halanta.
        '\u{0F0B}' | '\u{0F0C}' | '\u{0F39}' | '\u{0F84}' => true,
        // Mongolian free variation selectors and vowel separator.
        '\u{180B}'..='\u{180F}' => true,
        // Generic combining diacritical marks; ideographic variation selectors.
        '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' => true,
        '\u{E0100}'..='\u{E01EF}' => true,
        // Letter-like symbols: circled and squared letters, mathematical
        // alphanumerics, invisible Hangul fillers.
        '\u{2460}'..='\u{24FF}' | '\u{1D400}'..='\u{1D7FF}' | '\u{1F100}'..='\u{1F1FF}' => false,
        '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' => false,
        // Letters of every script, CJK ideographs and script vowel signs
        // (Other_Alphabetic), but not numerals such as Ⅻ.
        _ => ch.is_alphabetic() && !ch.is_numeric(),
    }
}

/// A name as a screen in public shows it (the bus door): the first and last character
/// kept, the ones between as `*`; a two-character name keeps only its first (`张*`), and
/// a middle dot stays so the parts can still be counted (`阿*****·***提`).
pub fn masked_name(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let n = chars.len();
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let keep = i == 0 || (i == n - 1 && n > 2) || c == NAME_DOT || c == ' ';
            if keep { c } else { '*' }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> String {
        normalize_name(s).unwrap_or_else(|e| panic!("{s:?} refused: {e}"))
    }

    #[test]
    fn what_may_be_typed_into_a_name_field() {
        for ch in ['张', '阿', 'a', 'Z', '·', '.', ' ', '-', '\'', 'é', '𠀋'] {
            assert!(may_type_in_name(ch), "{ch:?}");
        }
        for ch in ['😀', '★', '%', '1', '①', '\u{3164}', '€'] {
            assert!(!may_type_in_name(ch), "{ch:?}");
        }
    }

    #[test]
    fn plain_chinese_name_is_kept() {
        assert_eq!(ok("张伟"), "张伟");
        assert_eq!(ok("  张伟\u{3000}"), "张伟");
    }

    #[test]
    fn transliterated_name_with_middle_dot_is_kept() {
        assert_eq!(ok("阿依古丽·买买提"), "阿依古丽·买买提");
    }

    #[test]
    fn dot_look_alikes_become_the_middle_dot() {
        for dot in ['・', '•', '‧', '．', '⋅', '.', '･'] {
            assert_eq!(
                ok(&format!("阿依古丽{dot}买买提")),
                "阿依古丽·买买提",
                "{dot:?}"
            );
        }
        assert_eq!(ok("阿依古丽 · 买买提"), "阿依古丽·买买提");
    }

    #[test]
    fn misplaced_dots_are_rejected() {
        let dot = Err(NameError::InvalidCharacter { ch: '·' });
        assert_eq!(normalize_name("·买买提"), dot);
        assert_eq!(normalize_name("阿依古丽·"), dot);
        assert_eq!(normalize_name("阿依古丽··买买提"), dot);
        assert_eq!(normalize_name("阿依古丽. .买买提"), dot);
        assert_eq!(normalize_name("."), dot);
    }

    #[test]
    fn rare_characters_are_accepted() {
        assert_eq!(ok("王堃"), "王堃");
        assert_eq!(ok("李喆"), "李喆");
        assert_eq!(ok("陈玥"), "陈玥");
        // CJK Extension A (㐀) and Extension B (𠀀).
        assert_eq!(ok("王㐀𠀀"), "王㐀𠀀");
    }

    #[test]
    fn other_scripts_and_combining_marks_are_accepted() {
        assert_eq!(ok("ئايگۈل"), "ئايگۈل");
        assert_eq!(ok("བཀྲ་ཤིས་"), "བཀྲ་ཤིས་");
        assert_eq!(ok("José O’Neil-Smith"), "José O'Neil-Smith");
        assert_eq!(ok("Jose\u{0301}"), "Jose\u{0301}");
    }

    #[test]
    fn inner_whitespace_runs_are_collapsed() {
        assert_eq!(ok("Li  Wei"), "Li Wei");
        assert_eq!(ok(" Li \t\u{3000} Wei "), "Li Wei");
    }

    #[test]
    fn digits_are_rejected() {
        assert_eq!(
            normalize_name("张伟2"),
            Err(NameError::InvalidCharacter { ch: '2' })
        );
        assert_eq!(
            normalize_name("张伟２"),
            Err(NameError::InvalidCharacter { ch: '２' })
        );
        assert_eq!(
            normalize_name("张Ⅻ"),
            Err(NameError::InvalidCharacter { ch: 'Ⅻ' })
        );
    }

    #[test]
    fn emoji_symbols_and_controls_are_rejected() {
        for bad in ['😀', '★', '@', '\u{0}', '\u{200B}', 'Ⓐ', '\u{3164}', '𝐀'] {
            assert_eq!(
                normalize_name(&format!("张{bad}伟")),
                Err(NameError::InvalidCharacter { ch: bad }),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn punctuation_without_letters_is_rejected() {
        assert_eq!(
            normalize_name("-"),
            Err(NameError::InvalidCharacter { ch: '-' })
        );
        assert_eq!(
            normalize_name("' -"),
            Err(NameError::InvalidCharacter { ch: '\'' })
        );
    }

    #[test]
    fn thirty_characters_are_accepted_and_thirty_one_rejected() {
        assert_eq!(ok(&"龘".repeat(30)).chars().count(), 30);
        assert_eq!(
            normalize_name(&"龘".repeat(31)),
            Err(NameError::TooLong { max: 30 })
        );
        assert_eq!(
            normalize_name(&"a".repeat(1_000_000)),
            Err(NameError::TooLong { max: 30 })
        );
    }

    #[test]
    fn empty_and_whitespace_only_names_are_empty() {
        assert_eq!(normalize_name(""), Err(NameError::Empty));
        assert_eq!(normalize_name(" \t\u{3000}\n"), Err(NameError::Empty));
    }

    #[test]
    fn a_masked_name_keeps_the_first_and_last_character() {
        use super::masked_name;
        assert_eq!(masked_name("张伟"), "张*");
        assert_eq!(masked_name("欧阳娜娜"), "欧**娜");
        assert_eq!(masked_name("王小明"), "王*明");
        assert_eq!(masked_name("阿依古丽·买买提"), "阿***·**提");
        assert_eq!(masked_name("李"), "李");
        assert_eq!(masked_name(""), "");
    }
}
