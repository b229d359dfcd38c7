//! Drawing a ticket as a QR code: alphanumeric mode, error correction M.

use qrcode::bits::Bits;
use qrcode::{Color, EcLevel, QrCode, Version};

use super::{Result, TicketError};

const QR_ALPHANUMERIC: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// The smallest QR encoding of `text` in alphanumeric mode at error correction M.
fn qr_bits(text: &str) -> Result<Bits> {
    if !text.bytes().all(|b| QR_ALPHANUMERIC.contains(&b)) {
        return Err(TicketError::NotATicket);
    }
    for version in 1..=40 {
        let mut bits = Bits::new(Version::Normal(version));
        if bits.push_alphanumeric_data(text.as_bytes()).is_ok()
            && bits.push_terminator(EcLevel::M).is_ok()
        {
            return Ok(bits);
        }
    }
    Err(TicketError::QrTooLarge)
}

/// The QR version (1 to 40) that [`qr_matrix`] uses for `text`, or `None` if it cannot.
pub fn qr_version(text: &str) -> Option<u8> {
    match qr_bits(text).ok()?.version() {
        Version::Normal(v) => u8::try_from(v).ok(),
        Version::Micro(_) => None,
    }
}

/// The QR code of `text` (alphanumeric mode, error correction M, smallest version):
/// its width in modules and the modules row by row, `true` = dark. No quiet zone.
/// Text outside the QR alphanumeric set gives [`TicketError::NotATicket`].
pub fn qr_matrix(text: &str) -> Result<(usize, Vec<bool>)> {
    let code =
        QrCode::with_bits(qr_bits(text)?, EcLevel::M).map_err(|_| TicketError::QrTooLarge)?;
    Ok((
        code.width(),
        code.to_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect(),
    ))
}
