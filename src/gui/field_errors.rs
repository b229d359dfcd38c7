//! The wizard's field errors as the Slint enums the pages translate.

use super::{FieldError, ListLookupError, PlaceField as UiPlaceField};
use crate::app::wizard;
use crate::domain::registration::PlaceField;

/// The translated-by-Slint error of a field.
pub(crate) fn ui_error(e: Option<wizard::FieldError>) -> FieldError {
    use wizard::FieldError as E;
    match e {
        None => FieldError::None,
        Some(E::Empty) => FieldError::Empty,
        Some(E::TooShort) => FieldError::TooShort,
        Some(E::TooLong) => FieldError::TooLong,
        Some(E::BadChar) => FieldError::BadChar,
        Some(E::XNotLast) => FieldError::XNotLast,
        Some(E::NotMobile) => FieldError::NotMobile,
        Some(E::BadRegion) => FieldError::BadRegion,
        Some(E::BadDate) => FieldError::BadDate,
        Some(E::FutureDate) => FieldError::FutureDate,
        Some(E::CheckDigit) => FieldError::CheckDigit,
        Some(E::NameDot) => FieldError::NameDot,
        Some(E::NoOpenings) => FieldError::NoOpenings,
        Some(E::TooManyOpenings) => FieldError::TooManyOpenings,
        Some(E::WrongLast4) => FieldError::WrongLast4,
        Some(E::TooManyTries) => FieldError::TooManyTries,
        Some(E::DiskFull) => FieldError::DiskFull,
        Some(E::SaveFailed) => FieldError::SaveFailed,
        Some(E::ReadFailed | E::NotPhoneOrId | E::NotFound) => FieldError::ReadFailed,
    }
}

pub(crate) fn lookup_error(e: Option<wizard::FieldError>) -> ListLookupError {
    use wizard::FieldError as E;
    match e {
        None => ListLookupError::None,
        Some(E::Empty) => ListLookupError::Empty,
        Some(E::NotFound) => ListLookupError::NotFound,
        Some(E::ReadFailed) => ListLookupError::ReadFailed,
        Some(_) => ListLookupError::NotValid,
    }
}

pub(crate) fn ui_place_field(f: PlaceField) -> UiPlaceField {
    match f {
        PlaceField::County => UiPlaceField::County,
        PlaceField::Township => UiPlaceField::Township,
        PlaceField::Village => UiPlaceField::Village,
    }
}
