//! Boosted words (the fair's place names, trades) and their pinyin readings.

use pinyin::ToPinyinMulti;

/// At most this many readings per word (heteronyms multiply).
const MAX_READINGS: usize = 16;

/// A boosted word with every plausible reading.
#[derive(Debug, Clone)]
pub struct Word {
    /// The word as written.
    pub text: String,
    /// Readings, syllables joined without separators (`congjiang`).
    pub readings: Vec<String>,
    /// Per character, its readings (used to boost the characters too).
    pub char_readings: Vec<(char, Vec<String>)>,
}

impl Word {
    /// Reads `text` with the `pinyin` crate; `None` if a character has no
    /// known reading.
    pub fn new(text: &str) -> Option<Word> {
        let mut char_readings = Vec::new();
        for c in text.chars() {
            let multi = c.to_pinyin_multi()?;
            let mut readings: Vec<String> = Vec::new();
            for p in multi {
                let r = p.plain().replace('ü', "v");
                if !readings.contains(&r) {
                    readings.push(r);
                }
            }
            char_readings.push((c, readings));
        }
        let mut readings = vec![String::new()];
        for (_, options) in &char_readings {
            let mut next = Vec::new();
            for prefix in &readings {
                for r in options {
                    if next.len() < MAX_READINGS {
                        next.push(format!("{prefix}{r}"));
                    }
                }
            }
            readings = next;
        }
        Some(Word {
            text: text.to_string(),
            readings,
            char_readings,
        })
    }
}

/// Administrative suffixes dropped to get a place's short name.
const PLACE_SUFFIXES: [char; 9] = ['省', '市', '州', '县', '区', '乡', '镇', '村', '寨'];

/// 从江县 → 从江; `None` when there is no suffix or the rest would be one character.
pub fn place_stem(name: &str) -> Option<&str> {
    let last = name.chars().last()?;
    let stem = name.strip_suffix(last)?;
    (PLACE_SUFFIXES.contains(&last) && stem.chars().count() >= 2).then_some(stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_name_gets_its_plain_reading() {
        let w = Word::new("从江").unwrap();
        assert!(w.readings.contains(&"congjiang".to_string()));
    }

    #[test]
    fn heteronyms_give_every_combination() {
        let w = Word::new("高增").unwrap();
        assert!(w.readings.contains(&"gaozeng".to_string()));
    }

    #[test]
    fn a_word_with_an_unreadable_character_is_refused() {
        assert!(Word::new("从江A").is_none());
    }
}
