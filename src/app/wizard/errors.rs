//! The wizard's per-field errors: one variant per cause, so each front end shows its
//! own translated sentence (the touch UI maps them to the Slint `FieldError`).

use crate::domain::person_name::NameError;
use crate::domain::phone::PhoneError;
use crate::domain::registration::{PlaceError, PlaceField, PlaceProblem};
use crate::domain::resident_id::ResidentIdError;

/// An input of the registration flow that can carry an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Phone,
    ResidentId,
    Name,
    Place(PlaceField),
    Openings,
    Last4,
    /// The review's "confirm": saving failed.
    Confirm,
    /// "I signed up already": the typed phone or ID number.
    Lookup,
}

/// What is wrong with one input. The `Display` text is English, for logs and tests;
/// front ends translate the variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    #[error("please fill this in")]
    Empty,
    #[error("too few digits")]
    TooShort,
    #[error("too many characters")]
    TooLong,
    #[error("a character that is not allowed here")]
    BadChar,
    #[error("X may only be the last character")]
    XNotLast,
    #[error("not a mainland mobile number")]
    NotMobile,
    #[error("not a valid region code")]
    BadRegion,
    #[error("the birth date does not exist")]
    BadDate,
    #[error("the birth date is after the fair's date")]
    FutureDate,
    #[error("the last character does not match")]
    CheckDigit,
    #[error("the middle dot goes only between parts of a name")]
    NameDot,
    #[error("choose at least one opening")]
    NoOpenings,
    #[error("at most 5 openings")]
    TooManyOpenings,
    #[error("the 4 digits do not match the phone on file")]
    WrongLast4,
    #[error("too many wrong tries")]
    TooManyTries,
    #[error("the disk is full; nothing was saved")]
    DiskFull,
    #[error("saving failed; nothing was saved")]
    SaveFailed,
    #[error("the kiosk could not read its records")]
    ReadFailed,
    #[error("neither a mobile number nor a resident ID number")]
    NotPhoneOrId,
    #[error("no sign-up and no list entry with this number")]
    NotFound,
}

/// The errors shown now, at most one per field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Errors(Vec<(Field, FieldError)>);

impl Errors {
    pub fn get(&self, field: Field) -> Option<FieldError> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, e)| *e)
    }

    pub(super) fn set(&mut self, field: Field, error: FieldError) {
        self.clear(field);
        self.0.push((field, error));
    }

    pub(super) fn clear(&mut self, field: Field) {
        self.0.retain(|(f, _)| *f != field);
    }

    pub(super) fn clear_all(&mut self) {
        self.0.clear();
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

pub(super) fn phone_error(e: PhoneError) -> FieldError {
    match e {
        PhoneError::Empty => FieldError::Empty,
        PhoneError::InvalidCharacter { .. } => FieldError::BadChar,
        PhoneError::WrongLength { digits } if digits < 11 => FieldError::TooShort,
        PhoneError::WrongLength { .. } | PhoneError::TooLong => FieldError::TooLong,
        PhoneError::NotMobile => FieldError::NotMobile,
    }
}

/// `typed` is the text that was parsed (to tell an X in the wrong place from other characters).
pub(super) fn id_error(e: ResidentIdError, typed: &str) -> FieldError {
    match e {
        ResidentIdError::Empty => FieldError::Empty,
        ResidentIdError::WrongLength { len } if len < 18 => FieldError::TooShort,
        ResidentIdError::WrongLength { .. } => FieldError::TooLong,
        ResidentIdError::InvalidCharacter { position } => {
            let c = typed
                .chars()
                .filter(|c| !c.is_whitespace())
                .nth(position.saturating_sub(1));
            if matches!(c, Some('X' | 'x')) {
                FieldError::XNotLast
            } else {
                FieldError::BadChar
            }
        }
        ResidentIdError::UnknownRegion => FieldError::BadRegion,
        ResidentIdError::InvalidBirthDate => FieldError::BadDate,
        ResidentIdError::BirthDateInFuture => FieldError::FutureDate,
        ResidentIdError::WrongCheckDigit => FieldError::CheckDigit,
    }
}

pub(super) fn name_error(e: NameError) -> FieldError {
    match e {
        NameError::Empty => FieldError::Empty,
        NameError::TooLong { .. } => FieldError::TooLong,
        NameError::InvalidCharacter { ch: '·' } => FieldError::NameDot,
        NameError::InvalidCharacter { .. } => FieldError::BadChar,
    }
}

pub(super) fn place_error(e: PlaceError) -> (Field, FieldError) {
    let error = match e.problem {
        PlaceProblem::Empty => FieldError::Empty,
        PlaceProblem::TooLong => FieldError::TooLong,
        PlaceProblem::BadChar => FieldError::BadChar,
    };
    (Field::Place(e.field), error)
}

/// The error a failed save shows on the review (the full disk gets its own).
pub(super) fn save_error(e: &crate::app::Error) -> FieldError {
    match e {
        crate::app::Error::DiskFull => FieldError::DiskFull,
        _ => FieldError::SaveFailed,
    }
}
