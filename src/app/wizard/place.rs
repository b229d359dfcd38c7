//! The home place step: county, township and village picked from the fair's lists or typed;
//! every part required, short, without control characters (`HomePlace::checked`).

use super::errors::place_error;
use super::{Field, FieldError, Step, Wizard};
use crate::domain::fair::FairFile;
use crate::domain::registration::PlaceField;

impl Wizard {
    /// One part of the home place typed in its box; any change clears the place's errors.
    pub fn type_place(&mut self, field: PlaceField, text: &str) -> Step {
        if self.step != Step::Place {
            return self.step;
        }
        if self.entries.home.get(field) != text {
            *self.entries.home.get_mut(field) = text.to_string();
            self.place_changed();
        }
        self.step
    }

    /// A county picked from the list: the township and village start over.
    pub fn pick_county(&mut self, county: &str) -> Step {
        if self.step != Step::Place {
            return self.step;
        }
        self.entries.home.county = county.to_string();
        self.entries.home.township.clear();
        self.entries.home.village.clear();
        self.place_changed();
        self.step
    }

    /// A township picked from the list: the village starts over.
    pub fn pick_township(&mut self, township: &str) -> Step {
        if self.step != Step::Place {
            return self.step;
        }
        self.entries.home.township = township.to_string();
        self.entries.home.village.clear();
        self.place_changed();
        self.step
    }

    /// A village picked from the list completes the place: on to the openings.
    pub fn pick_village(&mut self, village: &str) -> Step {
        if self.step != Step::Place {
            return self.step;
        }
        self.entries.home.village = village.to_string();
        self.place_changed();
        self.submit_place()
    }

    fn place_changed(&mut self) {
        self.home = None;
        for f in PlaceField::ALL {
            self.errors.clear(Field::Place(f));
        }
    }

    /// "Next" on the place step: every part non-empty, short, without control characters.
    pub fn submit_place(&mut self) -> Step {
        if self.step != Step::Place {
            return self.step;
        }
        match self.entries.home.checked() {
            Ok(home) => {
                self.entries.home = home.clone();
                self.home = Some(home);
                let next = self.next_after(Step::Place);
                self.go(next)
            }
            Err(e) => {
                let (field, error) = place_error(e);
                self.errors.set(field, error);
                self.step
            }
        }
    }

    /// The pick lists for the place step: every county of the fair, the townships of the
    /// county typed or picked, the villages of the township.
    pub fn place_options<'f>(&self, fair: &'f FairFile) -> [Vec<&'f str>; 3] {
        let home = &self.entries.home;
        let county = fair.places.iter().find(|c| c.name == home.county);
        let township = county.and_then(|c| c.townships.iter().find(|t| t.name == home.township));
        [
            fair.places.iter().map(|c| c.name.as_str()).collect(),
            county
                .map(|c| c.townships.iter().map(|t| t.name.as_str()).collect())
                .unwrap_or_default(),
            township
                .map(|t| t.villages.iter().map(String::as_str).collect())
                .unwrap_or_default(),
        ]
    }

    /// The error of the first part of the place that has one.
    pub fn place_error(&self) -> Option<(PlaceField, FieldError)> {
        PlaceField::ALL
            .into_iter()
            .find_map(|f| self.error(Field::Place(f)).map(|e| (f, e)))
    }
}
