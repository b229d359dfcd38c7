//! The ticket page: the QR code drawn from the ticket text, the short code, the openings.

use super::openings_adapter::card;
use super::{AppState, Ctx, Page, TicketAdapter};
use crate::app::Issued;
use crate::domain::short_code;
use crate::domain::ticket;
use slint::{ComponentHandle, Image, ModelRc, Rgb8Pixel, SharedPixelBuffer, VecModel};
use std::rc::Rc;

/// Side of the drawn QR image in pixels (shown 1:1 on the ticket page).
pub const QR_PIXELS: u32 = 480;
/// White modules around the code, as the QR standard asks.
const QUIET_ZONE: usize = 4;

/// Draws `text` as a QR code (EC level M) on a white square of `QR_PIXELS`, whole pixels per module.
pub fn qr_image(text: &str) -> Result<SharedPixelBuffer<Rgb8Pixel>, ticket::TicketError> {
    let (width, dark) = ticket::qr_matrix(text)?;
    let modules = width + 2 * QUIET_ZONE;
    let scale = (QR_PIXELS as usize / modules).max(1);
    let side = QR_PIXELS as usize;
    let offset = (side - modules * scale) / 2 + QUIET_ZONE * scale;
    let mut buffer = SharedPixelBuffer::<Rgb8Pixel>::new(QR_PIXELS, QR_PIXELS);
    let pixels = buffer.make_mut_slice();
    pixels.fill(Rgb8Pixel {
        r: 255,
        g: 255,
        b: 255,
    });
    for (i, _) in dark.iter().enumerate().filter(|(_, d)| **d) {
        let (mx, my) = (i % width, i / width);
        for y in 0..scale {
            let row = (offset + my * scale + y) * side;
            let start = row + offset + mx * scale;
            pixels[start..start + scale].fill(Rgb8Pixel { r: 0, g: 0, b: 0 });
        }
    }
    Ok(buffer)
}

pub(crate) fn show(ctx: &Ctx, issued: &Issued, name: &str, openings: &[u16]) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let t = window.global::<TicketAdapter>();
    match qr_image(&issued.ticket) {
        Ok(buffer) => t.set_qr(Image::from_rgb8(buffer)),
        Err(e) => eprintln!("drawing the ticket's QR code failed: {e}"),
    }
    let en = ctx.lang_en();
    let kiosk = ctx.kiosk.borrow();
    let fair = kiosk.fair();
    let cards: Vec<_> = openings
        .iter()
        .filter_map(|id| fair.opening(*id))
        .map(|o| card(fair, o, en, true))
        .collect();
    t.set_openings(ModelRc::new(VecModel::from(cards)));
    t.set_code(short_code::format(&issued.short_code).into());
    t.set_name(name.into());
    t.set_updated(!issued.created);
    window.global::<AppState>().set_page(Page::Ticket);
}

pub(crate) fn clear(window: &super::AppWindow) {
    let t = window.global::<TicketAdapter>();
    t.set_qr(Image::default());
    t.set_code(Default::default());
    t.set_name(Default::default());
    t.set_openings(ModelRc::default());
}

pub(crate) fn connect(ctx: &Rc<Ctx>) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let ctx = ctx.clone();
    window
        .global::<TicketAdapter>()
        .on_done(move || super::reset(&ctx));
}
