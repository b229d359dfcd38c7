//! Blind indexes: HMAC-SHA256 of a phone or resident ID under the keyring's HMAC key, so
//! "is this number registered already?" is an equality test on the index, never on the
//! number. The key is never on the disk in clear; without it an index confirms no guess
//! (a phone has ~10^9 possible values, and an ID far fewer once its birth date is known:
//! an unkeyed hash would be reversed in seconds).

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::fmt;

/// What is being indexed: each kind has its own domain tag, so a phone's index never equals
/// an ID's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlindKind {
    Phone,
    ResidentId,
}

impl BlindKind {
    fn tag(self) -> &'static [u8] {
        match self {
            BlindKind::Phone => b"jobfair-kiosk blind index 1: phone\0",
            BlindKind::ResidentId => b"jobfair-kiosk blind index 1: resident id\0",
        }
    }
}

/// The first 16 bytes of the HMAC (128 bits: no two of a fair's numbers collide by chance),
/// stored as 32 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlindIndex(pub [u8; 16]);

impl BlindIndex {
    pub(super) fn compute(key: &[u8; 32], kind: BlindKind, value: &str) -> BlindIndex {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("any key length");
        mac.update(kind.tag());
        mac.update(value.as_bytes());
        let full = mac.finalize().into_bytes();
        let mut out = [0u8; 16];
        out.copy_from_slice(&full[..16]);
        BlindIndex(out)
    }

    /// 32 lowercase hex digits, as the store keeps it.
    pub fn to_hex(&self) -> String {
        crate::protocol::sealed::to_hex(&self.0)
    }
}

impl fmt::Debug for BlindIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BlindIndex({})", self.to_hex())
    }
}
