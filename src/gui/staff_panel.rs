//! The staff panel: today's counts, the upload status, export, openings import.
//! Long work (export) runs on its own thread with its own store connection and
//! reports progress back through `upgrade_in_event_loop`.

use super::staff_files::{import_file, open_export, open_import};
use super::{AppState, AppWindow, Ctx, StaffDialog, StaffPanel, StatRow};
use crate::app::stats::DayStats;
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};
use std::rc::Rc;

pub(crate) fn connect(ctx: &Rc<Ctx>) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let p = window.global::<StaffPanel>();
    {
        let ctx = ctx.clone();
        p.on_refresh(move || refresh(&ctx));
    }
    {
        let ctx = ctx.clone();
        p.on_open_import(move || open_import(&ctx));
    }
    {
        let ctx = ctx.clone();
        p.on_import_file(move |i| import_file(&ctx, i));
    }
    {
        let ctx = ctx.clone();
        p.on_open_export(move || open_export(&ctx));
    }
    {
        let ctx = ctx.clone();
        p.on_start_export(move || super::staff_export::start(&ctx));
    }
    {
        let ctx = ctx.clone();
        p.on_upload_now(move || super::staff_export::upload_now(&ctx));
    }
    {
        let ctx = ctx.clone();
        p.on_open_parked(move || super::staff_export::open_parked(&ctx));
    }
}

/// Closes any staff dialog (the idle reset and "back to the kiosk").
pub(crate) fn clear(window: &AppWindow) {
    let p = window.global::<StaffPanel>();
    p.set_dialog(StaffDialog::None);
    p.set_export_pin(SharedString::default());
    p.set_export_unmasked(false);
    p.set_purge_pin(SharedString::default());
    p.set_purge_accept_loss(false);
    p.set_purge_pin_stage(false);
}

/// Reloads today's counts into the panel.
pub(crate) fn refresh(ctx: &Ctx) {
    let Some(window) = ctx.window.upgrade() else {
        return;
    };
    let stats = ctx.kiosk.borrow().today_stats();
    match stats {
        Ok(stats) => show_stats(ctx, &window, &stats),
        Err(e) => eprintln!("staff panel counts: {e}"),
    }
    super::staff_export::show_upload_status(ctx, &window);
    super::transport_staff::refresh(ctx);
    super::phone_adapter::show(ctx, &window);
}

fn show_stats(ctx: &Ctx, window: &AppWindow, s: &DayStats) {
    let p = window.global::<StaffPanel>();
    let int = |n: u64| i32::try_from(n).unwrap_or(i32::MAX);
    p.set_day(s.day.format("%Y-%m-%d").to_string().into());
    p.set_today(int(s.signups_today));
    p.set_total(int(s.signups_total));
    p.set_check_ins(int(s.check_ins));
    let hours: Vec<i32> = s.per_hour.iter().map(|&n| int(n)).collect();
    p.set_per_hour_max(hours.iter().copied().max().unwrap_or(0).max(1));
    p.set_per_hour(ModelRc::new(VecModel::from(hours)));
    let en = ctx.lang_en();
    let kiosk = ctx.kiosk.borrow();
    let fair = kiosk.fair();
    let opening_rows: Vec<StatRow> = s
        .per_opening
        .iter()
        .map(|&(id, n)| {
            let label = fair
                .openings
                .iter()
                .find(|o| o.id == id)
                .map(|o| {
                    let title = if en {
                        o.title_en.as_deref().unwrap_or(&o.title)
                    } else {
                        &o.title
                    };
                    let employer = fair
                        .employers
                        .iter()
                        .find(|e| e.id == o.employer)
                        .map(|e| {
                            if en {
                                e.name_en.as_deref().unwrap_or(&e.name)
                            } else {
                                &e.name
                            }
                        })
                        .unwrap_or("");
                    format!("{title} · {employer}")
                })
                .unwrap_or_else(|| format!("#{id}"));
            StatRow {
                label: label.into(),
                count: int(n),
            }
        })
        .collect();
    let village_rows: Vec<StatRow> = s
        .per_village
        .iter()
        .map(|(place, n)| StatRow {
            label: [
                super::place_names::township(fair, &place.township, en),
                super::place_names::village(fair, &place.township, &place.village, en),
            ]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(if en { ", " } else { " " })
            .into(),
            count: int(*n),
        })
        .collect();
    let row_max = opening_rows
        .iter()
        .chain(village_rows.iter())
        .map(|r| r.count)
        .max()
        .unwrap_or(0)
        .max(1);
    p.set_per_row_max(row_max);
    p.set_per_opening(ModelRc::new(VecModel::from(opening_rows)));
    p.set_per_village(ModelRc::new(VecModel::from(village_rows)));
    let funnel: Vec<i32> = s.funnel.iter().map(|&n| int(n)).collect();
    p.set_funnel_max(funnel.iter().copied().max().unwrap_or(0).max(1));
    p.set_funnel(ModelRc::new(VecModel::from(funnel)));
    window
        .global::<AppState>()
        .set_pending_uploads(int(s.pending_uploads));
    p.set_pending(int(s.pending_uploads));
}
