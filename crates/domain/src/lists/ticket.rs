//! The pre-printed list ticket: a QR code holding `JKL1:` and the person's 8-character
//! code (alphabet of [`crate::short_code`]), e.g. `JKL1:K7MX4QPD`. Everything is
//! in the QR alphanumeric set, so a keyboard-wedge scanner types it like the kiosk's
//! own tickets (`JK1…`). It carries nothing personal: the kiosk looks the code up in
//! its store. The printed text under the QR shows the code as `K7MX-4QPD`.

use crate::short_code;

/// What a list ticket's QR text starts with.
pub const QR_PREFIX: &str = "JKL1:";

/// The QR text of a list ticket with this code.
pub fn qr_text(code: &str) -> String {
    format!("{QR_PREFIX}{code}")
}

/// The code of a scanned list ticket, or `None` when `text` is not one.
/// Case and surrounding whitespace (a scanner's Enter) do not matter.
pub fn parse_qr(text: &str) -> Option<String> {
    let text = text.trim();
    let head = text.get(..QR_PREFIX.len())?;
    if !head.eq_ignore_ascii_case(QR_PREFIX) {
        return None;
    }
    short_code::parse(&text[QR_PREFIX.len()..]).ok()
}
