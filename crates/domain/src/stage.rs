//! The stages a recruiter records for a candidate and one opening.

/// interested → interviewed → offered → hired, or declined at any point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    Interested,
    Interviewed,
    Offered,
    Hired,
    Declined,
}

/// Longest note kept with a stage, in characters.
pub const MAX_NOTE_CHARS: usize = 60;

impl Stage {
    /// Every stage, in the order the booth's buttons show them.
    pub const ALL: [Stage; 5] = [
        Stage::Interested,
        Stage::Interviewed,
        Stage::Offered,
        Stage::Hired,
        Stage::Declined,
    ];

    /// The stored and uploaded name.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Interested => "interested",
            Stage::Interviewed => "interviewed",
            Stage::Offered => "offered",
            Stage::Hired => "hired",
            Stage::Declined => "declined",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Position in [`Stage::ALL`] (the UI's index).
    pub fn index(self) -> usize {
        self as usize
    }
}

/// A note as stored: trimmed, control characters removed; one of more than
/// [`MAX_NOTE_CHARS`] characters is refused (`Err(MAX_NOTE_CHARS)`), never cut.
pub fn clean_note(note: &str) -> Result<String, usize> {
    let clean: String = note.trim().chars().filter(|c| !c.is_control()).collect();
    if clean.chars().count() > MAX_NOTE_CHARS {
        Err(MAX_NOTE_CHARS)
    } else {
        Ok(clean)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_round_trip_through_their_names() {
        for stage in Stage::ALL {
            assert_eq!(Stage::parse(stage.as_str()), Some(stage));
            assert_eq!(Stage::ALL[stage.index()], stage);
        }
        assert_eq!(Stage::parse("maybe"), None);
    }

    #[test]
    fn notes_are_trimmed_and_a_long_one_is_refused_not_cut() {
        assert_eq!(clean_note("  会焊接\n ").unwrap(), "会焊接");
        assert_eq!(
            clean_note(&"好".repeat(MAX_NOTE_CHARS))
                .unwrap()
                .chars()
                .count(),
            60
        );
        assert_eq!(clean_note(&"好".repeat(61)), Err(MAX_NOTE_CHARS));
    }
}
