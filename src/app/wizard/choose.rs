//! The openings step: up to five, kept in the order tapped. The list never reorders
//! under the villager's finger: it stays in the fair's order (of the trade filtered on),
//! a chosen opening stays where it is, marked.

use super::{Field, FieldError, Step, Wizard};
use crate::domain::fair::{FairFile, Trade};
use crate::domain::registration::MAX_CHOSEN_OPENINGS;

impl Wizard {
    /// Taps an opening: chooses it, or un-chooses it when chosen. A sixth is refused
    /// with an error; any accepted tap clears it.
    pub fn toggle_opening(&mut self, fair: &FairFile, id: u16) -> Step {
        if self.step != Step::Choose {
            return self.step;
        }
        if let Some(pos) = self.openings.iter().position(|&o| o == id) {
            self.openings.remove(pos);
        } else if fair.opening(id).is_none() {
            return self.step;
        } else if self.openings.len() >= MAX_CHOSEN_OPENINGS {
            self.errors
                .set(Field::Openings, FieldError::TooManyOpenings);
            return self.step;
        } else {
            self.openings.push(id);
        }
        self.errors.clear(Field::Openings);
        self.step
    }

    /// Shows only the openings of one trade (or all).
    pub fn filter_trade(&mut self, trade: Option<Trade>) -> Step {
        if self.step != Step::Choose {
            return self.step;
        }
        self.trade = trade;
        self.step
    }

    pub fn trade_filter(&self) -> Option<Trade> {
        self.trade
    }

    /// The openings listed on the choose step, in the fair's order, chosen or not.
    pub fn choices(&self, fair: &FairFile) -> Vec<u16> {
        fair.openings
            .iter()
            .filter(|o| self.trade.is_none_or(|t| o.trade == t))
            .map(|o| o.id)
            .collect()
    }

    pub fn is_chosen(&self, id: u16) -> bool {
        self.openings.contains(&id)
    }

    /// "Next" on the choose step: at least one opening; then the ride step where the
    /// chosen employers' city has departures, else the review.
    pub fn submit_choices(&mut self) -> Step {
        if self.step != Step::Choose {
            return self.step;
        }
        if self.openings.is_empty() {
            self.errors.set(Field::Openings, FieldError::NoOpenings);
            return self.step;
        }
        self.errors.clear(Field::Openings);
        self.after_choices()
    }
}
