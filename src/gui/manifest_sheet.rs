//! `transport manifest --format pdf`: the passenger lists (乘车名单) of departures as
//! printable A4 pages, [`PER_PAGE`] passengers a page, each departure from a new page.
//!
//! As the ticket sheet ([`super::ticket_sheet`]), every page is drawn off screen by Slint's
//! software renderer (so the bundled CJK font draws the names as on the kiosk) and wrapped
//! as an image in a minimal PDF. Unlike it, pages are not kept: each is drawn, turned to
//! grey, compressed and written to the hidden partial file at once, so the 800-odd pages
//! of a whole campaign (585 departures) need the memory of one page. The file is 0600 and
//! appears under its name only when complete ([`AtomicFile`]). Call [`write_pdf`] once per
//! process, on a thread with no other Slint platform (the command line, not the kiosk).

use super::{ManifestLine, ManifestSheet};
use crate::app::transport::{ManifestPart, ManifestRow};
use crate::domain::fair::{Departure, DepartureKind};
use crate::export;
use crate::store::files::{AtomicFile, IfExists, WriteError};
use slint::platform::software_renderer::{MinimalSoftwareWindow, RepaintBufferType};
use slint::platform::{Platform, WindowAdapter};
use slint::{ComponentHandle, ModelRc, PhysicalSize, Rgb8Pixel, SharedPixelBuffer, VecModel};
use std::io::Write;
use std::path::Path;
use std::rc::Rc;

/// Passengers on one page.
pub const PER_PAGE: usize = 26;
/// Page raster: A4 at 150 dots per inch.
pub const PAGE_WIDTH: u32 = 1240;
pub const PAGE_HEIGHT: u32 = 1754;
/// A4 in PDF points.
const A4_POINTS: (f32, f32) = (595.28, 841.89);

pub(crate) struct Headless(pub(crate) Rc<MinimalSoftwareWindow>);

impl Platform for Headless {
    fn create_window_adapter(&self) -> Result<Rc<dyn WindowAdapter>, slint::PlatformError> {
        Ok(self.0.clone())
    }
}

/// The pages of a part: at least one (an empty departure still gets its header and
/// signature line, so the driver has a list to sign).
pub fn pages_of(part: &ManifestPart<'_>) -> usize {
    part.rows.len().div_ceil(PER_PAGE).max(1)
}

fn kind(k: DepartureKind) -> &'static str {
    match k {
        DepartureKind::Bus => "大巴 Bus",
        DepartureKind::Train => "火车 Train",
    }
}

/// `zh (en)` when an English name is given and differs.
fn both(zh: &str, en: Option<&str>) -> String {
    match en {
        Some(en) if !en.is_empty() && en != zh => format!("{zh} ({en})"),
        _ => zh.to_string(),
    }
}

fn line(r: &ManifestRow, pickup: &str) -> ManifestLine {
    ManifestLine {
        seat: r.seat.to_string().into(),
        name: r.name.as_str().into(),
        phone: r.phone.as_str().into(),
        resident_id: r.resident_id.as_deref().unwrap_or("—").into(),
        township: r.township.as_str().into(),
        pickup: pickup.into(),
        employer: r.employer.as_str().into(),
    }
}

/// Fills the sheet with page `page` (0-based) of `part`.
fn set_page(
    sheet: &ManifestSheet,
    part: &ManifestPart<'_>,
    page: usize,
    masked: bool,
    footer: &str,
) {
    let d: &Departure = part.departure;
    sheet.set_heading(format!("乘车名单 Passenger list · {} {}", kind(d.kind), d.id).into());
    sheet.set_departs(
        format!(
            "发车时间 Departs: {}",
            d.departs_at.format("%Y-%m-%d %H:%M")
        )
        .into(),
    );
    sheet.set_seats(format!("已排座位 Seated: {} / {}", part.rows.len(), d.seats).into());
    sheet.set_pickup(format!("上车点 Pickup: {}", both(&d.pickup, d.pickup_en.as_deref())).into());
    sheet.set_destination(
        format!(
            "目的地 Destination: {}",
            both(&d.destination, d.destination_en.as_deref())
        )
        .into(),
    );
    sheet.set_vehicle(
        format!(
            "车牌/车次 Plate / train: {}",
            d.vehicle.as_deref().unwrap_or("—")
        )
        .into(),
    );
    sheet.set_contact(format!("联系人 Contact: {} {}", d.contact, d.contact_phone).into());
    sheet.set_unmasked(!masked);
    sheet.set_masking(
        if masked {
            "身份证号、手机号已遮蔽 ID numbers and phones are masked"
        } else {
            "完整身份证号和手机号 — 已记录审计，用后销毁 Full ID numbers and phones — audited; destroy after use"
        }
        .into(),
    );
    let lines: Vec<ManifestLine> = part
        .rows
        .iter()
        .skip(page * PER_PAGE)
        .take(PER_PAGE)
        .map(|r| line(r, &d.pickup))
        .collect();
    sheet.set_lines(ModelRc::new(VecModel::from(lines)));
    sheet.set_footer(footer.into());
}

/// The footer of every manifest page: page of pages, fair, departure, when printed.
pub fn footer(fair_id: &str) -> impl Fn(usize, usize, &str) -> String + Sync + use<> {
    let fair = fair_id.to_string();
    let printed = chrono::Local::now().format("%Y-%m-%d %H:%M").to_string();
    move |page, pages, departure| {
        format!(
            "第 {page} / {pages} 页  page {page} of {pages}  ·  {fair}  ·  {departure}  ·  打印 printed {printed}"
        )
    }
}

/// [`write_pdf`] from a thread that already runs a Slint platform (the kiosk's window):
/// the pages are drawn on a thread of their own, with its own off-screen platform (Slint's
/// platform is per thread), while this one waits. Returns the bytes written.
pub fn write_pdf_on_own_thread(
    parts: &[ManifestPart<'_>],
    masked: bool,
    out: &Path,
    footer: &(dyn Fn(usize, usize, &str) -> String + Sync),
) -> export::Result<u64> {
    std::thread::scope(|s| {
        s.spawn(|| write_pdf(parts, masked, out, footer))
            .join()
            .unwrap_or_else(|_| {
                Err(export::Error::Source(
                    "the page renderer stopped".to_string().into(),
                ))
            })
    })
}

/// Draws every page of `parts` and writes them as one PDF to `out` (atomically, 0600;
/// an existing file is refused). `footer(page, pages, departure)` is printed at the
/// bottom of each page (numbers count over the whole file). Returns the bytes written.
pub fn write_pdf(
    parts: &[ManifestPart<'_>],
    masked: bool,
    out: &Path,
    footer: &dyn Fn(usize, usize, &str) -> String,
) -> export::Result<u64> {
    let source = |e: String| export::Error::Source(e.into());
    let mut file = AtomicFile::create(out, IfExists::Refuse)?;
    let window = MinimalSoftwareWindow::new(RepaintBufferType::NewBuffer);
    slint::platform::set_platform(Box::new(Headless(window.clone())))
        .map_err(|e| source(format!("the off-screen renderer cannot start: {e}")))?;
    let sheet = ManifestSheet::new().map_err(|e| source(e.to_string()))?;
    window.set_size(PhysicalSize::new(PAGE_WIDTH, PAGE_HEIGHT));
    sheet.show().map_err(|e| source(e.to_string()))?;
    let pages: usize = parts.iter().map(pages_of).sum();
    let mut pdf = PdfStream::new(pages);
    let write = |file: &mut AtomicFile, bytes: &[u8]| -> Result<(), WriteError> {
        file.writer().write_all(bytes).map_err(|e| file.error(e))
    };
    write(&mut file, &pdf.start())?;
    let mut raster = SharedPixelBuffer::<Rgb8Pixel>::new(PAGE_WIDTH, PAGE_HEIGHT);
    let mut n = 0;
    for part in parts {
        for page in 0..pages_of(part) {
            n += 1;
            set_page(
                &sheet,
                part,
                page,
                masked,
                &footer(n, pages, &part.departure.id),
            );
            slint::platform::update_timers_and_animations();
            window.request_redraw();
            let drawn = window.draw_if_needed(|renderer| {
                renderer.render(raster.make_mut_slice(), PAGE_WIDTH as usize);
            });
            if !drawn {
                return Err(source(format!("page {n} was not drawn")));
            }
            let bytes = pdf
                .page(&raster)
                .map_err(|e| export::Error::File(file.error(e)))?;
            write(&mut file, &bytes)?;
        }
    }
    let _ = sheet.hide();
    write(&mut file, &pdf.finish())?;
    Ok(file.finish()?.bytes)
}

/// A PDF written front to back: objects 1 (catalog) and 2 (page tree, written last),
/// then per page a page, its contents and its image (DeviceGray, FlateDecode). Also the
/// phone form's poster ([`super::poster_sheet`]).
pub(crate) struct PdfStream {
    offset: usize,
    /// Byte offset of each object, by object number - 1.
    offsets: Vec<usize>,
    pages: usize,
    /// Pages written so far.
    done: usize,
}

impl PdfStream {
    pub(crate) fn new(pages: usize) -> PdfStream {
        PdfStream {
            offset: 0,
            offsets: vec![0; 2 + 3 * pages],
            pages,
            done: 0,
        }
    }

    fn object(&mut self, out: &mut Vec<u8>, id: usize, body: &[u8]) {
        self.offsets[id - 1] = self.offset + out.len();
        out.extend_from_slice(format!("{id} 0 obj\n").as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }

    fn stream(&mut self, out: &mut Vec<u8>, id: usize, dict: &str, data: &[u8]) {
        let mut body = format!("<< {dict}/Length {} >>\nstream\n", data.len()).into_bytes();
        body.extend_from_slice(data);
        body.extend_from_slice(b"\nendstream");
        self.object(out, id, &body);
    }

    fn emit(&mut self, out: Vec<u8>) -> Vec<u8> {
        self.offset += out.len();
        out
    }

    pub(crate) fn start(&mut self) -> Vec<u8> {
        let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
        self.object(&mut out, 1, b"<< /Type /Catalog /Pages 2 0 R >>");
        self.emit(out)
    }

    fn page_id(i: usize) -> usize {
        3 + 3 * i
    }

    /// The next page, from an RGB raster (turned to grey: the list is black on white).
    pub(crate) fn page(
        &mut self,
        raster: &SharedPixelBuffer<Rgb8Pixel>,
    ) -> std::io::Result<Vec<u8>> {
        let id = Self::page_id(self.done);
        self.done += 1;
        let (w, h) = A4_POINTS;
        let mut out = Vec::new();
        self.object(
            &mut out,
            id,
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w} {h}] \
                 /Resources << /XObject << /Im0 {} 0 R >> >> /Contents {} 0 R >>",
                id + 2,
                id + 1
            )
            .as_bytes(),
        );
        let content = format!("q {w} 0 0 {h} 0 0 cm /Im0 Do Q\n");
        self.stream(&mut out, id + 1, "", content.as_bytes());
        let grey: Vec<u8> = raster
            .as_slice()
            .iter()
            .map(|p| {
                ((u32::from(p.r) * 299 + u32::from(p.g) * 587 + u32::from(p.b) * 114) / 1000) as u8
            })
            .collect();
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(&grey)?;
        let data = z.finish()?;
        let dict = format!(
            "/Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace /DeviceGray \
             /BitsPerComponent 8 /Filter /FlateDecode ",
            raster.width(),
            raster.height()
        );
        self.stream(&mut out, id + 2, &dict, &data);
        Ok(self.emit(out))
    }

    pub(crate) fn finish(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let kids: Vec<String> = (0..self.pages)
            .map(|i| format!("{} 0 R", Self::page_id(i)))
            .collect();
        let tree = format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            self.pages
        );
        self.object(&mut out, 2, tree.as_bytes());
        let xref = self.offset + out.len();
        let count = self.offsets.len() + 1;
        let mut table = format!("xref\n0 {count}\n0000000000 65535 f \n");
        for offset in &self.offsets {
            table.push_str(&format!("{offset:010} 00000 n \n"));
        }
        table.push_str(&format!(
            "trailer\n<< /Size {count} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
        ));
        out.extend_from_slice(table.as_bytes());
        self.emit(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_streamed_pdf_has_every_page_and_a_valid_xref() {
        let raster = SharedPixelBuffer::<Rgb8Pixel>::new(4, 4);
        let mut pdf = PdfStream::new(2);
        let mut bytes = pdf.start();
        bytes.extend(pdf.page(&raster).unwrap());
        bytes.extend(pdf.page(&raster).unwrap());
        bytes.extend(pdf.finish());
        let text = String::from_utf8_lossy(&bytes);
        assert_eq!(text.matches("/Type /Page ").count(), 2);
        assert!(text.contains("/Kids [3 0 R 6 0 R] /Count 2"));
        assert!(text.contains("/ColorSpace /DeviceGray"));
        let start: usize = text
            .rsplit("startxref\n")
            .next()
            .and_then(|s| s.lines().next())
            .and_then(|s| s.parse().ok())
            .unwrap();
        assert!(bytes[start..].starts_with(b"xref\n0 9\n"));
        // Every object's offset points at its `N 0 obj`.
        let xref = String::from_utf8_lossy(&bytes[start..]).to_string();
        for (i, entry) in xref.lines().skip(3).take(8).enumerate() {
            let at: usize = entry[..10].parse().unwrap();
            let want = format!("{} 0 obj", i + 1);
            assert!(bytes[at..].starts_with(want.as_bytes()), "object {}", i + 1);
        }
    }
}
