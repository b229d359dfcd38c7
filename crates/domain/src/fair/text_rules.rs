//! Rules shared by every text field of a fair file.

use super::{MAX_SHORT_TEXT, MAX_TEXT};

/// How a text field is checked.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum TextKind {
    /// Required, at most [`MAX_SHORT_TEXT`] characters.
    Name,
    /// If present, not blank and at most [`MAX_SHORT_TEXT`] characters.
    OptionalName,
    /// Required, at most [`MAX_TEXT`] characters.
    Text,
    /// May be empty, at most [`MAX_TEXT`] characters.
    OptionalText,
}

pub(super) fn push_text_problems(
    texts: &[(&'static str, Option<&str>, TextKind)],
    out: &mut Vec<(&'static str, String)>,
) {
    for &(field, value, kind) in texts {
        if let Some(problem) = value.and_then(|v| text_problem(v, kind)) {
            out.push((field, problem));
        }
    }
}

/// The first problem of a text, if any: blank when required, too long, control characters.
pub(super) fn text_problem(s: &str, kind: TextKind) -> Option<String> {
    let max = match kind {
        TextKind::Name | TextKind::OptionalName => MAX_SHORT_TEXT,
        TextKind::Text | TextKind::OptionalText => MAX_TEXT,
    };
    let chars = s.chars().count();
    if s.trim().is_empty() && kind != TextKind::OptionalText {
        Some("must not be empty".to_string())
    } else if chars > max {
        Some(format!("{chars} characters; at most {max} are allowed"))
    } else if s.chars().any(char::is_control) {
        Some("must not contain control characters such as line breaks or tabs".to_string())
    } else {
        None
    }
}

pub(super) fn is_fair_id(id: &str) -> bool {
    (3..=40).contains(&id.len())
        && id
            .bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-'))
}

pub(super) fn is_employer_id(id: &str) -> bool {
    (1..=24).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}
