//! The openings list and an opening's detail page.

use super::{AppState, Ctx, OpeningCard, OpeningDetail, OpeningsAdapter, Page};
use crate::domain::fair::{Benefit, FairFile, Opening, Trade};
use crate::domain::opening_filter::{Filter, OpeningIndex, Sort};
use slint::{ComponentHandle, ModelRc, VecModel};
use std::rc::Rc;

/// The search index of the fair's openings (rebuilt when the fair changes).
pub(crate) struct Openings {
    index: std::cell::RefCell<OpeningIndex>,
}

impl Openings {
    pub fn new(fair: &FairFile) -> Self {
        Openings {
            index: std::cell::RefCell::new(OpeningIndex::new(fair)),
        }
    }

    /// Rebuilds the index after the fair's openings changed (import, pull from the base).
    pub fn reload(&self, fair: &FairFile) {
        *self.index.borrow_mut() = OpeningIndex::new(fair);
    }
}

/// The text of a fair field in the UI language: the `_en` variant when English is on and present.
pub(crate) fn pick<'a>(en: bool, zh: &'a str, en_text: Option<&'a String>) -> &'a str {
    match en_text {
        Some(t) if en && !t.is_empty() => t,
        _ => zh,
    }
}

/// A card for one opening (display text chosen by language; numbers and enums stay numbers).
pub(crate) fn card(fair: &FairFile, o: &Opening, en: bool, chosen: bool) -> OpeningCard {
    let employer = fair.employers.iter().find(|e| e.id == o.employer);
    OpeningCard {
        id: i32::from(o.id),
        title: pick(en, &o.title, o.title_en.as_ref()).into(),
        employer: employer
            .map(|e| pick(en, &e.name, e.name_en.as_ref()))
            .unwrap_or("")
            .into(),
        trade: o.trade.index() as i32,
        wage_min: o.wage_min as i32,
        wage_max: o.wage_max as i32,
        headcount: o.headcount as i32,
        benefits: ModelRc::new(VecModel::from(
            o.benefits
                .iter()
                .map(|b| b.index() as i32)
                .collect::<Vec<_>>(),
        )),
        chosen,
    }
}

fn detail(fair: &FairFile, o: &Opening, en: bool) -> OpeningDetail {
    let employer = fair.employers.iter().find(|e| e.id == o.employer);
    let c = card(fair, o, en, false);
    OpeningDetail {
        id: c.id,
        title: c.title,
        employer: c.employer,
        employer_city: employer
            .map(|e| {
                if en {
                    e.city_in_english()
                } else {
                    e.city.clone()
                }
            })
            .unwrap_or_default()
            .into(),
        employer_industry: employer
            .map(|e| {
                if en {
                    e.industry_in_english()
                } else {
                    e.industry.clone()
                }
            })
            .unwrap_or_default()
            .into(),
        employer_description: employer
            .map(|e| pick(en, &e.description, e.description_en.as_ref()))
            .unwrap_or("")
            .into(),
        trade: c.trade,
        headcount: c.headcount,
        wage_min: c.wage_min,
        wage_max: c.wage_max,
        benefits: c.benefits,
        age_min: o.age_min.map_or(0, i32::from),
        age_max: o.age_max.map_or(0, i32::from),
        skills: pick(en, &o.skills, o.skills_en.as_ref()).into(),
        work_place: if en {
            o.work_place_in_english()
        } else {
            o.work_place.clone()
        }
        .into(),
        shift: o.shift.index() as i32,
    }
}

fn current_filter(a: &OpeningsAdapter) -> Filter {
    let idx = |i: i32, len: usize| usize::try_from(i).ok().filter(|&i| i < len);
    Filter {
        trade: idx(a.get_trade_filter(), Trade::ALL.len()).map(|i| Trade::ALL[i]),
        benefit: idx(a.get_benefit_filter(), Benefit::ALL.len()).map(|i| Benefit::ALL[i]),
        text: String::new(),
        sort: match a.get_sort() {
            1 => Sort::WageHighFirst,
            2 => Sort::WageLowFirst,
            _ => Sort::FileOrder,
        },
    }
}

/// Recomputes the visible cards from the filter (each filter tap, each language switch).
pub(crate) fn refresh(ctx: &Ctx) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let a = window.global::<OpeningsAdapter>();
    let kiosk = ctx.kiosk.borrow();
    let fair = kiosk.fair();
    let en = ctx.lang_en();
    let cards: Vec<OpeningCard> = ctx
        .openings
        .index
        .borrow()
        .apply(&current_filter(&a))
        .into_iter()
        .map(|i| card(fair, &fair.openings[i], en, false))
        .collect();
    a.set_openings(ModelRc::new(VecModel::from(cards)));
    a.set_total(fair.openings.len() as i32);
    let mut present: Vec<i32> = fair
        .openings
        .iter()
        .map(|o| o.trade.index() as i32)
        .collect();
    present.sort_unstable();
    present.dedup();
    a.set_trades_present(ModelRc::new(VecModel::from(present)));
}

/// Shows the open opening's page again (a language switch).
pub(crate) fn refresh_detail(ctx: &Ctx) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    if window.global::<AppState>().get_page() != Page::Opening {
        return;
    }
    let a = window.global::<OpeningsAdapter>();
    let kiosk = ctx.kiosk.borrow();
    let fair = kiosk.fair();
    let id = a.get_detail().id;
    if let Some(o) = fair.openings.iter().find(|o| i32::from(o.id) == id) {
        a.set_detail(detail(fair, o, ctx.lang_en()));
    }
}

pub(crate) fn clear_filters(ctx: &Ctx) {
    if let Some(window) = ctx.window.upgrade() {
        let a = window.global::<OpeningsAdapter>();
        a.set_trade_filter(-1);
        a.set_benefit_filter(-1);
        a.set_sort(0);
    }
}

pub(crate) fn connect(ctx: &Rc<Ctx>) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let a = window.global::<OpeningsAdapter>();
    {
        let ctx = ctx.clone();
        a.on_filter_changed(move || refresh(&ctx));
    }
    {
        let ctx = ctx.clone();
        a.on_open(move |id| {
            let Some(window) = ctx.window.upgrade() else {
                return;
            };
            let kiosk = ctx.kiosk.borrow();
            let fair = kiosk.fair();
            let Some(o) = fair.openings.iter().find(|o| i32::from(o.id) == id) else {
                return;
            };
            let en = ctx.lang_en();
            window
                .global::<OpeningsAdapter>()
                .set_detail(detail(fair, o, en));
            window.global::<AppState>().set_page(Page::Opening);
        });
    }
    {
        let ctx = ctx.clone();
        a.on_register_for(move |id| super::register_adapter::start(&ctx, u16::try_from(id).ok()));
    }
    {
        let ctx = ctx.clone();
        window.on_start_registration(move |_| super::register_adapter::start(&ctx, None));
    }
}
