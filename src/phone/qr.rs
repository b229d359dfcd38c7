//! QR images for the phone pages: the signed ticket (the same QR the kiosk shows) as an
//! inline PNG the villager can keep with a long press ("save picture"), and any text (the
//! form's URL) as a module matrix.

use crate::domain::ticket;
use image::{ImageEncoder, codecs::png::PngEncoder};

/// Pixels per module of the ticket's PNG (a phone screen shows it ~300 px wide).
const SCALE: usize = 6;
/// White modules around the code.
const QUIET: usize = 4;

/// The ticket's QR as `data:image/png;base64,…`.
pub fn ticket_png_data_uri(ticket_text: &str) -> Option<String> {
    let (width, dark) = ticket::qr_matrix(ticket_text).ok()?;
    Some(data_uri(&png(width, &dark)?))
}

/// The QR of any text (byte mode, error correction M): width and modules, `true` = dark.
pub fn text_matrix(text: &str) -> Option<(usize, Vec<bool>)> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).ok()?;
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    Some((code.width(), dark))
}

/// A grey-scale PNG of a module matrix with a quiet zone.
pub fn png(width: usize, dark: &[bool]) -> Option<Vec<u8>> {
    let side = (width + 2 * QUIET) * SCALE;
    let mut pixels = vec![255u8; side * side];
    for (i, _) in dark.iter().enumerate().filter(|(_, d)| **d) {
        let (x, y) = ((i % width + QUIET) * SCALE, (i / width + QUIET) * SCALE);
        for row in y..y + SCALE {
            pixels[row * side + x..row * side + x + SCALE].fill(0);
        }
    }
    let mut out = Vec::new();
    let side32 = u32::try_from(side).ok()?;
    PngEncoder::new(&mut out)
        .write_image(&pixels, side32, side32, image::ExtendedColorType::L8)
        .ok()?;
    Some(out)
}

fn data_uri(png: &[u8]) -> String {
    format!("data:image/png;base64,{}", base64(png))
}

/// Standard base64 with padding.
pub fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(ABC[((n >> shift) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_examples() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}
