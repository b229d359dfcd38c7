//! The phone form on the kiosk's screens: the staff panel's on/off tile (the choice is
//! kept in the store) and the home page's "scan with your phone" QR code. The server runs
//! on its own threads (`crate::phone`); this only starts and stops it.

use super::{AppState, AppWindow, Ctx, DeparturesAdapter, ExportFailure, ExportState, StaffPanel};
use crate::phone::{PhoneConfig, PhoneHandle, PhoneServer, settings};
use slint::{ComponentHandle, Image, Rgb8Pixel, SharedPixelBuffer, SharedString};
use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;

/// The running server, if the form is on.
#[derive(Default)]
pub(crate) struct PhoneForm {
    handle: RefCell<Option<PhoneHandle>>,
    /// `--listen`, else the config's `phone_listen`, else the default.
    listen: RefCell<Option<String>>,
}

impl PhoneForm {
    pub(crate) fn new(listen: Option<String>) -> PhoneForm {
        PhoneForm {
            handle: RefCell::new(None),
            listen: RefCell::new(listen),
        }
    }
}

pub(crate) fn connect(ctx: &Rc<Ctx>) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    {
        let ctx = ctx.clone();
        window
            .global::<StaffPanel>()
            .on_toggle_phone_form(move || toggle(&ctx));
    }
    {
        let ctx = ctx.clone();
        window.global::<StaffPanel>().on_open_poster(move || {
            if let Some(w) = ctx.window.upgrade() {
                w.global::<DeparturesAdapter>()
                    .set_manifest_departure(SharedString::default());
            }
            super::staff_files::open_export(&ctx);
            if let Some(w) = ctx.window.upgrade() {
                w.global::<StaffPanel>().set_export_poster(true);
            }
        });
    }
    {
        let ctx = ctx.clone();
        window
            .global::<StaffPanel>()
            .on_save_poster(move || save_poster(&ctx));
    }
    resume(ctx);
    show(ctx, &window);
}

/// Starts the form if the staff left it on, once the kiosk is unlocked (a locked kiosk
/// registers nobody, so its form waits for the unlock: `lock_adapter`).
pub(crate) fn resume(ctx: &Ctx) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let on = {
        let k = ctx.kiosk.borrow();
        k.phone_form_on().unwrap_or(false) && !super::lock_adapter::needs_unlock(&k)
    };
    if on && ctx.phone.handle.borrow().is_none() {
        start(ctx, &window);
    }
    show(ctx, &window);
}

fn toggle(ctx: &Ctx) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let running = ctx.phone.handle.borrow().is_some();
    if running {
        // Dropping the handle stops the server and frees the port.
        ctx.phone.handle.borrow_mut().take();
    } else {
        start(ctx, &window);
    }
    let on = ctx.phone.handle.borrow().is_some();
    if let Err(e) = ctx.kiosk.borrow_mut().set_phone_form(on) {
        eprintln!("phone form: keeping the choice: {e}");
    }
    show(ctx, &window);
}

fn start(ctx: &Ctx, window: &AppWindow) {
    if super::lock_adapter::needs_unlock(&ctx.kiosk.borrow()) {
        // A locked kiosk registers nobody: the form starts once it is unlocked.
        window.global::<StaffPanel>().set_phone_form_failed(true);
        return;
    }
    let (kiosk, listen) = {
        let k = ctx.kiosk.borrow();
        let listen = ctx
            .phone
            .listen
            .borrow()
            .clone()
            .unwrap_or_else(|| k.phone_listen());
        // The form's own kiosk shares this one's unlock (issue 17).
        (k.reopen(), listen)
    };
    let spawned = kiosk
        .map_err(crate::phone::Error::from)
        .and_then(|k| PhoneServer::spawn_with(k, PhoneConfig::new(listen)));
    match spawned {
        Ok(h) => {
            *ctx.phone.handle.borrow_mut() = Some(h);
            window.global::<StaffPanel>().set_phone_form_failed(false);
        }
        Err(e) => {
            eprintln!("{e}");
            window.global::<StaffPanel>().set_phone_form_failed(true);
        }
    }
}

/// "Save the poster" in the export dialog: `jobfair-kiosk phone poster` for the running form's
/// address, run as a child process on a worker thread (the poster is drawn by Slint's
/// off-screen renderer, which cannot share this process with the screen's), into the chosen
/// folder as `poster-<date-time>.pdf`.
fn save_poster(ctx: &Ctx) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let p = window.global::<StaffPanel>();
    if p.get_export_state() == ExportState::Running {
        return;
    }
    let Some(folder) = usize::try_from(p.get_folder_index())
        .ok()
        .and_then(|i| slint::Model::row_data(&p.get_folders(), i))
    else {
        return;
    };
    let removable = folder.removable;
    let folder = PathBuf::from(folder.path.as_str());
    let url = ctx
        .phone
        .handle
        .borrow()
        .as_ref()
        .map(|h| settings::form_url(h.addr()));
    p.set_export_path(folder.display().to_string().into());
    let Some(url) = url else {
        // The form went off meanwhile: there is no address to print.
        p.set_export_failure(ExportFailure::Store);
        p.set_export_state(ExportState::Failed);
        return;
    };
    if !removable && let Err(e) = crate::store::files::create_private_dir(&folder) {
        eprintln!("export folder {}: {e}", folder.display());
    }
    if !folder.is_dir() {
        p.set_export_failure(ExportFailure::NoFolder);
        p.set_export_state(ExportState::Failed);
        return;
    }
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let out = folder.join(format!("poster-{stamp}.pdf"));
    let data_dir = ctx.kiosk.borrow().data_dir().to_path_buf();
    p.set_export_progress(0.0);
    p.set_export_state(ExportState::Running);
    let weak = window.as_weak();
    std::thread::spawn(move || {
        let ran = std::env::current_exe().and_then(|exe| {
            std::process::Command::new(exe)
                .arg("--data-dir")
                .arg(&data_dir)
                .args(["phone", "poster", "--url", &url, "--out"])
                .arg(&out)
                .env_remove("JOBFAIR_DATA_DIR")
                .output()
        });
        let done = match ran {
            Ok(o) if o.status.success() => true,
            Ok(o) => {
                eprintln!(
                    "poster to {}: {}",
                    out.display(),
                    String::from_utf8_lossy(&o.stderr).trim()
                );
                false
            }
            Err(e) => {
                eprintln!("poster to {}: {e}", out.display());
                false
            }
        };
        let _ = weak.upgrade_in_event_loop(move |w| {
            let p = w.global::<StaffPanel>();
            p.set_export_path(out.display().to_string().into());
            if done {
                p.set_export_progress(1.0);
                p.set_export_state(ExportState::Done);
            } else {
                p.set_export_failure(ExportFailure::Write);
                p.set_export_state(ExportState::Failed);
            }
        });
    });
}

/// The tile, the home page's QR code and the count of phone sign-ups.
pub(crate) fn show(ctx: &Ctx, window: &AppWindow) {
    let url = ctx
        .phone
        .handle
        .borrow()
        .as_ref()
        .map(|h| settings::form_url(h.addr()));
    let p = window.global::<StaffPanel>();
    p.set_phone_form_on(url.is_some());
    let count = ctx.kiosk.borrow().phone_signups().unwrap_or(0);
    p.set_phone_signups(i32::try_from(count).unwrap_or(i32::MAX));
    let app = window.global::<AppState>();
    match url {
        Some(url) => {
            app.set_phone_qr(qr_image(&url).unwrap_or_default());
            app.set_phone_url(url.into());
        }
        None => app.set_phone_url("".into()),
    }
}

/// The QR code of `text`, 8 pixels a module with a 4-module quiet zone.
fn qr_image(text: &str) -> Option<Image> {
    const SCALE: usize = 8;
    const QUIET: usize = 4;
    let (width, dark) = crate::phone::qr::text_matrix(text)?;
    let side = (width + 2 * QUIET) * SCALE;
    let mut buf = SharedPixelBuffer::<Rgb8Pixel>::new(side as u32, side as u32);
    for (i, p) in buf.make_mut_slice().iter_mut().enumerate() {
        let (x, y) = (i % side / SCALE, i / side / SCALE);
        let is_dark = (QUIET..QUIET + width).contains(&x)
            && (QUIET..QUIET + width).contains(&y)
            && dark[(y - QUIET) * width + (x - QUIET)];
        let v = if is_dark { 0 } else { 255 };
        *p = Rgb8Pixel { r: v, g: v, b: v };
    }
    Some(Image::from_rgb8(buf))
}
