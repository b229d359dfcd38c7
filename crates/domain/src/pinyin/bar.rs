//! The candidate bar being filled: ordered, de-duplicated, cut into pages.

use std::collections::HashSet;

use super::engine::{Candidate, PAGE_SIZE};

/// Ordered, de-duplicated candidate list, filled up to the page asked for.
pub(super) struct Bar {
    items: Vec<Candidate>,
    seen: HashSet<String>,
    pub(super) want: usize,
}

impl Bar {
    pub(super) fn new(want: usize) -> Bar {
        Bar {
            items: Vec::with_capacity(want),
            seen: HashSet::new(),
            want,
        }
    }

    pub(super) fn full(&self) -> bool {
        self.items.len() >= self.want
    }

    pub(super) fn push(&mut self, text: &str, consumed: usize) {
        if !self.full() && self.seen.insert(text.to_string()) {
            self.items.push(Candidate {
                text: text.to_string(),
                consumed,
            });
        }
    }

    pub(super) fn push_char(&mut self, c: char, consumed: usize) {
        let mut buf = [0u8; 4];
        self.push(c.encode_utf8(&mut buf), consumed);
    }

    pub(super) fn page(self, page: usize) -> Vec<Candidate> {
        self.items
            .into_iter()
            .skip(page * PAGE_SIZE)
            .take(PAGE_SIZE)
            .collect()
    }
}
