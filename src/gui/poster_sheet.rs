//! `phone poster`: the phone form's A4 poster (扫码报名) as a one-page PDF — "用手机扫码报名"
//! large, the QR code of the form's URL, the URL, and short steps in both languages (join the
//! Wi-Fi when one is configured, scan, follow the steps).
//!
//! Drawn off screen by Slint's software renderer like the passenger list
//! ([`super::manifest_sheet`], whose PDF writer it shares), so the bundled CJK font draws it;
//! written atomically, 0600, an existing file refused. Call [`write_pdf`] once per process, on
//! a thread with no other Slint platform (the command line; the staff panel runs
//! `jobfair-kiosk phone poster` as a child process).

use super::manifest_sheet::{Headless, PAGE_HEIGHT, PAGE_WIDTH, PdfStream};
use super::{PosterSheet, PosterStep};
use crate::domain::fair::FairInfo;
use crate::export;
use crate::store::files::{AtomicFile, IfExists, WriteError};
use slint::platform::software_renderer::{MinimalSoftwareWindow, RepaintBufferType};
use slint::{
    ComponentHandle, Image, ModelRc, PhysicalSize, Rgb8Pixel, SharedPixelBuffer, VecModel,
};
use std::io::Write;
use std::path::Path;

/// The QR code's side on the page, in pixels at 150 dpi (about 10 cm).
const QR_SIDE: usize = 600;
/// White modules around the code.
const QUIET: usize = 4;

/// What the poster says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Poster {
    /// The form's URL (the QR code's text).
    pub url: String,
    /// The Wi-Fi to join, if the staff named one (`phone_wifi` in config.toml).
    pub wifi: Option<String>,
    /// Its password, if it has one (`phone_wifi_password`).
    pub wifi_password: Option<String>,
}

/// The steps printed under the code, in both languages.
pub fn steps(p: &Poster) -> Vec<(String, String)> {
    let mut steps = Vec::new();
    if let Some(wifi) = p.wifi.as_deref().filter(|w| !w.trim().is_empty()) {
        let (zh, en) = match p.wifi_password.as_deref().filter(|w| !w.is_empty()) {
            Some(pw) => (
                format!("连接 Wi-Fi：“{wifi}”，密码 {pw}"),
                format!("Join the Wi-Fi “{wifi}”, password {pw}"),
            ),
            None => (
                format!("连接 Wi-Fi：“{wifi}”"),
                format!("Join the Wi-Fi “{wifi}”"),
            ),
        };
        steps.push((zh, en));
    }
    steps.push((
        "用微信或手机相机扫描上面的二维码".to_string(),
        "Scan the QR code above with WeChat or your phone's camera".to_string(),
    ));
    steps.push((
        "按页面提示一步步填写，最后保存凭证图片".to_string(),
        "Follow the steps on the page, then save your ticket picture".to_string(),
    ));
    steps
}

/// The QR code of `text` as a grey image of [`QR_SIDE`] pixels or a little less: whole pixels
/// per module, so every module stays sharp when printed.
fn qr_image(text: &str) -> Option<Image> {
    let (width, dark) = crate::phone::qr::text_matrix(text)?;
    let modules = width + 2 * QUIET;
    let scale = (QR_SIDE / modules).max(1);
    let side = modules * scale;
    let mut buf = SharedPixelBuffer::<Rgb8Pixel>::new(side as u32, side as u32);
    for (i, p) in buf.make_mut_slice().iter_mut().enumerate() {
        let (x, y) = (i % side / scale, i / side / scale);
        let is_dark = (QUIET..QUIET + width).contains(&x)
            && (QUIET..QUIET + width).contains(&y)
            && dark[(y - QUIET) * width + (x - QUIET)];
        let v = if is_dark { 0 } else { 255 };
        *p = Rgb8Pixel { r: v, g: v, b: v };
    }
    Some(Image::from_rgb8(buf))
}

/// Draws the poster for `fair` and writes it as a one-page PDF to `out` (atomically, 0600;
/// an existing file is refused). Returns the bytes written.
pub fn write_pdf(fair: &FairInfo, poster: &Poster, out: &Path) -> export::Result<u64> {
    let source = |e: String| export::Error::Source(e.into());
    let qr = qr_image(&poster.url).ok_or_else(|| {
        source(format!(
            "the address {:?} does not fit a QR code",
            poster.url
        ))
    })?;
    let mut file = AtomicFile::create(out, IfExists::Refuse)?;
    let window = MinimalSoftwareWindow::new(RepaintBufferType::NewBuffer);
    slint::platform::set_platform(Box::new(Headless(window.clone())))
        .map_err(|e| source(format!("the off-screen renderer cannot start: {e}")))?;
    let sheet = PosterSheet::new().map_err(|e| source(e.to_string()))?;
    window.set_size(PhysicalSize::new(PAGE_WIDTH, PAGE_HEIGHT));
    sheet.show().map_err(|e| source(e.to_string()))?;
    sheet.set_fair(fair.name.as_str().into());
    sheet.set_fair_en(
        fair.name_en
            .as_deref()
            .filter(|n| *n != fair.name)
            .unwrap_or("")
            .into(),
    );
    sheet.set_date(fair.date.format("%Y-%m-%d").to_string().into());
    sheet.set_qr(qr);
    sheet.set_url(poster.url.as_str().into());
    let steps: Vec<PosterStep> = steps(poster)
        .into_iter()
        .enumerate()
        .map(|(i, (zh, en))| PosterStep {
            number: (i + 1).to_string().into(),
            zh: zh.into(),
            en: en.into(),
        })
        .collect();
    sheet.set_steps(ModelRc::new(VecModel::from(steps)));
    sheet.set_footer(
        "扫不出来？在手机浏览器里输入上面的地址。Cannot scan? Type the address above into your phone's browser."
            .into(),
    );
    slint::platform::update_timers_and_animations();
    window.request_redraw();
    let mut raster = SharedPixelBuffer::<Rgb8Pixel>::new(PAGE_WIDTH, PAGE_HEIGHT);
    let drawn = window.draw_if_needed(|renderer| {
        renderer.render(raster.make_mut_slice(), PAGE_WIDTH as usize);
    });
    if !drawn {
        return Err(source("the poster was not drawn".to_string()));
    }
    let _ = sheet.hide();
    let write = |file: &mut AtomicFile, bytes: &[u8]| -> Result<(), WriteError> {
        file.writer().write_all(bytes).map_err(|e| file.error(e))
    };
    // In this order: each part's object offsets count the bytes before it.
    let mut pdf = PdfStream::new(1);
    write(&mut file, &pdf.start())?;
    let page = pdf
        .page(&raster)
        .map_err(|e| export::Error::File(file.error(e)))?;
    write(&mut file, &page)?;
    write(&mut file, &pdf.finish())?;
    Ok(file.finish()?.bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wifi_step_is_there_only_when_a_wifi_is_named() {
        let mut p = Poster {
            url: "http://10.42.0.1/".into(),
            wifi: None,
            wifi_password: None,
        };
        assert_eq!(steps(&p).len(), 2);
        p.wifi = Some("招聘会报名".into());
        let s = steps(&p);
        assert_eq!(s.len(), 3);
        assert!(s[0].0.contains("招聘会报名") && !s[0].0.contains("密码"));
        p.wifi_password = Some("fair2027".into());
        let s = steps(&p);
        assert!(s[0].0.contains("密码 fair2027") && s[0].1.contains("password fair2027"));
    }
}
