//! `jobfair-kiosk phone poster`: the phone form's A4 poster, run as the real binary. The PDF
//! is rendered back with poppler's `pdftoppm` and its QR code read with zbar's `zbarimg`
//! (poppler-utils and zbar-tools, installed by `.ci/run`): it must be the form's address.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

fn kiosk(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jobfair-kiosk"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("JOBFAIR_DATA_DIR")
        .output()
        .expect("the binary runs")
}

/// The QR codes zbarimg reads on the PDF's first page, rendered at `dpi`.
fn qr_codes(pdf: &Path, dpi: u32) -> Vec<String> {
    let dir = pdf.parent().unwrap();
    let prefix = dir.join(format!("page-{dpi}"));
    let out = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-png", "-singlefile"])
        .arg(pdf)
        .arg(&prefix)
        .output()
        .expect("pdftoppm (poppler-utils) is installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let png = prefix.with_extension("png");
    let img = image::open(&png).unwrap();
    // A4 at this resolution.
    let want = (
        (210.0 / 25.4 * f64::from(dpi)).round() as u32,
        (297.0 / 25.4 * f64::from(dpi)).round() as u32,
    );
    assert!(
        img.width().abs_diff(want.0) <= 1 && img.height().abs_diff(want.1) <= 1,
        "{}×{} is not A4 at {dpi} dpi",
        img.width(),
        img.height()
    );
    let out = Command::new("zbarimg")
        .args(["--quiet", "--raw"])
        .arg(&png)
        .output()
        .expect("zbarimg (zbar-tools) is installed");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn the_poster_is_an_a4_pdf_whose_qr_code_is_the_forms_address() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(
        data.join("config.toml"),
        "phone_wifi = \"招聘会报名\"\nphone_wifi_password = \"fair2027\"\n",
    )
    .unwrap();
    let pdf = dir.path().join("poster.pdf");
    let out = kiosk(
        &data,
        &[
            "--listen",
            "10.42.0.1:8080",
            "phone",
            "poster",
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("http://10.42.0.1:8080/"));
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-1.4"));
    assert_eq!(
        std::fs::metadata(&pdf).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // Printed small and large, the code reads as the form's address.
    assert_eq!(qr_codes(&pdf, 72), ["http://10.42.0.1:8080/"]);
    assert_eq!(qr_codes(&pdf, 150), ["http://10.42.0.1:8080/"]);

    // An address given with --url (port 80: no port in it) is what the code holds.
    let pdf80 = dir.path().join("poster80.pdf");
    let out = kiosk(
        &data,
        &[
            "phone",
            "poster",
            "--url",
            "http://10.42.0.1/",
            "--out",
            pdf80.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(qr_codes(&pdf80, 100), ["http://10.42.0.1/"]);

    // An existing file is kept, and the error says so.
    let before = std::fs::read(&pdf80).unwrap();
    let out = kiosk(
        &data,
        &[
            "phone",
            "poster",
            "--url",
            "http://10.42.0.9/",
            "--out",
            pdf80.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    assert_eq!(std::fs::read(&pdf80).unwrap(), before);

    // Not an address a phone can open: refused in Chinese first, then English; no file.
    let bad = dir.path().join("bad.pdf");
    let out = kiosk(
        &data,
        &[
            "phone",
            "poster",
            "--url",
            "10.42.0.1",
            "--out",
            bad.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let zh = err.find("不是手机能打开的网址").expect(&err);
    let en = err.find("is not an address a phone can open").expect(&err);
    assert!(zh < en, "{err}");
    assert!(!bad.exists());
}
