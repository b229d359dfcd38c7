//! The candidate engine: pinyin in, one page of candidates out.

use std::collections::HashMap;

use inputx_pinyin::PinyinDict;

use super::bar::Bar;
use super::char_index::CharIndex;
use super::ranking::{Ranking, Slot};
use super::syllable::{self, Piece};
use super::tables::{COMPOUND_SURNAMES, NAME_PARTS, parse_table};
use super::words::{Word, place_stem};

/// Candidates shown on one page of the candidate bar.
pub const PAGE_SIZE: usize = 9;
/// Dictionary phrases taken per syllable boundary.
const PHRASES_PER_SPAN: usize = 4;
/// Whole names guessed from initials (`zw` → 张伟, 张文 …) shown before single characters.
const INITIAL_NAMES: usize = 4;
/// Characters tried per piece when guessing a name from initials.
const PER_PIECE: usize = 4;

/// One choice on the candidate bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// What is inserted when the candidate is tapped.
    pub text: String,
    /// How many letters of the typed pinyin it covers (apostrophes included);
    /// the rest of the input stays in the buffer for the next choice.
    pub consumed: usize,
}

/// Pinyin → candidates for the kiosk keyboard. Build once, share freely.
pub struct Engine {
    dict: PinyinDict,
    ranking: Ranking,
    compounds: HashMap<String, Vec<&'static str>>,
    words: Vec<Word>,
    /// Transliterated name parts (阿依古丽, 买买提), offered in name fields only.
    name_parts: Vec<Word>,
    /// Readings filled in from the `pinyin` crate (diagnostics).
    pub filled_readings: usize,
}

impl Engine {
    /// Builds the engine with the fair's place names boosted. A name with an
    /// administrative suffix (从江县, 高增乡, 小黄村) is also boosted without it
    /// (从江), since people type both. Takes ~0.1 s (release): build it once.
    pub fn new(place_names: &[&str]) -> Engine {
        let mut words: Vec<&str> = Vec::new();
        for name in place_names {
            words.push(name);
            if let Some(stem) = place_stem(name) {
                words.push(stem);
            }
        }
        Engine::with_tables(&words, None)
    }

    /// Like [`Engine::new`] with another given-name table (same format as
    /// [`super::tables::GIVEN_NAME_CHARS`]); used by the held-out evaluation.
    pub fn with_tables(place_names: &[&str], given_names: Option<&'static str>) -> Engine {
        let dict = PinyinDict::embedded();
        let index = CharIndex::build(&dict);
        let mut words: Vec<Word> = Vec::new();
        for w in place_names {
            if !words.iter().any(|x| x.text == *w)
                && let Some(word) = Word::new(w)
            {
                words.push(word);
            }
        }
        let ranking = Ranking::build(&index, given_names, &words);
        let mut compounds: HashMap<String, Vec<&'static str>> = HashMap::new();
        for (text, readings) in parse_table(COMPOUND_SURNAMES) {
            for r in readings {
                compounds.entry(r.to_string()).or_default().push(text);
            }
        }
        let name_parts = NAME_PARTS
            .split_whitespace()
            .filter_map(Word::new)
            .collect();
        Engine {
            dict,
            ranking,
            compounds,
            words,
            name_parts,
            filled_readings: index.filled,
        }
    }

    /// Adds more boosted words (e.g. trades) after construction.
    pub fn add_words(&mut self, words: &[&str]) {
        self.words.extend(words.iter().filter_map(|w| Word::new(w)));
    }

    /// Candidates at the start of a name field (surnames boosted).
    pub fn candidates(&self, pinyin: &str, page: usize) -> Vec<Candidate> {
        self.candidates_in(Slot::NameStart, pinyin, page)
    }

    /// Candidates for a name field that already holds `committed`: surnames
    /// at the start, given-name characters after.
    pub fn candidates_after(&self, committed: &str, pinyin: &str, page: usize) -> Vec<Candidate> {
        let slot = if committed.is_empty() {
            Slot::NameStart
        } else {
            Slot::NameRest
        };
        self.candidates_in(slot, pinyin, page)
    }

    /// Candidates for `slot`; page 0 is the first page of [`PAGE_SIZE`].
    pub fn candidates_in(&self, slot: Slot, pinyin: &str, page: usize) -> Vec<Candidate> {
        let input = syllable::normalize(pinyin);
        let plain = syllable::segment(&input);
        // Initials (`zw`, `zhangw`): read when plain pinyin cannot be, or when it ends in one.
        let initials = match &plain {
            Some(p)
                if p.last()
                    .is_some_and(|l| l.complete || !syllable::is_initial(&l.key)) =>
            {
                None
            }
            _ => syllable::segment_initials(&input),
        };
        let Some(pieces) = plain.or_else(|| initials.clone()) else {
            return Vec::new();
        };
        if pieces.is_empty() {
            return Vec::new();
        }
        let want = (page + 1) * PAGE_SIZE;
        let mut out = Bar::new(want);
        if slot != Slot::Plain {
            self.push_words_from(&self.name_parts, &input, &pieces, &mut out);
            if let Some(initials) = &initials {
                self.push_initial_names(slot, initials, &mut out);
            }
        }
        self.push_words(&input, &pieces, &mut out);
        let phrases = self.phrases(&pieces);
        let full = pieces.iter().all(|p| p.complete);
        match slot {
            Slot::NameStart => {
                if full {
                    // Names whose given part is made of given-name characters first, from
                    // this reading and from the others of the same letters (`lina`: 林 + 啊
                    // is a poor name, 李娜 a common one), then the rest of this reading's.
                    self.push_whole_names(&pieces, true, &mut out);
                    // (Only where the typed letters already read as two syllables or more: a
                    // single syllable such as `xian` is a surname being typed, not 席安.)
                    let others = if pieces.len() >= 2 {
                        syllable::readings(&input, 4, 16)
                    } else {
                        Vec::new()
                    };
                    for other in others {
                        if other != pieces {
                            self.push_whole_names(&other, true, &mut out);
                        }
                    }
                    self.push_whole_names(&pieces, false, &mut out);
                }
                self.push_compounds(&pieces, &mut out);
            }
            Slot::NameRest => {
                for (text, consumed) in phrases.iter().take(2) {
                    if text.chars().all(|c| self.ranking.is_given(c)) {
                        out.push(text, *consumed);
                    }
                }
            }
            Slot::Plain => {
                for (text, consumed) in phrases.iter().take(2) {
                    out.push(text, *consumed);
                }
            }
        }
        self.push_chars(slot, &pieces[0], &mut out);
        for (text, consumed) in &phrases {
            out.push(text, *consumed);
        }
        out.page(page)
    }

    /// Place names / trades: one read as the whole input first, then those the input
    /// begins (two or more pieces typed), then shorter runs of syllables, longest first.
    fn push_words(&self, input: &[u8], pieces: &[Piece], out: &mut Bar) {
        self.push_words_from(&self.words, input, pieces, out);
    }

    /// [`Engine::push_words`] over another word list.
    fn push_words_from(&self, words: &[Word], input: &[u8], pieces: &[Piece], out: &mut Bar) {
        let mut key = String::new();
        let mut spans = Vec::new();
        for p in pieces.iter().filter(|p| p.complete) {
            key.push_str(&p.key);
            spans.push((key.clone(), p.end));
        }
        let exact = |span: &str, end: usize, out: &mut Bar| {
            for w in words
                .iter()
                .filter(|w| w.readings.iter().any(|r| r == span))
            {
                out.push(&w.text, end);
            }
        };
        if let Some((span, end)) = spans.last().filter(|s| s.1 == input.len()) {
            exact(span, *end, out);
        }
        if pieces.len() >= 2 {
            let typed: String = input
                .iter()
                .filter(|&&b| b != b'\'')
                .map(|&b| b as char)
                .collect();
            for w in words {
                if w.readings
                    .iter()
                    .any(|r| r.len() > typed.len() && r.starts_with(&typed))
                {
                    out.push(&w.text, input.len());
                }
            }
        }
        for (span, end) in spans.iter().rev() {
            exact(span, *end, out);
        }
    }

    /// Dictionary phrases over the first k ≥ 2 complete syllables, longest first.
    fn phrases(&self, pieces: &[Piece]) -> Vec<(String, usize)> {
        let complete = pieces.iter().take_while(|p| p.complete).count();
        let mut out = Vec::new();
        let mut found = Vec::new();
        for k in (2..=complete.min(8)).rev() {
            let key: String = pieces[..k].iter().map(|p| p.key.as_str()).collect();
            self.dict.lookup_with_freq_into(&key, &mut found);
            let mut taken = 0;
            for (w, _) in &found {
                if w.chars().count() == k && taken < PHRASES_PER_SPAN {
                    out.push((w.clone(), pieces[k - 1].end));
                    taken += 1;
                }
            }
        }
        out
    }

    /// Surname + given-name guesses for a whole name typed in one go; with `named`, only
    /// those whose given part is all given-name characters.
    fn push_whole_names(&self, pieces: &[Piece], named: bool, out: &mut Bar) {
        if !(2..=4).contains(&pieces.len()) {
            return;
        }
        let end = pieces[pieces.len() - 1].end;
        let mut surnames: Vec<(String, usize)> = Vec::new();
        let pair = format!("{}{}", pieces[0].key, pieces[1].key);
        let compound = self.compounds.get(&pair);
        if pieces.len() >= 3
            && let Some(list) = compound
        {
            surnames.push((list[0].to_string(), 2));
        }
        if compound.is_none()
            && let Some(&(c, _)) = self.ranking.chars(Slot::NameStart, &pieces[0].key).first()
            && self.ranking.is_surname(c, &pieces[0].key)
        {
            surnames.push((c.to_string(), 1));
        }
        for (surname, used) in surnames {
            for given in self.given_guesses(&pieces[used..]) {
                if named && !given.chars().all(|c| self.ranking.is_given(c)) {
                    continue;
                }
                out.push(&format!("{surname}{given}"), end);
            }
        }
    }

    /// Up to two guesses for a given name: a dictionary phrase made of
    /// given-name characters, and the best given-name character per syllable.
    fn given_guesses(&self, pieces: &[Piece]) -> Vec<String> {
        let mut out = Vec::new();
        if pieces.len() >= 2 {
            let key: String = pieces.iter().map(|p| p.key.as_str()).collect();
            let mut found = Vec::new();
            self.dict.lookup_with_freq_into(&key, &mut found);
            if let Some((w, _)) = found.iter().find(|(w, _)| {
                w.chars().count() == pieces.len() && w.chars().all(|c| self.ranking.is_given(c))
            }) {
                out.push(w.clone());
            }
        }
        let charwise: Option<String> = pieces
            .iter()
            .map(|p| {
                self.ranking
                    .chars(Slot::NameRest, &p.key)
                    .first()
                    .map(|&(c, _)| c)
            })
            .collect();
        if let Some(w) = charwise
            && !out.contains(&w)
        {
            out.push(w);
        }
        out.truncate(2);
        out
    }

    /// Whole names from initials mixed with syllables (`zw` → 张伟, `zhangw` → 张伟, `wxy` →
    /// 王秀英): the likeliest surname (at a name's start) and given-name characters per piece,
    /// combined best-first by the sum of their places in each piece's list.
    fn push_initial_names(&self, slot: Slot, pieces: &[Piece], out: &mut Bar) {
        if !(2..=4).contains(&pieces.len()) {
            return;
        }
        let lists: Vec<Vec<char>> = pieces
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let surname = i == 0 && slot == Slot::NameStart;
                self.piece_chars(p, surname)
            })
            .collect();
        if lists.iter().any(Vec::is_empty) {
            return;
        }
        let mut combos: Vec<Vec<usize>> = vec![Vec::new()];
        for list in &lists {
            combos = combos
                .into_iter()
                .flat_map(|c| {
                    (0..list.len()).map(move |k| {
                        let mut c = c.clone();
                        c.push(k);
                        c
                    })
                })
                .collect();
        }
        combos.sort_by_key(|c| (c.iter().sum::<usize>(), c.clone()));
        let end = pieces[pieces.len() - 1].end;
        for combo in combos.into_iter().take(INITIAL_NAMES) {
            let text: String = combo.iter().zip(&lists).map(|(&k, l)| l[k]).collect();
            out.push(&text, end);
        }
    }

    /// The best table characters for one piece (a syllable or an initial): surnames at
    /// the start of a name, given-name characters after.
    fn piece_chars(&self, piece: &Piece, surname: bool) -> Vec<char> {
        let slot = if surname {
            Slot::NameStart
        } else {
            Slot::NameRest
        };
        let in_table = |c: char, syl: &str| {
            if surname {
                self.ranking.is_surname(c, syl)
            } else {
                self.ranking.is_given(c)
            }
        };
        let mut scored: Vec<(char, i64)> = Vec::new();
        let syllables: Vec<&str> = if piece.complete {
            vec![piece.key.as_str()]
        } else {
            syllable::completions(&piece.key).collect()
        };
        for syl in syllables {
            scored.extend(
                self.ranking
                    .chars(slot, syl)
                    .iter()
                    .take(PER_PIECE)
                    .filter(|&&(c, _)| in_table(c, syl)),
            );
        }
        scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut out: Vec<char> = Vec::new();
        for (c, _) in scored {
            if !out.contains(&c) && out.len() < PER_PIECE {
                out.push(c);
            }
        }
        out
    }

    fn push_compounds(&self, pieces: &[Piece], out: &mut Bar) {
        if pieces.len() >= 2 && pieces[1].complete {
            let pair = format!("{}{}", pieces[0].key, pieces[1].key);
            for text in self.compounds.get(&pair).into_iter().flatten() {
                out.push(text, pieces[1].end);
            }
        }
    }

    /// Single characters for the first piece (all completions if unfinished).
    fn push_chars(&self, slot: Slot, first: &Piece, out: &mut Bar) {
        if first.complete {
            for &(c, _) in self.ranking.chars(slot, &first.key) {
                if out.full() {
                    return;
                }
                out.push_char(c, first.end);
            }
            return;
        }
        let mut merged: Vec<(char, i64)> = Vec::new();
        for syl in syllable::completions(&first.key) {
            merged.extend(self.ranking.chars(slot, syl).iter().take(out.want));
        }
        merged.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for (c, _) in merged {
            if out.full() {
                return;
            }
            out.push_char(c, first.end);
        }
    }
}
