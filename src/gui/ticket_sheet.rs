//! `lists tickets`: printable A4 pages of pre-issued list tickets.
//!
//! Each page is drawn off screen by Slint's software renderer (a headless platform
//! with a [`MinimalSoftwareWindow`]), so the bundled CJK font draws the names exactly
//! as on the kiosk; the RGB rasters are wrapped in a minimal PDF, one page per raster
//! (an /Image XObject, FlateDecode). Call [`render_pages`] once per process, on a
//! thread with no other Slint platform (the command line, not the kiosk).

use super::{SheetTicket, TicketSheet, ticket_adapter::qr_image};
use slint::platform::software_renderer::{MinimalSoftwareWindow, RepaintBufferType};
use slint::platform::{Platform, WindowAdapter};
use slint::{
    ComponentHandle, Image, ModelRc, PhysicalSize, Rgb8Pixel, SharedPixelBuffer, VecModel,
};
use std::io::Write;
use std::rc::Rc;

/// Tickets on one page (3 across, 4 down).
pub const PER_PAGE: usize = 12;
/// Page raster: A4 at 150 dots per inch.
pub const PAGE_WIDTH: u32 = 1240;
pub const PAGE_HEIGHT: u32 = 1754;
/// A4 in PDF points.
const A4_POINTS: (f32, f32) = (595.28, 841.89);

/// One ticket of the sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetEntry {
    pub name: String,
    /// County, township and village as one line.
    pub place: String,
    /// The bare 8-character code (printed as `ABCD-EFGH`).
    pub code: String,
    /// The QR text (`JKL1:<code>`).
    pub qr: String,
}

struct Headless(Rc<MinimalSoftwareWindow>);

impl Platform for Headless {
    fn create_window_adapter(&self) -> Result<Rc<dyn WindowAdapter>, slint::PlatformError> {
        Ok(self.0.clone())
    }
}

/// Draws the tickets, [`PER_PAGE`] a page, into RGB rasters of
/// [`PAGE_WIDTH`] × [`PAGE_HEIGHT`]. `footer(page, pages)` is printed at the bottom.
pub fn render_pages(
    entries: &[SheetEntry],
    footer: impl Fn(usize, usize) -> String,
) -> anyhow::Result<Vec<SharedPixelBuffer<Rgb8Pixel>>> {
    let window = MinimalSoftwareWindow::new(RepaintBufferType::NewBuffer);
    slint::platform::set_platform(Box::new(Headless(window.clone())))
        .map_err(|e| anyhow::anyhow!("the off-screen renderer cannot start: {e}"))?;
    let sheet = TicketSheet::new()?;
    window.set_size(PhysicalSize::new(PAGE_WIDTH, PAGE_HEIGHT));
    sheet.show()?;
    let pages = entries.len().div_ceil(PER_PAGE);
    let mut rasters = Vec::with_capacity(pages);
    for (i, chunk) in entries.chunks(PER_PAGE).enumerate() {
        let mut tickets = Vec::with_capacity(chunk.len());
        for e in chunk {
            let qr = qr_image(&e.qr).map_err(|err| anyhow::anyhow!("QR of {}: {err}", e.code))?;
            tickets.push(SheetTicket {
                name: e.name.as_str().into(),
                place: e.place.as_str().into(),
                code: crate::domain::short_code::format(&e.code).into(),
                qr: Image::from_rgb8(qr),
            });
        }
        sheet.set_tickets(ModelRc::new(VecModel::from(tickets)));
        sheet.set_footer(footer(i + 1, pages).into());
        slint::platform::update_timers_and_animations();
        window.request_redraw();
        let mut raster = SharedPixelBuffer::<Rgb8Pixel>::new(PAGE_WIDTH, PAGE_HEIGHT);
        let drawn = window.draw_if_needed(|renderer| {
            renderer.render(raster.make_mut_slice(), PAGE_WIDTH as usize);
        });
        anyhow::ensure!(drawn, "page {} was not drawn", i + 1);
        rasters.push(raster);
    }
    sheet.hide()?;
    Ok(rasters)
}

/// A PDF with one A4 page per raster, each raster filling its page.
pub fn pdf_of(pages: &[SharedPixelBuffer<Rgb8Pixel>]) -> std::io::Result<Vec<u8>> {
    let mut pdf = Pdf::default();
    pdf.out.extend_from_slice(b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n");
    // Objects: 1 catalog, 2 page tree, then per page: page, contents, image.
    let page_ids: Vec<usize> = (0..pages.len()).map(|i| 3 + 3 * i).collect();
    pdf.object(1, b"<< /Type /Catalog /Pages 2 0 R >>");
    let kids: Vec<String> = page_ids.iter().map(|id| format!("{id} 0 R")).collect();
    pdf.object(
        2,
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        )
        .as_bytes(),
    );
    let (w, h) = A4_POINTS;
    for (page, id) in pages.iter().zip(&page_ids) {
        pdf.object(
            *id,
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w} {h}] \
                 /Resources << /XObject << /Im0 {} 0 R >> >> /Contents {} 0 R >>",
                id + 2,
                id + 1
            )
            .as_bytes(),
        );
        let content = format!("q {w} 0 0 {h} 0 0 cm /Im0 Do Q\n");
        pdf.stream(id + 1, "", content.as_bytes());
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(page.as_bytes())?;
        let data = z.finish()?;
        let dict = format!(
            "/Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace /DeviceRGB \
             /BitsPerComponent 8 /Filter /FlateDecode ",
            page.width(),
            page.height()
        );
        pdf.stream(id + 2, &dict, &data);
    }
    Ok(pdf.finish())
}

#[derive(Default)]
struct Pdf {
    out: Vec<u8>,
    /// Byte offset of each object, by object number - 1.
    offsets: Vec<(usize, usize)>,
}

impl Pdf {
    fn object(&mut self, id: usize, body: &[u8]) {
        self.offsets.push((id, self.out.len()));
        self.out
            .extend_from_slice(format!("{id} 0 obj\n").as_bytes());
        self.out.extend_from_slice(body);
        self.out.extend_from_slice(b"\nendobj\n");
    }

    fn stream(&mut self, id: usize, dict: &str, data: &[u8]) {
        let mut body = format!("<< {dict}/Length {} >>\nstream\n", data.len()).into_bytes();
        body.extend_from_slice(data);
        body.extend_from_slice(b"\nendstream");
        self.object(id, &body);
    }

    fn finish(mut self) -> Vec<u8> {
        self.offsets.sort();
        let xref = self.out.len();
        let count = self.offsets.len() + 1;
        let mut table = format!("xref\n0 {count}\n0000000000 65535 f \n");
        for (_, offset) in &self.offsets {
            table.push_str(&format!("{offset:010} 00000 n \n"));
        }
        table.push_str(&format!(
            "trailer\n<< /Size {count} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
        ));
        self.out.extend_from_slice(table.as_bytes());
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_has_one_page_object_per_raster_and_a_valid_xref() {
        let page = SharedPixelBuffer::<Rgb8Pixel>::new(4, 4);
        let pdf = pdf_of(&[page.clone(), page]).unwrap();
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.starts_with("%PDF-1.4"));
        assert_eq!(text.matches("/Type /Page ").count(), 2);
        assert!(text.contains("/Count 2"));
        let start: usize = text
            .rsplit("startxref\n")
            .next()
            .and_then(|s| s.lines().next())
            .and_then(|s| s.parse().ok())
            .unwrap();
        assert!(pdf[start..].starts_with(b"xref\n0 9\n"));
        // Byte offsets (the lossy text shifts them after the binary header comment).
        let first = pdf.windows(7).position(|w| w == b"1 0 obj").unwrap();
        assert!(text.contains(&format!("{first:010} 00000 n")));
    }
}
