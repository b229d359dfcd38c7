//! The steps that take the villager's details: consent, phone, resident ID, name (the home
//! place is in `place.rs`).
//! Typing clears the field's error at once; the phone (11 digits) and the ID (18
//! characters) go on by themselves when complete.

use super::errors::{id_error, name_error, phone_error};
use super::{Field, Registrar, Step, Wizard};
use crate::domain::person_name::normalize_name;
use crate::domain::phone::{self, Phone};
use crate::domain::registration::Consent;
use crate::domain::resident_id::{self, ResidentId};

/// A key of an on-screen keypad.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Backspace,
}

impl Key {
    /// `text` with this key applied.
    pub fn apply(self, text: &str) -> String {
        let mut out = text.to_string();
        match self {
            Key::Char(c) => out.push(c),
            Key::Backspace => {
                out.pop();
            }
        }
        out
    }
}

impl Wizard {
    /// "I agree", with the two optional consents. Without the ID consent the ID step is
    /// skipped and any ID already given is dropped.
    pub fn accept_consent(
        &mut self,
        reg: &mut impl Registrar,
        resident_id: bool,
        share_phone: bool,
    ) -> Step {
        if self.step != Step::Consent {
            return self.step;
        }
        self.consent = Consent {
            personal_data: true,
            resident_id,
            share_phone,
        };
        if !resident_id {
            self.drop_id();
        }
        if self.list.as_ref().is_some_and(|l| !l.correcting) && self.divert_if_registered(reg) {
            return self.step;
        }
        let next = self.next_after(Step::Consent);
        self.go(next)
    }

    /// The phone as typed on the keypad: digits only, at most 11; a number written with
    /// a country prefix (`+86 138…`) is taken whole. A change clears the error; 11 digits
    /// submit at once.
    pub fn type_phone(&mut self, reg: &mut impl Registrar, text: &str) -> Step {
        if self.step != Step::Phone {
            return self.step;
        }
        let digits = match Phone::parse(text) {
            Ok(p) => p.as_str().to_string(),
            Err(_) => text
                .chars()
                .filter(char::is_ascii_digit)
                .take(phone::DIGITS)
                .collect(),
        };
        if digits == self.entries.phone {
            return self.step;
        }
        self.entries.phone = digits;
        self.phone = None;
        self.phone_typed = true;
        self.phone_proven = false;
        self.errors.clear(Field::Phone);
        if self.entries.phone.len() == phone::DIGITS {
            return self.submit_phone(reg);
        }
        self.step
    }

    /// A key of the phone keypad. A number prefilled from a list is shown masked and
    /// replaced by the first key.
    pub fn key_phone(&mut self, reg: &mut impl Registrar, key: Key) -> Step {
        let base = if self.phone_typed {
            self.entries.phone.clone()
        } else {
            String::new()
        };
        self.type_phone(reg, &key.apply(&base))
    }

    /// The phone as the keypad's display shows it (masked while prefilled from a list).
    pub fn phone_display(&self) -> String {
        match &self.phone {
            Some(p) if !self.phone_typed => p.masked(),
            _ => self.entries.phone.clone(),
        }
    }

    /// "Next" on the phone step: a valid number goes on (to the duplicate path when
    /// it is already registered at this fair).
    pub fn submit_phone(&mut self, reg: &mut impl Registrar) -> Step {
        if self.step != Step::Phone {
            return self.step;
        }
        match Phone::parse(&self.entries.phone) {
            Ok(p) => {
                self.phone = Some(p);
                self.phone_proven = self.phone_typed;
                self.errors.clear(Field::Phone);
                if self.divert_if_registered(reg) {
                    return self.step;
                }
                let next = self.next_after(Step::Phone);
                self.go(next)
            }
            Err(e) => {
                self.errors.set(Field::Phone, phone_error(e));
                self.step
            }
        }
    }

    /// The ID as typed: digits and X (upper-cased), at most 18. A change clears the error;
    /// 18 characters submit at once (a card reader types them all in one burst).
    pub fn type_id(&mut self, text: &str) -> Step {
        if self.step != Step::ResidentId {
            return self.step;
        }
        let cleaned: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .filter(|c| c.is_ascii_digit() || *c == 'X')
            .take(resident_id::LEN)
            .collect();
        if cleaned == self.entries.resident_id {
            return self.step;
        }
        self.entries.resident_id = cleaned;
        self.resident_id = None;
        self.id_confirming = false;
        self.errors.clear(Field::ResidentId);
        if self.entries.resident_id.len() == resident_id::LEN {
            return self.submit_id();
        }
        self.step
    }

    /// A key of the ID keypad (digits and X).
    pub fn key_id(&mut self, key: Key) -> Step {
        let text = key.apply(&self.entries.resident_id);
        self.type_id(&text)
    }

    /// The ID as the display shows it: masked once valid (only the birth date and sex are
    /// to be checked), else as typed.
    pub fn id_display(&self) -> String {
        match &self.resident_id {
            Some(id) => id.masked(),
            None => self.entries.resident_id.clone(),
        }
    }

    /// "Next" on the ID step: a valid ID (birth date not after the fair's date) is shown
    /// back with its birth date and sex for the villager to confirm.
    pub fn submit_id(&mut self) -> Step {
        if self.step != Step::ResidentId {
            return self.step;
        }
        let typed = self.entries.resident_id.clone();
        match ResidentId::parse_at(&typed, self.fair_date) {
            Ok(id) => {
                self.resident_id = Some(id);
                self.id_confirming = true;
                self.errors.clear(Field::ResidentId);
            }
            Err(e) => self.errors.set(Field::ResidentId, id_error(e, &typed)),
        }
        self.step
    }

    /// "Yes, that's me": on to the name (or the duplicate path when this ID is registered).
    pub fn confirm_id(&mut self, reg: &mut impl Registrar) -> Step {
        if self.step != Step::ResidentId {
            return self.step;
        }
        if self.resident_id.is_none() {
            return self.submit_id();
        }
        self.id_confirming = false;
        if self.divert_if_registered(reg) {
            return self.step;
        }
        let next = self.next_after(Step::ResidentId);
        self.go(next)
    }

    /// "No, change it": the ID is typed again.
    pub fn edit_id(&mut self) -> Step {
        if self.step != Step::ResidentId {
            return self.step;
        }
        self.drop_id();
        self.step
    }

    /// "Continue without ID number": withdraws the ID consent.
    pub fn skip_id(&mut self) -> Step {
        if self.step != Step::ResidentId {
            return self.step;
        }
        self.consent.resident_id = false;
        self.drop_id();
        let next = self.next_after(Step::ResidentId);
        self.go(next)
    }

    fn drop_id(&mut self) {
        self.resident_id = None;
        self.id_confirming = false;
        self.entries.resident_id.clear();
        self.errors.clear(Field::ResidentId);
    }

    /// The name as typed (the keyboard's text); a change clears the error.
    pub fn type_name(&mut self, text: &str) -> Step {
        if self.step != Step::Name {
            return self.step;
        }
        if text != self.entries.name {
            self.entries.name = text.to_string();
            self.name = None;
            self.errors.clear(Field::Name);
        }
        self.step
    }

    /// "Next" on the name step: the name in its canonical form.
    pub fn submit_name(&mut self) -> Step {
        if self.step != Step::Name {
            return self.step;
        }
        match normalize_name(&self.entries.name) {
            Ok(name) => {
                self.entries.name = name.clone();
                self.name = Some(name);
                self.errors.clear(Field::Name);
                let next = self.next_after(Step::Name);
                self.go(next)
            }
            Err(e) => {
                self.errors.set(Field::Name, name_error(e));
                self.step
            }
        }
    }
}
