//! Keys, cards and shorthands shared by the ticket tests.

use super::{Card, FairKeys, Result, VerifiedTicket, issue, verify};
use crate::sex::Sex;

pub(super) const FAIR: &str = "test-fair-2027-02-18";
pub(super) const REG: [u8; 16] = [7; 16];
pub(super) const NONCE: [u8; 10] = [9; 10];

/// `typical_card()` as a format-1 ticket (`JK1`, before tickets carried a version),
/// issued with `keys(1)` for [`FAIR`] and [`REG`] and the nonce `[9; 12]`: the bytes of
/// tickets printed before format 2. Computed independently (Python `cryptography`) and
/// equal to what the format-1 `issue` of this crate made.
pub(super) const LEGACY_V1_TICKET: &str = "JK1AHVCJSOJA4DQOBYHA4DQOBYHA4DQOBYHA4EQSCIJBEEQSCIJBEEQTG6C45C6KKVJ43SGHWAI6MEQEKTBXHG2HP5XO5JUVNUUO7BYON6AXRJXMRAD2WYQVBK37R2HHKEQCBNVU7OI7KBHMRFMBBPYOV3MVQ2PNZTG3G4URH6FWEQYWOZ4657RPMU5CFL5CFY5QR3H5OHLGSXSY5J6OZEIWNFTYSMH7OCVIBMWUBI";

pub(super) fn keys(seed: u8) -> FairKeys {
    FairKeys::generate(&[seed; 64])
}

pub(super) fn typical_card() -> Card {
    Card {
        name: "张测试".into(),
        birth_year: Some(1975),
        sex: Some(Sex::Male),
        township: "测试镇".into(),
        openings: vec![12, 345],
        phone: Some("13800000000".into()),
    }
}

pub(super) fn full_card() -> Card {
    Card {
        name: "甲乙丙丁戊己庚辛壬癸".repeat(3),
        birth_year: Some(2155),
        sex: Some(Sex::Female),
        township: "某某自治县某某乡某某村第一村民小组".into(),
        openings: vec![65535, 65534, 65533, 65532, 65531],
        phone: Some("19999999999".into()),
    }
}

pub(super) fn ticket(card: &Card) -> String {
    issue(&keys(1), FAIR, REG, 1, card, NONCE).unwrap()
}

pub(super) fn check(text: &str) -> Result<VerifiedTicket> {
    verify(&keys(1).verifier(), FAIR, text)
}
