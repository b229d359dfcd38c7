//! Fair kits: what another device of the same fair needs, in one signed JSON file.
//!
//! ```json
//! { "kit": 2,
//!   "body": "{\"role\":\"booth\",\"fair\":{…},\"verifying_key\":\"<64 hex>\",\"card_key\":\"<64 hex>\"}",
//!   "signature": "<128 hex>" }
//! ```
//!
//! `body` is JSON kept as the exact text that was signed: `role`, the fair file, the fair's
//! Ed25519 verifying key and card key, and — in a kiosk kit only — the signing key.
//! `signature` is the fair's Ed25519 signature over `jobfair-kit/2` + NUL + `body`.
//!
//! Who holds what, and why a signature and not a MAC: a registration kiosk holds the
//! signing key, the verifying key and the card key; a booth device (and a booth kit) only
//! the verifying key and the card key; a boarding device (boarding kit) the same as a
//! booth, plus the departures' seat list (`seats` in the body, signed with the rest). A MAC with the card key could be recomputed by
//! every booth device, so a booth could edit a kit and MAC it again. The signature needs
//! the signing key: nobody but a registration kiosk of the fair can change a byte of a
//! kit — its role, its fair file, its keys — or make one. On top, [`read`] checks that a
//! kiosk kit's signing key is the one whose public half is the kit's verifying key (a
//! relabelled booth kit has none), and that a booth kit carries none.
//!
//! What no kit check can do: someone with keys of their own can sign a self-consistent
//! kit for the same fair id. Such a kit is refused on any device that already holds
//! keys of that fair, and [`fingerprint`] (printed by `fair kit`, `fair install` and
//! `fair show`) lets staff compare the fair key on both devices.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::short_code;
use super::ticket::{BoothKeys, FairKeys};

/// The kit format this build writes and reads.
pub const KIT_FORMAT: u32 = 2;
/// What the signature covers before the body (domain separation from tickets).
const CONTEXT: &[u8] = b"jobfair-kit/2\0";

/// Which device a kit sets up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KitRole {
    /// A registration kiosk: issues and reads tickets.
    Kiosk,
    /// A booth-only device: reads tickets, never issues them.
    Booth,
    /// A boarding device at the bus door: reads tickets and checks them against the seat
    /// list the kit carries ([`KitSeat`]); never issues them.
    Boarding,
}

/// A seat, or a place on a waitlist, as a boarding kit carries it: what the bus door
/// checks a ticket against (names are not in it: the ticket shows the name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KitSeat {
    pub departure: String,
    /// The sign-up's UUID.
    pub registration_id: String,
    /// The seat number; `None`: on the departure's waitlist, in `queue` order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seat: Option<u32>,
    pub queue: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employer: Option<String>,
}

/// The keys a kit carries, by role.
#[derive(Debug, Clone)]
pub enum KitKeys {
    Kiosk(FairKeys),
    Booth(BoothKeys),
}

/// A kit whose signature and keys checked out.
#[derive(Debug, Clone)]
pub struct Kit {
    pub role: KitRole,
    /// The fair file, to be checked by [`crate::fair::FairFile::from_json`].
    pub fair: serde_json::Value,
    pub keys: KitKeys,
    /// The seat list of a boarding kit (empty in the others).
    pub seats: Vec<KitSeat>,
}

impl Kit {
    /// What reading tickets needs, whatever the role.
    pub fn verifier(&self) -> BoothKeys {
        match &self.keys {
            KitKeys::Kiosk(k) => k.verifier(),
            KitKeys::Booth(k) => k.clone(),
        }
    }
}

/// Why a kit was refused. `Display` is bilingual and says what to do; nothing of a
/// refused kit is installed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KitError {
    #[error(
        "这不是招聘会配置包，或文件已损坏，未安装 this is not a fair kit, or it is damaged; nothing was installed ({0})"
    )]
    Damaged(String),
    #[error(
        "配置包格式 {0} 没有签名，未安装；请在登记机上用本版本重新生成 kit format {0} is not signed; nothing was installed: write a new kit on the registration kiosk (fair kit) with this version"
    )]
    Unsigned(u32),
    #[error(
        "配置包格式 {0} 由更新的版本生成，未安装；请升级本程序 kit format {0} was written by a newer version; nothing was installed: upgrade this program"
    )]
    Newer(u32),
    #[error(
        "配置包里的{0}无效，未安装 the kit's {0} is not valid; nothing was installed: write a new kit"
    )]
    BadKey(&'static str),
    #[error(
        "配置包在生成后被改动过（签名与招聘会密钥不符），未安装任何内容；请在登记机上重新生成 the kit was changed after it was written (its signature does not match the fair's key); nothing was installed: write a new kit on the registration kiosk"
    )]
    BadSignature,
    #[error(
        "这个配置包标为登记机，但没有本场招聘会的签名密钥（可能是改了标签的摊位配置包），未安装 this kit says \"kiosk\" but holds no signing key of this fair (a relabelled booth kit?); nothing was installed"
    )]
    KioskWithoutSigningKey,
    #[error(
        "登记机配置包的签名密钥不属于本场招聘会的公钥，未安装 the kiosk kit's signing key does not belong to the fair's public key; nothing was installed"
    )]
    SigningKeyMismatch,
    #[error(
        "摊位配置包不能带签名密钥，未安装 a booth kit must not carry the signing key; nothing was installed"
    )]
    BoothWithSigningKey,
    #[error(
        "检票配置包不能带签名密钥，未安装 a boarding kit must not carry the signing key; nothing was installed"
    )]
    BoardingWithSigningKey,
}

/// Just the format number, read first: format 1 (unsigned) had other fields.
#[derive(Deserialize)]
struct Format {
    kit: u32,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope {
    kit: u32,
    body: String,
    signature: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Body {
    role: KitRole,
    fair: serde_json::Value,
    verifying_key: String,
    card_key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    signing_key: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    seats: Vec<KitSeat>,
}

/// The kit text for `role`, signed with the fair's `keys` (only a device holding the
/// signing key can write one). A booth kit leaves the signing key out.
pub fn write(role: KitRole, fair: serde_json::Value, keys: &FairKeys) -> String {
    write_with_seats(role, fair, Vec::new(), keys)
}

/// [`write`] with a seat list (a boarding kit's; signed with the rest). Only a kiosk kit
/// carries the signing key.
pub fn write_with_seats(
    role: KitRole,
    fair: serde_json::Value,
    seats: Vec<KitSeat>,
    keys: &FairKeys,
) -> String {
    let fair_bytes = keys.to_bytes();
    let booth_bytes = keys.verifier().to_bytes();
    let body = Body {
        role,
        fair,
        verifying_key: hex(&booth_bytes[..32]),
        card_key: hex(&booth_bytes[32..]),
        signing_key: (role == KitRole::Kiosk).then(|| hex(&fair_bytes[..32])),
        seats,
    };
    let body = serde_json::to_string(&body).expect("a kit body serializes");
    let signature = keys.sign(&signed_message(&body));
    let envelope = Envelope {
        kit: KIT_FORMAT,
        signature: hex(&signature),
        body,
    };
    serde_json::to_string_pretty(&envelope).expect("a kit serializes")
}

/// Reads a kit: format, signature over the body, then the role's keys. The fair file
/// inside is the caller's to check.
pub fn read(text: &str) -> Result<Kit, KitError> {
    let damaged = |e: serde_json::Error| KitError::Damaged(e.to_string());
    match serde_json::from_str::<Format>(text).map_err(damaged)?.kit {
        KIT_FORMAT => {}
        n if n < KIT_FORMAT => return Err(KitError::Unsigned(n)),
        n => return Err(KitError::Newer(n)),
    }
    let envelope: Envelope = serde_json::from_str(text).map_err(damaged)?;
    let (body_text, signature) = (envelope.body, envelope.signature);
    let body: Body =
        serde_json::from_str(&body_text).map_err(|e| KitError::Damaged(e.to_string()))?;
    let verifying = unhex::<32>(&body.verifying_key).ok_or(KitError::BadKey("verifying key"))?;
    let card = unhex::<32>(&body.card_key).ok_or(KitError::BadKey("card key"))?;
    let booth = BoothKeys::from_bytes(&join(&verifying, &card))
        .map_err(|_| KitError::BadKey("verifying key"))?;
    let signature = unhex::<64>(&signature).ok_or(KitError::BadSignature)?;
    if !booth.verify(&signed_message(&body_text), &signature) {
        return Err(KitError::BadSignature);
    }
    let keys = match (body.role, body.signing_key) {
        (KitRole::Kiosk, None) => return Err(KitError::KioskWithoutSigningKey),
        (KitRole::Kiosk, Some(seed)) => {
            let seed = unhex::<32>(&seed).ok_or(KitError::BadKey("signing key"))?;
            let fair = FairKeys::from_bytes(&join(&seed, &card));
            if fair.verifier() != booth {
                return Err(KitError::SigningKeyMismatch);
            }
            KitKeys::Kiosk(fair)
        }
        (KitRole::Booth, Some(_)) => return Err(KitError::BoothWithSigningKey),
        (KitRole::Booth, None) => KitKeys::Booth(booth),
        (KitRole::Boarding, Some(_)) => return Err(KitError::BoardingWithSigningKey),
        (KitRole::Boarding, None) => KitKeys::Booth(booth),
    };
    Ok(Kit {
        role: body.role,
        fair: body.fair,
        keys,
        seats: body.seats,
    })
}

/// A short fingerprint of the fair's verifying key (`K7MX-4QPD`: 8 characters of
/// the short-code alphabet): the same on every device of the fair, different for other
/// keys. Staff compare it between `fair kit` and `fair install`.
pub fn fingerprint(keys: &BoothKeys) -> String {
    let digest = Sha256::digest(&keys.to_bytes()[..32]);
    let mut first = [0u8; 16];
    first.copy_from_slice(&digest[..16]);
    short_code::format(&short_code::from_random(&first))
}

fn signed_message(body: &str) -> Vec<u8> {
    [CONTEXT, body.as_bytes()].concat()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Exactly `2 × N` hex digits (no signs, no spaces) as `N` bytes.
fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
    let text = text.as_bytes();
    if text.len() != 2 * N || !text.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let mut out = [0u8; N];
    for (byte, pair) in out.iter_mut().zip(text.chunks_exact(2)) {
        *byte = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    Some(out)
}

fn join(a: &[u8; 32], b: &[u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    out[..32].copy_from_slice(a);
    out[32..].copy_from_slice(b);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys whose signing half differs from their card key.
    fn keys(seed: u8) -> FairKeys {
        FairKeys::generate(&std::array::from_fn(|i| seed.wrapping_mul(97) ^ i as u8))
    }

    fn fair() -> serde_json::Value {
        serde_json::json!({ "fair": { "id": "test-fair" } })
    }

    /// The body of a kit as JSON, changed by `edit`, signed again with `signer` (or the
    /// old signature kept when `None`).
    fn edited(
        text: &str,
        edit: impl FnOnce(&mut serde_json::Value),
        signer: Option<&FairKeys>,
    ) -> String {
        let mut envelope: serde_json::Value = serde_json::from_str(text).unwrap();
        let mut body: serde_json::Value =
            serde_json::from_str(envelope["body"].as_str().unwrap()).unwrap();
        edit(&mut body);
        let body = body.to_string();
        if let Some(k) = signer {
            envelope["signature"] = hex(&k.sign(&signed_message(&body))).into();
        }
        envelope["body"] = body.into();
        envelope.to_string()
    }

    #[test]
    fn kits_read_back_with_their_role_fair_and_keys() {
        let k = keys(1);
        let kiosk = read(&write(KitRole::Kiosk, fair(), &k)).unwrap();
        assert_eq!(kiosk.role, KitRole::Kiosk);
        assert_eq!(kiosk.fair, fair());
        assert!(matches!(&kiosk.keys, KitKeys::Kiosk(f) if f.to_bytes() == k.to_bytes()));
        let booth_text = write(KitRole::Booth, fair(), &k);
        assert!(
            !booth_text.contains(&hex(&k.to_bytes()[..32])),
            "no signing key"
        );
        let booth = read(&booth_text).unwrap();
        assert!(matches!(&booth.keys, KitKeys::Booth(b) if *b == k.verifier()));
        assert_eq!(fingerprint(&booth.verifier()), fingerprint(&k.verifier()));
        assert_ne!(fingerprint(&k.verifier()), fingerprint(&keys(2).verifier()));
    }

    #[test]
    fn a_relabelled_or_edited_kit_is_refused() {
        let k = keys(1);
        let booth = write(KitRole::Booth, fair(), &k);
        let relabelled = edited(&booth, |b| b["role"] = "kiosk".into(), None);
        assert_eq!(read(&relabelled).unwrap_err(), KitError::BadSignature);
        let refaired = edited(&booth, |b| b["fair"]["fair"]["id"] = "other".into(), None);
        assert_eq!(read(&refaired).unwrap_err(), KitError::BadSignature);
        // Whoever holds a booth kit has no signing key to sign the edit again; with the
        // right one, the role still needs the key that goes with it.
        let signed = edited(&booth, |b| b["role"] = "kiosk".into(), Some(&k));
        assert_eq!(read(&signed).unwrap_err(), KitError::KioskWithoutSigningKey);
        let other_seed = hex(&keys(2).to_bytes()[..32]);
        let mismatched = edited(
            &booth,
            |b| {
                b["role"] = "kiosk".into();
                b["signing_key"] = other_seed.into();
            },
            Some(&k),
        );
        assert_eq!(read(&mismatched).unwrap_err(), KitError::SigningKeyMismatch);
        let kiosk = write(KitRole::Kiosk, fair(), &k);
        let booth_with_key = edited(&kiosk, |b| b["role"] = "booth".into(), Some(&k));
        assert_eq!(
            read(&booth_with_key).unwrap_err(),
            KitError::BoothWithSigningKey
        );
    }

    #[test]
    fn a_boarding_kit_carries_its_seat_list_signed_and_no_signing_key() {
        let k = keys(1);
        let seats = vec![
            KitSeat {
                departure: "bus-1".into(),
                registration_id: "0190d7a0-0000-7000-8000-000000000001".into(),
                seat: Some(1),
                queue: 1,
                employer: Some("baichuan".into()),
            },
            KitSeat {
                departure: "bus-1".into(),
                registration_id: "0190d7a0-0000-7000-8000-000000000002".into(),
                seat: None,
                queue: 2,
                employer: None,
            },
        ];
        let text = write_with_seats(KitRole::Boarding, fair(), seats.clone(), &k);
        assert!(!text.contains(&hex(&k.to_bytes()[..32])), "no signing key");
        let kit = read(&text).unwrap();
        assert_eq!(kit.role, KitRole::Boarding);
        assert!(matches!(&kit.keys, KitKeys::Booth(b) if *b == k.verifier()));
        assert_eq!(kit.seats, seats);
        // A seat given in the file after signing breaks the signature.
        let moved = edited(&text, |b| b["seats"][1]["seat"] = 2.into(), None);
        assert_eq!(read(&moved).unwrap_err(), KitError::BadSignature);
        // Relabelled with a signing key (even by someone holding it): refused.
        let kiosk = write(KitRole::Kiosk, fair(), &k);
        let boarding_with_key = edited(&kiosk, |b| b["role"] = "boarding".into(), Some(&k));
        assert_eq!(
            read(&boarding_with_key).unwrap_err(),
            KitError::BoardingWithSigningKey
        );
        // A booth or kiosk kit is written exactly as before (no seats field).
        assert!(!write(KitRole::Booth, fair(), &k).contains("seats"));
    }

    #[test]
    fn old_unsigned_and_newer_kits_say_what_to_do() {
        let old = r#"{"kit": 1, "role": "kiosk", "fair": {}, "keys": "00"}"#;
        assert_eq!(read(old).unwrap_err(), KitError::Unsigned(1));
        assert!(
            read(old)
                .unwrap_err()
                .to_string()
                .contains("write a new kit")
        );
        assert_eq!(read(r#"{"kit": 3}"#).unwrap_err(), KitError::Newer(3));
        assert!(matches!(read("not json"), Err(KitError::Damaged(_))));
        assert!(matches!(read(r#"{"kit": 2}"#), Err(KitError::Damaged(_))));
    }
}
