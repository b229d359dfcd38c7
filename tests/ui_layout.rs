//! Layouts that fit (issue 12, section 3): every page of the kiosk, in Chinese and English, at
//! 1280×800 and 1024×600 landscape and 800×1280 portrait, with worst-case content (a
//! 20-character name, the 5 openings with the longest English titles and employers, the longest
//! English strings), is checked element by element through i-slint-backend-testing:
//!
//! - every element lies inside its parent (so no text spills out of its box and no button label
//!   out of its button: Slint never lays a Text out smaller than its text, so a label that does
//!   not fit makes its box overflow), and everything lies inside the window;
//! - what does not fit is inside a Flickable that scrolls to all of it (its viewport holds the
//!   content), and an overflowing Flickable shows that there is more (a `ScrollHint` around it,
//!   or the scroll bar of a std-widgets ListView/ScrollView);
//! - no two buttons overlap where they are visible.
//!
//! Elements scrolled out of a Flickable's view are not visited (i-slint-backend-testing skips
//! clipped items); the portrait size shows most of them.
//!
//! One window, resized; one test function (one Slint platform per process). `LAYOUT_DUMP=page`
//! prints the element tree of that page (English, every size); `LAYOUT_POINTS=file.json` writes
//! where every visible button is, per page, language and size (docs/screenshots/shoot.py taps
//! by label with it).

mod common;

use common::ui::Ui;
use i_slint_backend_testing::{AccessibleRole, ElementHandle, ElementRoot};
use jobfair_kiosk::gui::{
    AppState, BoardResult, BoardingAdapter, BoothAdapter, DeparturesAdapter, OpeningsAdapter, Page,
    RegisterAdapter, RideAdapter,
};
use slint::platform::WindowEvent;
use slint::{ComponentHandle, LogicalSize};
use std::cell::RefCell;
use std::ops::ControlFlow;
use std::time::Duration;

const SIZES: [(f32, f32); 3] = [(1280., 800.), (1024., 600.), (800., 1280.)];
const LANGS: [&str; 2] = ["zh_CN", "en"];
/// Rounding of the layout: a pixel either way is no overflow.
const TOLERANCE: f32 = 1.0;
/// A 20-character name (synthetic).
const LONG_NAME: &str = "阿卜杜热合曼·买买提艾力·吐尔逊江·艾力";

#[derive(Clone, Copy, Debug, PartialEq)]
struct Rect {
    x: f32,
    y: f32,
    w: f32,
    h: f32,
}

impl Rect {
    fn of(e: &ElementHandle) -> Rect {
        let (p, s) = (e.absolute_position(), e.size());
        Rect {
            x: p.x,
            y: p.y,
            w: s.width,
            h: s.height,
        }
    }
    fn contains(&self, o: &Rect) -> bool {
        o.x >= self.x - TOLERANCE
            && o.y >= self.y - TOLERANCE
            && o.x + o.w <= self.x + self.w + TOLERANCE
            && o.y + o.h <= self.y + self.h + TOLERANCE
    }
    fn intersect(&self, o: &Rect) -> Rect {
        let x = self.x.max(o.x);
        let y = self.y.max(o.y);
        let r = (self.x + self.w).min(o.x + o.w);
        let b = (self.y + self.h).min(o.y + o.h);
        Rect {
            x,
            y,
            w: (r - x).max(0.),
            h: (b - y).max(0.),
        }
    }
    fn is_empty(&self) -> bool {
        self.w <= 0.5 || self.h <= 0.5
    }
}

impl std::fmt::Display for Rect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "[{:.0},{:.0} {:.0}×{:.0}]",
            self.x, self.y, self.w, self.h
        )
    }
}

struct Node {
    e: ElementHandle,
    rect: Rect,
    ty: String,
    parent: Option<usize>,
    depth: usize,
}

impl Node {
    fn is(&self, ty: &str) -> bool {
        self.ty == ty || self.e.bases().is_some_and(|mut b| b.any(|t| t == ty))
    }
    fn name(&self) -> String {
        let label = self.e.accessible_label().unwrap_or_default();
        let id = self.e.id().unwrap_or_default();
        let mut s = self.ty.clone();
        if !id.is_empty() {
            s += &format!(" {id}");
        }
        if !label.is_empty() {
            s += &format!(" {label:?}");
        }
        s
    }
}

fn descendants(e: &ElementHandle) -> usize {
    let mut n = 0;
    e.visit_descendants(|_| {
        n += 1;
        ControlFlow::<()>::Continue(())
    });
    n
}

/// The element tree of the window, rebuilt from the depth-first order of the traversal and the
/// number of descendants of each element (several elements of one item, such as a component and
/// its root, have the same box and descendants and become one node).
fn tree(ui: &Ui) -> Vec<Node> {
    let root = ui.w().root_element();
    let mut all = vec![root.clone()];
    root.visit_descendants(|e| {
        all.push(e);
        ControlFlow::<()>::Continue(())
    });
    let sizes: Vec<usize> = all.iter().map(descendants).collect();
    let mut nodes: Vec<Node> = Vec::new();
    let mut stack: Vec<(usize, usize)> = Vec::new(); // (node, last index of its subtree in `all`)
    let mut i = 0;
    while i < all.len() {
        let mut j = i;
        while j + 1 < all.len()
            && sizes[i] > 0
            && sizes[j + 1] == sizes[i]
            && Rect::of(&all[j + 1]) == Rect::of(&all[i])
        {
            j += 1;
        }
        while stack.last().is_some_and(|&(_, end)| i > end) {
            stack.pop();
        }
        let e = all[i].clone();
        nodes.push(Node {
            rect: Rect::of(&e),
            ty: e.type_name().unwrap_or_default().to_string(),
            e,
            parent: stack.last().map(|&(p, _)| p),
            depth: stack.len(),
        });
        stack.push((nodes.len() - 1, j + sizes[i]));
        i = j + 1;
    }
    nodes
}

fn dump(nodes: &[Node]) {
    for n in nodes {
        println!("{}{} {}", "  ".repeat(n.depth), n.name(), n.rect);
    }
}

/// The problems of the page as shown now.
fn problems(ui: &Ui) -> Vec<String> {
    let nodes = tree(ui);
    let mut out = Vec::new();
    let size = ui
        .w()
        .window()
        .size()
        .to_logical(ui.w().window().scale_factor());
    let window = Rect {
        x: 0.,
        y: 0.,
        w: size.width,
        h: size.height,
    };
    // The visible area of each node: its parent's, cut by every Flickable above it.
    let mut clip: Vec<Rect> = Vec::with_capacity(nodes.len());
    let mut in_flickable: Vec<bool> = Vec::with_capacity(nodes.len());
    for (i, n) in nodes.iter().enumerate() {
        let (c, f) = match n.parent {
            None => (window, false),
            Some(p) if nodes[p].is("Flickable") => (clip[p].intersect(&nodes[p].rect), true),
            Some(p) => (clip[p], in_flickable[p]),
        };
        clip.push(c);
        in_flickable.push(f);
        let Some(p) = n.parent else {
            continue;
        };
        let parent = &nodes[p];
        if parent.is("Flickable") {
            // The viewport: larger than the Flickable is what scrolls; then something must
            // say that there is more.
            // A ListView's viewport reports no height (its rows are made as they scroll into
            // view): there, a row that runs past the bottom says the same.
            let more = n.rect.h > parent.rect.h + TOLERANCE
                || n.rect.w > parent.rect.w + TOLERANCE
                || nodes[i + 1..]
                    .iter()
                    .take_while(|d| d.depth > n.depth)
                    .any(|d| {
                        !d.rect.is_empty()
                            && d.rect.y + d.rect.h > parent.rect.y + parent.rect.h + TOLERANCE
                    });
            if more && !scroll_hinted(&nodes, p) {
                out.push(format!(
                    "{} {} scrolls to more than it shows {} but nothing says so",
                    parent.name(),
                    parent.rect,
                    n.rect
                ));
            }
            continue;
        }
        if n.rect.is_empty() {
            continue;
        }
        if parent.rect.is_empty() && parent.ty.is_empty() {
            // A list view's row holder: no box of its own.
            continue;
        }
        if !parent.rect.contains(&n.rect) {
            out.push(format!(
                "{} {} lies outside its parent {} {}",
                n.name(),
                n.rect,
                parent.name(),
                parent.rect
            ));
        } else if !in_flickable[i] && !window.contains(&n.rect) {
            out.push(format!("{} {} is outside the window", n.name(), n.rect));
        }
    }
    // A banner laid over a page (the home screen's check-in message) must not cover its text.
    let banners: Vec<usize> = (0..nodes.len())
        .filter(|&i| {
            nodes[i].e.accessible_role() == Some(AccessibleRole::Text)
                && ["Check-in", "签到"]
                    .contains(&nodes[i].e.accessible_label().unwrap_or_default().as_str())
        })
        .collect();
    let inside = |a: usize, d: usize| {
        let mut k = Some(d);
        while let Some(j) = k {
            if j == a {
                return true;
            }
            k = nodes[j].parent;
        }
        false
    };
    for &b in &banners {
        for (t, n) in nodes.iter().enumerate() {
            if n.e.accessible_role() != Some(AccessibleRole::Text) || inside(b, t) || inside(t, b) {
                continue;
            }
            let both = n.rect.intersect(&nodes[b].rect).intersect(&clip[t]);
            if both.w > TOLERANCE
                && both.h > TOLERANCE
                && !n.e.accessible_label().unwrap_or_default().is_empty()
            {
                out.push(format!(
                    "{} {} covers {} {}",
                    nodes[b].name(),
                    nodes[b].rect,
                    n.name(),
                    n.rect
                ));
            }
        }
    }
    // Buttons must not cover each other where they are visible (an overlay covers a page on
    // purpose: a button under it is not compared with a button on it).
    let layer = |i: usize| -> usize {
        let mut k = Some(i);
        while let Some(j) = k {
            if [
                "IdleOverlay",
                "ExportDialog",
                "ImportDialog",
                "ParkedDialog",
                "PurgeDialog",
                "BoothRideSheet",
                "MoveSheet",
            ]
            .iter()
            .any(|t| nodes[j].is(t))
            {
                return j;
            }
            k = nodes[j].parent;
        }
        0
    };
    let ancestor = |a: usize, d: usize| {
        let mut k = nodes[d].parent;
        while let Some(j) = k {
            if j == a {
                return true;
            }
            k = nodes[j].parent;
        }
        false
    };
    let buttons: Vec<usize> = (0..nodes.len())
        .filter(|&i| nodes[i].e.accessible_role() == Some(AccessibleRole::Button))
        .collect();
    for (x, &a) in buttons.iter().enumerate() {
        for &b in &buttons[x + 1..] {
            if ancestor(a, b) || ancestor(b, a) || layer(a) != layer(b) {
                continue;
            }
            let both = nodes[a]
                .rect
                .intersect(&clip[a])
                .intersect(&nodes[b].rect.intersect(&clip[b]));
            if both.w > TOLERANCE && both.h > TOLERANCE {
                out.push(format!(
                    "buttons overlap: {} {} and {} {}",
                    nodes[a].name(),
                    nodes[a].rect,
                    nodes[b].name(),
                    nodes[b].rect
                ));
            }
        }
    }
    // A list's "more below" pill must not hide a button's text (the departures' Boarding
    // buttons were under it). A card is one big button: the pill may lie on its empty corner.
    let texts_in_buttons: Vec<usize> = (0..nodes.len())
        .filter(|&t| {
            nodes[t].e.accessible_role() == Some(AccessibleRole::Text)
                && !nodes[t].e.accessible_label().unwrap_or_default().is_empty()
                && buttons.iter().any(|&b| ancestor(b, t))
        })
        .collect();
    for p in (0..nodes.len()).filter(|&i| nodes[i].is("ListMoreBelow")) {
        for &t in &texts_in_buttons {
            if layer(p) != layer(t) || ancestor(p, t) {
                continue;
            }
            let both = nodes[p]
                .rect
                .intersect(&clip[p])
                .intersect(&nodes[t].rect.intersect(&clip[t]));
            if both.w > TOLERANCE && both.h > TOLERANCE {
                out.push(format!(
                    "the more-below pill {} covers {} {}",
                    nodes[p].rect,
                    nodes[t].name(),
                    nodes[t].rect
                ));
            }
        }
    }
    out
}

/// Whether the Flickable `f` says there is more: a ScrollHint or ScrollHintRow around it that
/// shows its "more" pill now, or a std-widgets ScrollView/ListView with a `more` pill beside it
/// that shows now.
fn scroll_hinted(nodes: &[Node], f: usize) -> bool {
    let mut k = nodes[f].parent;
    for _ in 0..3 {
        let Some(j) = k else { return false };
        if nodes[j].is("ScrollView") || nodes[j].is("ListView") {
            // Its scroll bar is a thin line nobody at a fair notices: a `more` pill beside
            // the list (ListMoreBelow, in the list's parent) must show while it has more.
            let Some(holder) = nodes[j].parent else {
                return false;
            };
            let list_end = j
                + 1
                + nodes[j + 1..]
                    .iter()
                    .take_while(|n| n.depth > nodes[j].depth)
                    .count();
            return nodes[holder + 1..]
                .iter()
                .enumerate()
                .take_while(|(_, n)| n.depth > nodes[holder].depth)
                .any(|(k, n)| {
                    let k = holder + 1 + k;
                    !(j..list_end).contains(&k) && n.e.id().is_some_and(|id| id.ends_with("::more"))
                });
        }
        if nodes[j].is("ScrollHint") || nodes[j].is("ScrollHintRow") {
            // The pill is in the ScrollHint's subtree, visited only while it is visible.
            return nodes[j + 1..]
                .iter()
                .take_while(|n| n.depth > nodes[j].depth)
                .any(|n| n.e.id().is_some_and(|id| id.ends_with("::more")));
        }
        k = nodes[j].parent;
    }
    false
}

/// The visible buttons of the page: label, centre and size of the visible part. Written to
/// the file named by `LAYOUT_POINTS` for docs/screenshots/shoot.py, which taps by label.
fn button_points(ui: &Ui) -> Vec<serde_json::Value> {
    let nodes = tree(ui);
    let size = ui
        .w()
        .window()
        .size()
        .to_logical(ui.w().window().scale_factor());
    let window = Rect {
        x: 0.,
        y: 0.,
        w: size.width,
        h: size.height,
    };
    let mut clip: Vec<Rect> = Vec::with_capacity(nodes.len());
    let mut out = Vec::new();
    for n in &nodes {
        let c = match n.parent {
            None => window,
            Some(p) if nodes[p].is("Flickable") => clip[p].intersect(&nodes[p].rect),
            Some(p) => clip[p],
        };
        clip.push(c);
        let v = n.rect.intersect(&c);
        if n.e.accessible_role() == Some(AccessibleRole::Button) && !v.is_empty() {
            out.push(serde_json::json!({
                "label": n.e.accessible_label().unwrap_or_default().to_string(),
                "x": (v.x + v.w / 2.).round(),
                "y": (v.y + v.h / 2.).round(),
                "w": v.w.round(),
                "h": v.h.round(),
            }));
        }
    }
    out
}

struct Walk {
    ui: Ui,
    found: RefCell<Vec<String>>,
    pages: RefCell<usize>,
    points: RefCell<serde_json::Map<String, serde_json::Value>>,
}

impl Walk {
    /// Checks the page as shown, in both languages and at every size; back to Chinese and
    /// 1280×800 after.
    fn check(&self, what: &str) {
        let dump_page = std::env::var("LAYOUT_DUMP").ok();
        let app = self.ui.w().global::<AppState>();
        for lang in LANGS {
            app.invoke_set_language(lang.into());
            for (w, h) in SIZES {
                self.ui.w().window().set_size(LogicalSize::new(w, h));
                // A ListView makes its rows while it is visited and only then knows its content
                // height (which its "more below" pill reads): one visit to let it settle.
                let _ = tree(&self.ui);
                *self.pages.borrow_mut() += 1;
                if dump_page.as_deref() == Some(what) && lang == "en" {
                    println!("== {what} {lang} {w}×{h}");
                    dump(&tree(&self.ui));
                }
                if std::env::var_os("LAYOUT_POINTS").is_some() {
                    let key = format!("{what} {lang} {w}x{h}");
                    let points = button_points(&self.ui);
                    self.points.borrow_mut().insert(key, points.into());
                }
                for p in problems(&self.ui) {
                    self.found
                        .borrow_mut()
                        .push(format!("{what} ({lang}, {w}×{h}): {p}"));
                }
            }
        }
        app.invoke_set_language("zh_CN".into());
        self.ui.w().window().set_size(LogicalSize::new(1280., 800.));
    }
}

/// Types a scanner burst (keys at once, no Enter), then lets the end-of-scan gap pass.
fn scan_burst(ui: &Ui, text: &str) {
    for c in text.chars() {
        let key: slint::SharedString = c.to_string().into();
        ui.w()
            .window()
            .dispatch_event(WindowEvent::KeyPressed { text: key.clone() });
        ui.w()
            .window()
            .dispatch_event(WindowEvent::KeyReleased { text: key });
    }
    i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(150));
}

/// The 5 openings with the longest English title and employer name together.
fn longest_openings(ui: &Ui) -> Vec<u16> {
    let k = ui.gui.kiosk.borrow();
    let fair = k.fair();
    let mut ids: Vec<(usize, u16)> = fair
        .openings
        .iter()
        .map(|o| {
            let employer = fair
                .employer(&o.employer)
                .and_then(|e| e.name_en.clone())
                .unwrap_or_default();
            let title = o.title_en.as_deref().unwrap_or(&o.title);
            (title.len() + employer.len(), o.id)
        })
        .collect();
    ids.sort_by(|a, b| b.cmp(a));
    ids.into_iter().take(5).map(|(_, id)| id).collect()
}

fn browsing(walk: &Walk, longest: u16) {
    let ui = &walk.ui;
    walk.check("home");
    // The phone form on: the QR tile beside the buttons, with the longest address a hotspot
    // gives (the QR of a 29-character URL is 37 modules: 8 px each with the quiet zone).
    let app = ui.w().global::<AppState>();
    app.set_phone_qr(slint::Image::from_rgb8(slint::SharedPixelBuffer::<
        slint::Rgb8Pixel,
    >::new(360, 360)));
    app.set_phone_url("http://192.168.100.100:8080/".into());
    walk.check("home-phone");
    app.set_phone_url("".into());
    ui.tap("关于");
    walk.check("about");
    ui.tap("返回");
    ui.tap("看岗位");
    walk.check("openings");
    ui.w()
        .global::<OpeningsAdapter>()
        .invoke_open(i32::from(longest));
    assert_eq!(ui.page(), Page::Opening);
    walk.check("opening");
    ui.tap("返回");
    ui.tap("首页");
    assert_eq!(ui.page(), Page::Home);
}

/// Registers with a 20-character name and the 5 longest openings; returns the ticket.
fn registering(walk: &Walk, openings: &[u16]) -> String {
    let ui = &walk.ui;
    let a = ui.w().global::<RegisterAdapter>();
    ui.tap("我要报名");
    walk.check("consent");
    a.set_consent_id(true);
    a.set_consent_share_phone(true);
    ui.tap("我同意");
    assert_eq!(ui.page(), Page::Phone);
    ui.keypad("1390000");
    walk.check("phone");
    ui.keypad("0301");
    assert_eq!(ui.page(), Page::ResidentId);
    let id = common::resident_id(301);
    ui.keypad(&id.as_str()[..17]);
    walk.check("resident-id");
    ui.keypad(&id.as_str()[17..]);
    if ui.page() == Page::ResidentId && !a.get_id_confirming() {
        ui.tap("下一步");
    }
    assert!(a.get_id_confirming());
    walk.check("resident-id-confirm");
    ui.tap("对，是我");
    assert_eq!(ui.page(), Page::Name);
    ui.find("姓名", AccessibleRole::TextInput)[0].set_accessible_value(LONG_NAME);
    walk.check("name");
    ui.tap("下一步");
    assert_eq!(ui.page(), Page::Place, "{:?}", a.get_name_error());
    walk.check("place");
    let (township, village) = {
        let k = ui.gui.kiosk.borrow();
        let t = &k.fair().places[0].townships[0];
        (t.name.clone(), t.villages[0].clone())
    };
    // 2.11: the three columns stay where they are when a township is picked (the village
    // column fills); they moved on main.
    let columns = |ui: &Ui| -> Vec<Rect> {
        ["县", "乡镇", "村"]
            .iter()
            .map(|h| Rect::of(&ui.find(h, AccessibleRole::Button)[0]))
            .collect()
    };
    let before = columns(ui);
    ui.tap(&township);
    assert_eq!(
        columns(ui),
        before,
        "the place columns moved when a township was picked"
    );
    walk.check("place-township");
    ui.tap(&village);
    if ui.page() == Page::Place {
        ui.tap("下一步");
    }
    assert_eq!(ui.page(), Page::Choose);
    for &o in openings {
        a.invoke_toggle_opening(i32::from(o));
    }
    assert_eq!(slint::Model::row_count(&a.get_chosen()), 5);
    walk.check("choose");
    ui.tap("下一步");
    assert_eq!(ui.page(), Page::Ride);
    walk.check("ride");
    // The departure with the longest English pickup point.
    let longest = {
        let k = ui.gui.kiosk.borrow();
        k.fair()
            .departures
            .iter()
            .max_by_key(|d| d.pickup_en.as_deref().unwrap_or_default().len())
            .unwrap()
            .id
            .clone()
    };
    ui.w().global::<RideAdapter>().invoke_choose(longest.into());
    assert_eq!(ui.page(), Page::Review);
    walk.check("review");
    ui.tap("确认并领取凭证");
    assert_eq!(ui.page(), Page::Ticket);
    walk.check("ticket");
    ui.tap("完成");
    assert_eq!(ui.page(), Page::Home);
    let db = ui.db();
    db.query_row("SELECT ticket FROM registrations", [], |r| r.get(0))
        .unwrap()
}

/// The same ID with another phone: the duplicate page; then the "I signed up already" pages.
fn coming_back(walk: &Walk) {
    let ui = &walk.ui;
    let a = ui.w().global::<RegisterAdapter>();
    ui.tap("我要报名");
    a.set_consent_id(true);
    ui.tap("我同意");
    ui.keypad("13900000302");
    ui.keypad(common::resident_id(301).as_str());
    if ui.page() == Page::ResidentId && !a.get_id_confirming() {
        ui.tap("下一步");
    }
    if a.get_id_confirming() {
        ui.tap("对，是我");
    }
    assert_eq!(ui.page(), Page::Duplicate);
    ui.keypad("12");
    walk.check("duplicate");
    ui.tap("取消");
    ui.tap("我已报过名");
    ui.keypad("13900000399");
    ui.tap("查找");
    assert_eq!(ui.page(), Page::ListLookup);
    walk.check("list-lookup");
    ui.tap("返回");
    assert_eq!(ui.page(), Page::Home);
}

fn on_a_list(walk: &Walk) {
    let ui = &walk.ui;
    let file = ui.dir.path().join("returning.csv");
    let employer = ui.gui.kiosk.borrow().fair().employers[0].name.clone();
    let csv = format!(
        "姓名,手机,身份证号,县,乡镇,村,企业\n{},{},{},从江县,高增乡,小黄村,{}\n",
        LONG_NAME,
        common::phone(371).as_str(),
        common::resident_id(371).as_str(),
        employer
    );
    std::fs::write(&file, csv).unwrap();
    ui.gui
        .kiosk
        .borrow_mut()
        .import_list(
            &file,
            jobfair_kiosk::domain::lists::ListKind::Returning,
            None,
        )
        .unwrap();
    ui.tap("我已报过名");
    ui.keypad(common::phone(371).as_str());
    ui.tap("查找");
    assert_eq!(ui.page(), Page::ListFound);
    walk.check("list-found");
    ui.tap("返回");
    if ui.page() != Page::Home {
        ui.tap("返回");
    }
    assert_eq!(ui.page(), Page::Home);
}

/// A booth of the employer with the most chosen openings, the villager's ticket scanned.
fn at_the_booth(walk: &Walk, ticket: &str, openings: &[u16]) {
    let ui = &walk.ui;
    let (employer, name) = {
        let k = ui.gui.kiosk.borrow();
        let fair = k.fair();
        let of = |id: &u16| {
            fair.openings
                .iter()
                .find(|o| o.id == *id)
                .unwrap()
                .employer
                .clone()
        };
        let mut best = of(&openings[0]);
        let mut n = 0;
        for id in openings {
            let e = of(id);
            let c = openings.iter().filter(|x| of(x) == e).count();
            if c > n {
                (best, n) = (e, c);
            }
        }
        let name = fair.employer(&best).unwrap().name.clone();
        (best, name)
    };
    let pin = ui.gui.kiosk.borrow_mut().add_booth(&employer).unwrap().pin;
    ui.tap("招聘摊位");
    walk.check("booth-login");
    ui.tap(&name);
    ui.keypad("0");
    walk.check("booth-pin");
    ui.tap("删除");
    ui.keypad(&pin);
    ui.tap("确定");
    assert_eq!(ui.page(), Page::BoothScan);
    ui.keypad_code("ABC");
    walk.check("booth-scan");
    scan_burst(ui, ticket);
    assert_eq!(ui.page(), Page::BoothCandidate);
    walk.check("booth-candidate");
    // 录用: the seat offer over the card (the villager's own departure ticked), then the
    // card with the ride line.
    ui.tap("已录用");
    assert!(ui.w().global::<BoothAdapter>().get_ride_offer());
    walk.check("booth-ride-offer");
    ui.tap("不坐车");
    walk.check("booth-candidate-ride");
    ui.tap("备注");
    walk.check("booth-note");
    ui.tap("今日求职者");
    assert_eq!(ui.page(), Page::BoothList);
    walk.check("booth-list");
    ui.tap("返回扫码");
    ui.tap("退出摊位");
    assert_eq!(ui.page(), Page::Home);
}

/// The villager's ticket scanned at the home screen: the check-in message and the fair's name.
fn checking_in(walk: &Walk, ticket: &str) {
    let ui = &walk.ui;
    assert_eq!(ui.page(), Page::Home);
    scan_burst(ui, ticket);
    assert!(
        !ui.find("签到", AccessibleRole::Text).is_empty(),
        "the check-in message is shown"
    );
    walk.check("home-check-in");
    i_slint_backend_testing::mock_elapsed_time(Duration::from_secs(30));
}

/// The staff's unlock page (issue 17): choosing the passphrase (two fields, the keyboard)
/// and typing it after a restart, with the longest messages.
fn unlocking(walk: &Walk) {
    use jobfair_kiosk::gui::{AppState, LockAdapter, LockMessage};
    let ui = &walk.ui;
    let l = ui.w().global::<LockAdapter>();
    ui.w().global::<AppState>().set_page(Page::Unlock);
    l.set_first_time(true);
    l.set_passphrase("春风行动返岗招聘会的工作人员口令很长很长".into());
    l.set_repeat("春风行动返岗招聘会的工作人员口令很长很长".into());
    l.set_show_text(true);
    l.set_message(LockMessage::Differ);
    walk.check("unlock-first");
    l.set_first_time(false);
    l.set_message(LockMessage::Failed);
    l.set_detail(
        "/var/lib/jobfair-kiosk/keys/seal-keyring.json: 密钥文件无法读取 / the keyring cannot be read: expected value at line 1 column 1".into(),
    );
    walk.check("unlock");
    l.set_message(LockMessage::None);
    l.set_passphrase("".into());
    l.set_repeat("".into());
    l.set_show_text(false);
    ui.w().global::<AppState>().set_page(Page::Home);
}

fn staff(walk: &Walk) {
    let ui = &walk.ui;
    ui.gui.kiosk.borrow_mut().set_staff_pin("2468").unwrap();
    ui.tap("工作人员");
    assert_eq!(ui.page(), Page::Pin);
    ui.keypad("1111");
    ui.tap("确定");
    walk.check("pin-wrong");
    ui.keypad("2468");
    ui.tap("确定");
    assert_eq!(ui.page(), Page::Staff);
    walk.check("staff");
    departures(walk);
    ui.tap("导出");
    walk.check("staff-export");
    ui.find("关闭", AccessibleRole::Button)
        .last()
        .unwrap()
        .invoke_accessible_default_action();
    ui.tap("导入岗位");
    walk.check("staff-import");
    ui.find("关闭", AccessibleRole::Button)
        .last()
        .unwrap()
        .invoke_accessible_default_action();
    // "清除本场数据": the warning with unconfirmed records and the tick, then its longest
    // outcome (a storage failure).
    ui.tap("清除本场数据");
    let p = ui.w().global::<jobfair_kiosk::gui::StaffPanel>();
    assert!(p.get_purge_unconfirmed() > 0);
    p.set_purge_accept_loss(true);
    walk.check("staff-purge");
    ui.find("继续", AccessibleRole::Button)
        .last()
        .unwrap()
        .invoke_accessible_default_action();
    assert!(p.get_purge_pin_stage());
    walk.check("staff-purge-pin");
    p.set_purge_state(jobfair_kiosk::gui::PurgeState::Failed);
    walk.check("staff-purge-failed");
    p.set_purge_pin_stage(false);
    p.set_purge_state(jobfair_kiosk::gui::PurgeState::MoreUnconfirmed);
    walk.check("staff-purge-more");
    ui.find("取消", AccessibleRole::Button)
        .last()
        .unwrap()
        .invoke_accessible_default_action();
    ui.tap("关闭报名程序");
    assert_eq!(ui.page(), Page::Pin);
    walk.check("pin-exit");
    ui.tap("取消");
}

/// The staff's departures, the passenger-list export, and the bus door with the villager
/// registered above (seated on the departure with the longest pickup point): boarded, the
/// no-show list, a forged ticket refused.
fn departures(walk: &Walk) {
    let ui = &walk.ui;
    let d = ui.w().global::<DeparturesAdapter>();
    ui.tap("已分座");
    assert_eq!(ui.page(), Page::Departures);
    walk.check("departures");
    // As a boarding device shows it (boarding kit): the departures, Boarding only.
    d.set_door_only(true);
    walk.check("departures-door");
    d.set_door_only(false);
    let (seated, ticket): (String, String) = ui
        .db()
        .query_row(
            "SELECT s.departure_id, r.ticket FROM seat_requests s \
             JOIN registrations r ON r.id = s.registration_id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    d.invoke_open_export(seated.clone().into());
    walk.check("departures-export");
    ui.find("关闭", AccessibleRole::Button)
        .last()
        .unwrap()
        .invoke_accessible_default_action();
    d.invoke_board(seated.clone().into());
    assert_eq!(ui.page(), Page::Boarding);
    walk.check("boarding");
    scan_burst(ui, &ticket);
    assert_eq!(
        ui.w().global::<BoardingAdapter>().get_result(),
        BoardResult::Boarded
    );
    walk.check("boarding-boarded");
    scan_burst(ui, &ticket.replace('A', "B"));
    walk.check("boarding-refused");
    ui.tap("谁还没上车？");
    walk.check("boarding-no-shows");
    ui.tap("返回扫码");
    ui.tap("其他车次");
    assert_eq!(ui.page(), Page::Departures);
    // The passenger view, the move sheet with a departure picked, and the refusal for a
    // villager already on board.
    d.invoke_open_passengers(seated.into());
    assert_eq!(ui.page(), Page::Passengers);
    walk.check("passengers");
    let first = slint::Model::row_data(&d.get_passengers(), 0).unwrap();
    d.invoke_pick_passenger(first.registration);
    walk.check("passengers-move");
    let target = slint::Model::row_data(&d.get_targets(), 0).unwrap().id;
    d.invoke_pick_target(target);
    walk.check("passengers-move-picked");
    ui.tap("换到这个车次");
    assert_eq!(d.get_move_result(), jobfair_kiosk::gui::MoveResult::Boarded);
    walk.check("passengers-not-moved");
    ui.tap("返回车次列表");
    assert_eq!(ui.page(), Page::Departures);
    ui.tap("返回管理面板");
    assert_eq!(ui.page(), Page::Staff);
}

fn idle(walk: &Walk) {
    let ui = &walk.ui;
    if ui.page() != Page::Home {
        ui.w().global::<AppState>().invoke_go_home();
    }
    ui.tap("我要报名");
    ui.tap("我同意");
    ui.keypad("1390000");
    i_slint_backend_testing::mock_elapsed_time(Duration::from_secs(50));
    assert!(ui.w().global::<AppState>().get_idle_warning());
    walk.check("idle");
    ui.tap("继续");
    ui.tap("取消");
}

trait CodeKeys {
    fn keypad_code(&self, keys: &str);
}

impl CodeKeys for Ui {
    fn keypad_code(&self, keys: &str) {
        for k in keys.chars() {
            self.tap(&k.to_string());
        }
    }
}

#[test]
fn every_page_fits_in_both_languages_at_every_size() {
    assert_eq!(LONG_NAME.chars().count(), 20);
    let walk = Walk {
        ui: Ui::start(),
        found: RefCell::new(Vec::new()),
        pages: RefCell::new(0),
        points: RefCell::new(serde_json::Map::new()),
    };
    let openings = longest_openings(&walk.ui);
    browsing(&walk, openings[0]);
    let ticket = registering(&walk, &openings);
    coming_back(&walk);
    on_a_list(&walk);
    at_the_booth(&walk, &ticket, &openings);
    checking_in(&walk, &ticket);
    unlocking(&walk);
    staff(&walk);
    idle(&walk);
    if let Some(file) = std::env::var_os("LAYOUT_POINTS") {
        let points = serde_json::Value::Object(walk.points.take());
        std::fs::write(file, serde_json::to_string_pretty(&points).unwrap()).unwrap();
    }
    let found = walk.found.borrow();
    for f in found.iter() {
        println!("{f}");
    }
    assert!(
        found.is_empty(),
        "{} layout problems on {} page views (listed above)",
        found.len(),
        walk.pages.borrow()
    );
}
