//! The rules of `POST /v1/records`, pure (no HTTP, no SQL), in two steps:
//! [`read`] checks what a record says about itself (id, kind, hash, shape, kiosk) and
//! [`judge`] checks it against the fair it names ([`crate::validate`]): the answer is a
//! [`Checked`] record, new or refused. The store then finds which new ones it already
//! holds and [`settle`]s those: duplicate, or conflict.
//!
//! Between the two, [`unseal`] opens a sign-up's sealed numbers (issue 17): kiosks send the
//! phone and resident ID masked, and whole only in a box sealed to the base's key. The
//! base opens the box (current key, then each previous one), checks the masks agree,
//! and puts the whole numbers back in the record before it is judged and stored: the
//! base's database and exports hold them whole, as before. A sealed sign-up the base
//! cannot open is refused on its own, and nothing of it is stored.

use crate::seal_key::BaseSealKeys;
use crate::store::{Checked, NewRecord, Stored};
use crate::validate::{self, FairRules};
use jobfair_protocol::masking;
use jobfair_protocol::records::{
    BoardingRecord, CheckInRecord, RecordKind, RegistrationRecord, SealedNumbers, SeatRecord,
    StageRecord,
};
use jobfair_protocol::sealed::SealedBoxes;
use jobfair_protocol::{Record, RecordResult, RecordStatus, RejectCode};
use serde::Deserialize;

/// A record's payload, parsed as its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    Registration(RegistrationRecord),
    Stage(StageRecord),
    CheckIn(CheckInRecord),
    Seat(SeatRecord),
    Boarding(BoardingRecord),
}

impl Payload {
    fn parse(kind: RecordKind, text: &str) -> serde_json::Result<Payload> {
        Ok(match kind {
            RecordKind::Registration => Payload::Registration(serde_json::from_str(text)?),
            RecordKind::Stage => Payload::Stage(serde_json::from_str(text)?),
            RecordKind::CheckIn => Payload::CheckIn(serde_json::from_str(text)?),
            RecordKind::Seat => Payload::Seat(serde_json::from_str(text)?),
            RecordKind::Boarding => Payload::Boarding(serde_json::from_str(text)?),
        })
    }

    /// `(kiosk_id, fair_id, registration_id, at)`.
    fn keys(&self) -> (&str, &str, &str, &str) {
        match self {
            Payload::Registration(r) => (&r.kiosk_id, &r.fair_id, &r.registration_id, &r.at),
            Payload::Stage(r) => (&r.kiosk_id, &r.fair_id, &r.registration_id, &r.at),
            Payload::CheckIn(r) => (&r.kiosk_id, &r.fair_id, &r.registration_id, &r.at),
            Payload::Seat(r) => (&r.kiosk_id, &r.fair_id, &r.registration_id, &r.at),
            Payload::Boarding(r) => (&r.kiosk_id, &r.fair_id, &r.registration_id, &r.at),
        }
    }

    pub fn fair_id(&self) -> &str {
        self.keys().1
    }
}

/// A record that reads well: ready to be judged against its fair.
///
/// `record.payload` is the text the base stores: the payload as sent, or — for a sealed
/// sign-up after [`unseal`] — the sign-up with its whole numbers and without `sealed`.
/// `record.sha256` is always the hash of the payload as sent: it is what a resend is
/// recognised by (duplicate or conflict).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    pub record: Record,
    pub kind: RecordKind,
    pub payload: Payload,
}

fn refused(id: &str, code: RejectCode, why: impl Into<String>) -> RecordResult {
    RecordResult::refused(id.to_string(), RecordStatus::Rejected, code, why.into())
}

/// Checks what `record`, sent with the token of `kiosk`, says about itself.
pub fn read(record: Record, kiosk: &str) -> Result<Read, RecordResult> {
    if uuid::Uuid::parse_str(&record.id).is_err() {
        return Err(refused(&record.id, RejectCode::BadId, "id is not a UUID"));
    }
    let Some(kind) = record.kind() else {
        let why = format!("unknown kind {:?}", record.kind);
        return Err(refused(&record.id, RejectCode::UnknownKind, why));
    };
    if !crate::auth::sha256_hex(record.payload.as_bytes()).eq_ignore_ascii_case(&record.sha256) {
        return Err(refused(
            &record.id,
            RejectCode::HashMismatch,
            "hash mismatch",
        ));
    }
    let payload = match Payload::parse(kind, &record.payload) {
        Ok(p) => p,
        Err(e) => {
            let why = format!("payload is not a {} record: {e}", kind.as_str());
            return Err(refused(&record.id, RejectCode::BadPayload, why));
        }
    };
    if payload.keys().0 != kiosk {
        return Err(refused(
            &record.id,
            RejectCode::KioskMismatch,
            "kiosk mismatch",
        ));
    }
    Ok(Read {
        record,
        kind,
        payload,
    })
}

/// The code of a sealed sign-up the base cannot open. `jobfair-base/1` has no code of its
/// own for it yet: `bad_payload` (the record's `sealed` field is of no use to this base).
pub const CANNOT_UNSEAL: RejectCode = RejectCode::CannotUnseal;

const CANNOT_OPEN: &str = "基地无法打开密封的号码";
const CANNOT_OPEN_EN: &str = "the base cannot open the sealed numbers";

/// Opens the sealed numbers of a sign-up with the base's `keys` (`None`: no key file) and
/// puts them in place of the masked ones; any other record, or a sign-up without
/// `sealed` (a kiosk from before issue 17), is returned as it is. Refused, with a reason
/// in Chinese and English that never holds a number: no key, no box for the base, a box
/// sealed to another key or damaged, a box that is not `{"phone","resident_id"}` JSON
/// ([`CANNOT_UNSEAL`]), and whole numbers that do not match the masks sent
/// ([`RejectCode::Invalid`]).
pub fn unseal(mut read: Read, keys: Option<&BaseSealKeys>) -> Result<Read, RecordResult> {
    let Payload::Registration(r) = &mut read.payload else {
        return Ok(read);
    };
    let Some(sealed) = r.sealed.take() else {
        return Ok(read);
    };
    let id = read.record.id.as_str();
    let mut numbers = open_numbers(sealed, keys).map_err(|why| refused(id, CANNOT_UNSEAL, why))?;
    if masking::phone(&numbers.phone) != r.phone {
        return Err(refused(
            id,
            RejectCode::Invalid,
            "phone: 密封的手机号与记录中打码的手机号不一致 / the sealed phone does not match \
             the masked phone of the record",
        ));
    }
    let id_matches = match (&numbers.resident_id, &r.resident_id) {
        (None, None) => true,
        (Some(whole), Some(masked)) => masking::resident_id(whole) == *masked,
        _ => false,
    };
    if !id_matches {
        return Err(refused(
            id,
            RejectCode::Invalid,
            "resident_id: 密封的身份证号与记录中打码的身份证号不一致 / the sealed resident ID \
             does not match the masked resident ID of the record",
        ));
    }
    r.phone = std::mem::take(&mut numbers.phone);
    r.resident_id = numbers.resident_id.take();
    drop(numbers);
    read.record.payload = serde_json::to_string(r).expect("a sign-up serializes");
    Ok(read)
}

/// The whole numbers in the base's box. Their bytes are overwritten when dropped.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Numbers {
    phone: String,
    #[serde(default)]
    resident_id: Option<String>,
}

impl Drop for Numbers {
    fn drop(&mut self) {
        wipe_string(&mut self.phone);
        if let Some(id) = &mut self.resident_id {
            wipe_string(id);
        }
    }
}

fn open_numbers(sealed: SealedNumbers, keys: Option<&BaseSealKeys>) -> Result<Numbers, String> {
    let Some(keys) = keys else {
        return Err(format!(
            "{CANNOT_OPEN}：本基地没有配置密钥文件 base-seal.key（jobfair-base seal-key init）/ \
             {CANNOT_OPEN_EN}: this base has no sealing key file (base-seal.key, `jobfair-base \
             seal-key init`)"
        ));
    };
    let sealed = SealedBoxes::from(sealed);
    if sealed.base.is_none() {
        return Err(format!(
            "{CANNOT_OPEN}：记录里没有给基地的密封盒（自助机没有基地公钥）/ {CANNOT_OPEN_EN}: \
             the record has no box for the base (the kiosk had no base public key)"
        ));
    }
    let plain = Wiped(keys.open(&sealed).map_err(|_| {
        format!(
            "{CANNOT_OPEN}（密钥不对：不是本基地现在或以前的密钥，或密封数据已损坏）/ \
             {CANNOT_OPEN_EN}: they are sealed to another key than this base's (current or \
             previous), or damaged"
        )
    })?);
    // Not serde's message: it may quote a value.
    serde_json::from_slice(&plain.0).map_err(|_| {
        format!(
            "{CANNOT_OPEN}（内容不是 {{\"phone\",\"resident_id\"}} 格式）/ {CANNOT_OPEN_EN}: \
             the opened box is not {{\"phone\",\"resident_id\"}} JSON"
        )
    })
}

/// Bytes overwritten with zeros when dropped (the opened box).
struct Wiped(Vec<u8>);

impl Drop for Wiped {
    fn drop(&mut self) {
        wipe(&mut self.0);
    }
}

/// Overwrites `bytes` with zeros in a way the compiler does not optimise away.
fn wipe(bytes: &mut [u8]) {
    for b in bytes.iter_mut() {
        // SAFETY: `b` is a valid, aligned, exclusive reference to a byte.
        unsafe { std::ptr::write_volatile(b, 0) };
    }
    std::sync::atomic::compiler_fence(std::sync::atomic::Ordering::SeqCst);
}

fn wipe_string(s: &mut str) {
    // SAFETY: zeros are valid UTF-8, so the string stays a string.
    wipe(unsafe { s.as_bytes_mut() });
}

/// Judges a record that reads well against its fair (`None`: not published here).
pub fn judge(read: Read, fair: Option<&FairRules>) -> Checked {
    let id = read.record.id.as_str();
    let Some(fair) = fair else {
        let why = format!(
            "fair {:?} is not published on this base",
            validate::printable(read.payload.fair_id())
        );
        return Checked::Refused(refused(id, RejectCode::UnknownFair, why));
    };
    if let Err(why) = validate::record(&read.payload, fair) {
        return Checked::Refused(refused(id, RejectCode::Invalid, why));
    }
    let (_, fair_id, registration_id, at) = read.payload.keys();
    let (fair_id, registration_id, at) = (
        fair_id.to_string(),
        registration_id.to_string(),
        at.to_string(),
    );
    let Record {
        id,
        sha256,
        payload,
        ..
    } = read.record;
    Checked::New(NewRecord {
        id,
        kind: read.kind,
        fair_id,
        registration_id,
        at,
        sha256: sha256.to_ascii_lowercase(),
        payload,
    })
}

/// The answer for a new record whose id the store already holds (stored earlier, or
/// earlier in the same request): the same kind and hash is a duplicate (counts as
/// sent, nothing written); anything else is a conflict, kept aside for review while the
/// stored record stays.
pub fn settle(new: &NewRecord, stored: &Stored) -> RecordResult {
    if stored.kind == new.kind.as_str() && crate::store::same(&stored.sha256, &new.sha256) {
        RecordResult::ok(new.id.clone(), RecordStatus::Duplicate)
    } else {
        let why = "id already stored with another payload; kept aside for review";
        RecordResult::refused(
            new.id.clone(),
            RecordStatus::Conflict,
            RejectCode::Conflict,
            why.into(),
        )
    }
}

#[cfg(test)]
#[path = "ingest_tests.rs"]
mod tests;
