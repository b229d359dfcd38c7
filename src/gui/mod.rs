//! The only Rust that touches generated Slint types.
//!
//! [`build`] wires every adapter global to the app layer and returns the window without
//! showing it (UI tests drive it with i-slint-backend-testing); [`run`] shows it and runs
//! the event loop. Worker threads never touch Slint objects.

slint::include_modules!();

mod boarding_adapter;
mod booth_adapter;
mod booth_ride;
mod booth_view;
mod field_errors;
mod idle;
mod keyboard_adapter;
mod lock_adapter;
pub mod manifest_sheet;
mod openings_adapter;
mod passengers_adapter;
mod phone_adapter;
mod place_names;
pub mod poster_sheet;
mod register_adapter;
mod register_steps;
mod ride_adapter;
mod scan;
mod staff_adapter;
mod staff_export;
mod staff_files;
mod staff_panel;
mod staff_purge;
mod ticket_adapter;
pub mod ticket_sheet;
mod transport_staff;

use crate::app::Kiosk;
use slint::ComponentHandle;
use std::cell::RefCell;
use std::rc::Rc;

#[derive(Debug, Clone)]
pub struct GuiOptions {
    /// Fullscreen, no decorations; leaving asks for the staff PIN.
    pub kiosk_mode: bool,
    /// `zh_CN` (default) or `en`.
    pub lang: Option<String>,
    /// Start the upload worker (the kiosk always does; `GuiOptions::default()` too).
    pub upload_worker: bool,
    /// `--listen`: where the phone form listens when on (else the config's `phone_listen`).
    pub listen: Option<String>,
}

impl Default for GuiOptions {
    fn default() -> Self {
        GuiOptions {
            kiosk_mode: false,
            lang: None,
            upload_worker: true,
            listen: None,
        }
    }
}

/// The window and what must live as long as it: the kiosk and the idle timer.
pub struct Gui {
    pub window: AppWindow,
    pub kiosk: Rc<RefCell<Kiosk>>,
    _idle: Rc<idle::Idle>,
    _upload_status: slint::Timer,
}

/// State shared by the adapters of one window.
pub(crate) struct Ctx {
    pub kiosk: Rc<RefCell<Kiosk>>,
    pub window: slint::Weak<AppWindow>,
    pub default_lang: String,
    pub openings: openings_adapter::Openings,
    /// The registration flow (its state and rules are `app::wizard`'s).
    pub wizard: RefCell<crate::app::wizard::Wizard>,
    /// The logged-in booth (made only by a right booth PIN).
    pub booth: RefCell<Option<crate::app::booth::Session>>,
    /// The upload worker (its own thread and store connection); `None` only in tests that opt out.
    pub sync: Option<crate::sync::WorkerHandle>,
    /// The phone form's server while the staff have it on.
    pub phone: phone_adapter::PhoneForm,
}

impl Ctx {
    pub fn lang_en(&self) -> bool {
        self.window
            .upgrade()
            .is_some_and(|w| w.global::<AppState>().get_language() == "en")
    }
}

/// Builds the kiosk window and wires it to `kiosk`. Does not show it.
pub fn build(kiosk: Kiosk, opts: &GuiOptions) -> anyhow::Result<Gui> {
    let window = AppWindow::new()?;
    let default_lang = opts
        .lang
        .clone()
        .unwrap_or_else(|| kiosk.config().language.clone());
    let kiosk = Rc::new(RefCell::new(kiosk));
    let openings = openings_adapter::Openings::new(kiosk.borrow().fair());
    let sync = opts.upload_worker.then(|| {
        let k = kiosk.borrow();
        crate::sync::Worker::spawn(k.data_dir(), k.config())
    });
    let ctx = Rc::new(Ctx {
        kiosk: kiosk.clone(),
        window: window.as_weak(),
        default_lang: default_lang.clone(),
        openings,
        wizard: RefCell::new(crate::app::wizard::Wizard::new()),
        booth: RefCell::new(None),
        sync,
        phone: phone_adapter::PhoneForm::new(opts.listen.clone()),
    });

    let app = window.global::<AppState>();
    app.set_kiosk_mode(opts.kiosk_mode);
    set_fair_info(&window, &kiosk.borrow());
    let text_edit = window.global::<TextEdit>();
    text_edit.on_drop_last(|s| {
        let mut s = s.to_string();
        s.pop();
        s.into()
    });
    text_edit.on_grouped(|s, sizes| {
        let sizes: Vec<usize> = slint::Model::iter(&sizes)
            .map(|n| n.max(1) as usize)
            .collect();
        grouped(&s, &sizes).into()
    });
    {
        let ctx = ctx.clone();
        app.on_set_language(move |lang| set_language(&ctx, &lang));
    }
    {
        let ctx = ctx.clone();
        app.on_go_home(move || reset(&ctx));
    }
    openings_adapter::connect(&ctx);
    register_steps::connect(&ctx);
    ride_adapter::connect(&ctx);
    transport_staff::connect(&ctx);
    boarding_adapter::connect(&ctx);
    passengers_adapter::connect(&ctx);
    ticket_adapter::connect(&ctx);
    staff_adapter::connect(&ctx, opts.kiosk_mode);
    keyboard_adapter::connect(&ctx);
    staff_panel::connect(&ctx);
    staff_purge::connect(&ctx);
    booth_adapter::connect(&ctx);
    booth_ride::connect(&ctx);
    scan::connect(&ctx);
    phone_adapter::connect(&ctx);
    lock_adapter::connect(&ctx);
    let idle = idle::setup(&ctx, kiosk.borrow().config().idle_seconds);
    set_language(&ctx, &default_lang);
    lock_adapter::show_at_start(&ctx, &window);
    if kiosk.borrow().is_boarding_device() {
        transport_staff::open_door(&ctx);
    }
    let upload_status = staff_export::setup_status_timer(&ctx);
    staff_export::show_upload_status(&ctx, &window);
    Ok(Gui {
        window,
        kiosk,
        _idle: idle,
        _upload_status: upload_status,
    })
}

/// Opens the kiosk window and runs until it is closed (in kiosk mode: by staff).
pub fn run(kiosk: Kiosk, opts: GuiOptions) -> anyhow::Result<()> {
    let gui = build(kiosk, &opts)?;
    if opts.kiosk_mode {
        gui.window.window().set_fullscreen(true);
    }
    gui.window.run()?;
    Ok(())
}

/// `text` in groups of `sizes` (the last size repeats), separated by spaces, for reading digits.
pub fn grouped(text: &str, sizes: &[usize]) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut group = 0;
    let mut in_group = 0;
    for c in text.chars() {
        let size = sizes
            .get(group)
            .or(sizes.last())
            .copied()
            .unwrap_or(usize::MAX);
        if in_group == size {
            out.push(' ');
            group += 1;
            in_group = 0;
        }
        out.push(c);
        in_group += 1;
    }
    out
}

/// The fair's name, place and date on the status bar (after a fair change too).
pub(crate) fn set_fair_info_pub(window: &AppWindow, kiosk: &Kiosk) {
    set_fair_info(window, kiosk);
}

fn set_fair_info(window: &AppWindow, kiosk: &Kiosk) {
    let file = kiosk.fair();
    let fair = &file.fair;
    let app = window.global::<AppState>();
    let en = app.get_language() == "en";
    app.set_fair_name(
        if en {
            fair.name_en.as_deref().unwrap_or(&fair.name)
        } else {
            &fair.name
        }
        .into(),
    );
    let place = if en {
        format!(
            "{}, {}, {}, {}",
            file.village_en(&fair.township, &fair.village),
            file.township_en(&fair.township),
            file.county_en(&fair.county),
            crate::domain::fair::romanize(&fair.province)
        )
    } else {
        format!(
            "{}{}{}{}",
            fair.province, fair.county, fair.township, fair.village
        )
    };
    app.set_fair_place(place.into());
    app.set_fair_date(fair.date.format("%Y-%m-%d").to_string().into());
}

/// Switches the UI language (bundled translations) and the language of the fair's texts.
pub(crate) fn set_language(ctx: &Ctx, lang: &str) {
    let lang = if lang == "en" { "en" } else { "zh_CN" };
    if let Err(e) = slint::select_bundled_translation(lang) {
        eprintln!("language {lang}: {e:?}");
    }
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    window.global::<AppState>().set_language(lang.into());
    openings_adapter::refresh(ctx);
    openings_adapter::refresh_detail(ctx);
    register_adapter::refresh(ctx);
    booth_adapter::refresh(ctx);
    transport_staff::refresh(ctx);
    boarding_adapter::refresh(ctx);
    passengers_adapter::refresh(ctx);
    if window.global::<AppState>().get_page() == Page::Staff {
        // Its opening and village rows are named in the language.
        staff_panel::refresh(ctx);
    }
    set_fair_info(&window, &ctx.kiosk.borrow());
}

/// Back to the home page with nothing personal left on screen: the half-filled form,
/// the ticket and the PIN are cleared. The language stays (the idle reset restores it).
pub(crate) fn reset(ctx: &Ctx) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    register_adapter::clear(ctx);
    ticket_adapter::clear(&window);
    ride_adapter::clear(&window);
    boarding_adapter::clear(&window);
    staff_adapter::clear(&window);
    keyboard_adapter::clear(&window);
    staff_panel::clear(&window);
    booth_adapter::clear(ctx, &window);
    scan::clear(&window);
    openings_adapter::clear_filters(ctx);
    openings_adapter::refresh(ctx);
    lock_adapter::clear(ctx, &window);
    let page = lock_adapter::resting_page(ctx);
    window.global::<AppState>().set_page(page);
    if page == Page::Unlock {
        lock_adapter::prepare_keyboard(&window);
    }
    if ctx.kiosk.borrow().is_boarding_device() {
        transport_staff::open_door(ctx);
    }
}

#[cfg(test)]
mod tests {
    use super::grouped;

    #[test]
    fn digits_are_grouped_for_reading() {
        assert_eq!(grouped("13800138000", &[3, 4, 4]), "138 0013 8000");
        assert_eq!(grouped("1380", &[3, 4, 4]), "138 0");
        assert_eq!(
            grouped("52000019920314001X", &[6, 8, 4]),
            "520000 19920314 001X"
        );
        assert_eq!(grouped("1234567890", &[3]), "123 456 789 0");
        assert_eq!(grouped("", &[3]), "");
    }
}
