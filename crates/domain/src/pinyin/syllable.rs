//! Input normalisation and segmentation of continuous pinyin into syllables.

use std::collections::HashSet;
use std::sync::OnceLock;

use inputx_pinyin::VALID_SYLLABLES;

/// Longest syllable in letters (`zhuang`).
const MAX_SYLLABLE: usize = 6;

/// One piece of segmented input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// Canonical syllable (`lv`, not `lü`), or the typed letters when
    /// `complete` is false.
    pub key: String,
    /// Index (in letters of the normalised input) just past this piece,
    /// including any apostrophe typed right after it.
    pub end: usize,
    /// False when this is the unfinished last piece (`zh` in `zhangzh`).
    pub complete: bool,
}

/// Lower-cases the input and writes `ü` as `v`, keeping one letter per letter
/// so that offsets in the result are offsets in what was typed.
pub fn normalize(input: &str) -> Vec<u8> {
    input
        .chars()
        .map(|c| match c {
            'ü' | 'Ü' => b'v',
            c if c.is_ascii_alphabetic() => c.to_ascii_lowercase() as u8,
            '\'' => b'\'',
            _ => b'?',
        })
        .collect()
}

fn syllables() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| VALID_SYLLABLES.iter().copied().collect())
}

fn syllable_prefixes() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| {
        let mut set = HashSet::new();
        for s in VALID_SYLLABLES {
            for end in 1..s.len() {
                set.insert(s[..end].to_string());
            }
        }
        set
    })
}

/// Canonical form of a typed syllable: `lue`/`nue` are typed for `lve`/`nve`.
pub fn canonical(s: &str) -> Option<&'static str> {
    let s = match s {
        "lue" => "lve",
        "nue" => "nve",
        other => other,
    };
    syllables().get(s).copied()
}

/// True when `s` is a complete standard syllable (after canonicalisation).
pub fn is_syllable(s: &str) -> bool {
    canonical(s).is_some()
}

/// All standard syllables that start with `prefix`.
pub fn completions(prefix: &str) -> impl Iterator<Item = &'static str> + '_ {
    VALID_SYLLABLES
        .iter()
        .copied()
        .filter(move |s| s.starts_with(prefix))
}

/// Splits normalised input into syllables; the last piece may be unfinished.
///
/// Prefers the fewest pieces, then a longer first piece (`xian` → `xian`,
/// `fangan` → `fang an`; type `xi'an` or `fan'gan` for the other split).
/// Returns `None` when the input cannot be read as pinyin.
pub fn segment(input: &[u8]) -> Option<Vec<Piece>> {
    let n = input.len();
    // cost[i]: best cost of the suffix starting at i (doubled: an unfinished
    // piece costs 3, a syllable 2), with the chosen next cut.
    let mut best: Vec<Option<(u32, usize, bool)>> = vec![None; n + 1];
    best[n] = Some((0, n, true));
    for i in (0..n).rev() {
        if input[i] == b'\'' {
            best[i] = best[i + 1].map(|(c, _, _)| (c, i + 1, true));
            continue;
        }
        let mut choice: Option<(u32, usize, bool)> = None;
        for len in (1..=MAX_SYLLABLE.min(n - i)).rev() {
            let j = i + len;
            let Ok(text) = std::str::from_utf8(&input[i..j]) else {
                continue;
            };
            let rest = skip_apostrophes(input, j);
            let candidate = if is_syllable(text) {
                best[rest].map(|(c, _, _)| (c + 2, j, true))
            } else if rest == n && syllable_prefixes().contains(text) {
                Some((3, j, false))
            } else {
                None
            };
            if let Some(cand) = candidate
                && choice.is_none_or(|c| cand.0 < c.0)
            {
                choice = Some(cand);
            }
        }
        best[i] = choice;
    }
    let mut pieces = Vec::new();
    let mut i = skip_apostrophes(input, 0);
    if i == n {
        return if n == 0 { Some(pieces) } else { None };
    }
    best[i]?;
    while i < n {
        let (_, j, complete) = best[i]?;
        let text = std::str::from_utf8(&input[i..j]).ok()?;
        let key = if complete {
            canonical(text)?.to_string()
        } else {
            text.to_string()
        };
        let end = skip_apostrophes(input, j);
        pieces.push(Piece { key, end, complete });
        i = end;
    }
    Some(pieces)
}

/// A consonant initial typed for a whole syllable (`z` `w` in `zw` for 张伟).
pub fn is_initial(s: &str) -> bool {
    matches!(
        s,
        "b" | "p"
            | "m"
            | "f"
            | "d"
            | "t"
            | "n"
            | "l"
            | "g"
            | "k"
            | "h"
            | "j"
            | "q"
            | "x"
            | "zh"
            | "ch"
            | "sh"
            | "r"
            | "z"
            | "c"
            | "s"
            | "y"
            | "w"
    )
}

/// Reads input as whole syllables and initials (`zw`, `zhangw`, `wxy`), a name typed by
/// the first letters of its syllables. Initials come back with `complete: false` and the
/// letters as `key`. Prefers the fewest pieces, then syllables over initials. `None` when
/// some letters are neither or when there is no initial (plain [`segment`] reads that).
pub fn segment_initials(input: &[u8]) -> Option<Vec<Piece>> {
    let n = input.len();
    let mut best: Vec<Option<(u32, usize, bool)>> = vec![None; n + 1];
    best[n] = Some((0, n, true));
    for i in (0..n).rev() {
        if input[i] == b'\'' {
            best[i] = best[i + 1].map(|(c, _, _)| (c, i + 1, true));
            continue;
        }
        let mut choice: Option<(u32, usize, bool)> = None;
        for len in (1..=MAX_SYLLABLE.min(n - i)).rev() {
            let j = i + len;
            let Ok(text) = std::str::from_utf8(&input[i..j]) else {
                continue;
            };
            let cost = if is_syllable(text) {
                2
            } else if is_initial(text) {
                3
            } else {
                continue;
            };
            let rest = skip_apostrophes(input, j);
            if let Some((c, _, _)) = best[rest] {
                let cand = (c + cost, j, cost == 2);
                if choice.is_none_or(|c| cand.0 < c.0) {
                    choice = Some(cand);
                }
            }
        }
        best[i] = choice;
    }
    let mut pieces = Vec::new();
    let mut i = skip_apostrophes(input, 0);
    while i < n {
        let (_, j, complete) = best[i]?;
        let text = std::str::from_utf8(&input[i..j]).ok()?;
        let key = if complete {
            canonical(text)?.to_string()
        } else {
            text.to_string()
        };
        let end = skip_apostrophes(input, j);
        pieces.push(Piece { key, end, complete });
        i = end;
    }
    pieces.iter().any(|p| !p.complete).then_some(pieces)
}

/// Every way to read the whole input as 2 to `max_pieces` complete syllables (an apostrophe
/// typed is always a cut), in input order of the cuts, at most `limit` of them. `lina` is
/// `lin a` (what [`segment`] picks) and `li na`; `lian` is `lian` and `li an`.
pub fn readings(input: &[u8], max_pieces: usize, limit: usize) -> Vec<Vec<Piece>> {
    fn walk(
        input: &[u8],
        i: usize,
        max_pieces: usize,
        limit: usize,
        cur: &mut Vec<Piece>,
        out: &mut Vec<Vec<Piece>>,
    ) {
        if out.len() >= limit {
            return;
        }
        if i == input.len() {
            if cur.len() >= 2 {
                out.push(cur.clone());
            }
            return;
        }
        if cur.len() == max_pieces {
            return;
        }
        for len in (1..=MAX_SYLLABLE.min(input.len() - i)).rev() {
            let j = i + len;
            if input[i..j].contains(&b'\'') {
                break;
            }
            let Some(key) = std::str::from_utf8(&input[i..j]).ok().and_then(canonical) else {
                continue;
            };
            let end = skip_apostrophes(input, j);
            cur.push(Piece {
                key: key.to_string(),
                end,
                complete: true,
            });
            walk(input, end, max_pieces, limit, cur, out);
            cur.pop();
        }
    }
    let mut out = Vec::new();
    if input.len() <= 4 * MAX_SYLLABLE {
        let start = skip_apostrophes(input, 0);
        walk(input, start, max_pieces, limit, &mut Vec::new(), &mut out);
    }
    out
}

fn skip_apostrophes(input: &[u8], mut i: usize) -> usize {
    while i < input.len() && input[i] == b'\'' {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(s: &str) -> Vec<String> {
        segment(&normalize(s))
            .unwrap()
            .into_iter()
            .map(|p| p.key)
            .collect()
    }

    #[test]
    fn a_full_name_splits_into_its_syllables() {
        assert_eq!(keys("zhangwei"), ["zhang", "wei"]);
        assert_eq!(keys("ouyangxiuying"), ["ou", "yang", "xiu", "ying"]);
    }

    #[test]
    fn the_longer_first_syllable_wins_unless_an_apostrophe_splits() {
        assert_eq!(keys("xian"), ["xian"]);
        assert_eq!(keys("xi'an"), ["xi", "an"]);
    }

    #[test]
    fn an_unfinished_last_syllable_is_kept_as_a_prefix() {
        let pieces = segment(&normalize("zhangzh")).unwrap();
        assert_eq!(pieces[1].key, "zh");
        assert!(!pieces[1].complete);
    }

    #[test]
    fn u_umlaut_and_lue_are_read_as_v() {
        assert_eq!(keys("lü"), ["lv"]);
        assert_eq!(keys("lue"), ["lve"]);
    }

    #[test]
    fn initials_are_read_as_syllables_to_come() {
        let read = |s: &str| {
            segment_initials(&normalize(s)).map(|p| {
                p.into_iter()
                    .map(|p| format!("{}{}", p.key, if p.complete { "" } else { "*" }))
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(read("zw").unwrap(), ["z*", "w*"]);
        assert_eq!(read("zhw").unwrap(), ["zh*", "w*"]);
        assert_eq!(read("zhangw").unwrap(), ["zhang", "w*"]);
        assert_eq!(read("wxy").unwrap(), ["w*", "x*", "y*"]);
        assert_eq!(read("zhangwei"), None, "no initial: plain segmentation");
        assert_eq!(read("zv"), None);
    }

    #[test]
    fn letters_that_are_not_pinyin_give_no_segmentation() {
        assert!(segment(&normalize("vvv")).is_none());
        assert!(segment(&normalize("zhang1")).is_none());
    }
}
