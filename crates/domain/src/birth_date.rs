//! The one birth-date rule of every way a birth date comes in: the registration screen,
//! the townships' and employers' lists, the base's ingest and (later) the phone form.
//!
//! A birth date is accepted when it is **not before 1 January 1900** and **not after the
//! fair's date**. The fair's date, not the device's clock: a list is imported days
//! before the fair, a kiosk's clock may be wrong, and a record reaching the base weeks
//! later must be judged by the same rule as on the day.

use chrono::NaiveDate;

/// The earliest birth date accepted.
pub const EARLIEST: NaiveDate = NaiveDate::from_ymd_opt(1900, 1, 1).expect("a valid date");

/// Why a birth date was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BirthDateError {
    #[error("the birth date lies before 1900")]
    BeforeEarliest,
    #[error("the birth date lies after the day of the fair")]
    AfterFair,
}

/// The rule: `birth` is accepted for a fair held on `fair_date`.
pub fn check(birth: NaiveDate, fair_date: NaiveDate) -> Result<(), BirthDateError> {
    if birth < EARLIEST {
        Err(BirthDateError::BeforeEarliest)
    } else if birth > fair_date {
        Err(BirthDateError::AfterFair)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn born_from_1900_up_to_the_day_of_the_fair_is_accepted() {
        let fair = date(2027, 2, 15);
        for birth in [EARLIEST, date(1990, 6, 1), fair] {
            assert_eq!(check(birth, fair), Ok(()), "{birth}");
        }
    }

    #[test]
    fn born_after_the_fair_or_before_1900_is_refused() {
        let fair = date(2027, 2, 15);
        for birth in [date(2027, 2, 16), date(2030, 1, 1), date(9999, 12, 31)] {
            assert_eq!(
                check(birth, fair),
                Err(BirthDateError::AfterFair),
                "{birth}"
            );
        }
        assert_eq!(
            check(date(1899, 12, 31), fair),
            Err(BirthDateError::BeforeEarliest)
        );
    }
}
