//! A booth candidate as the booth pages show it: stages as the Slint enum, titles and the
//! township in the UI language, the age on the fair's day.

use super::openings_adapter::pick;
use super::{BoothStage, CandidateItem, Ctx, Sex as UiSex, StageSlot};
use crate::app::booth::Candidate;
use crate::domain::sex::Sex;
use crate::domain::stage::Stage;
use chrono::Local;
use slint::{ModelRc, VecModel};

pub(crate) fn ui_stage(s: Option<Stage>) -> BoothStage {
    match s {
        None => BoothStage::None,
        Some(Stage::Interested) => BoothStage::Interested,
        Some(Stage::Interviewed) => BoothStage::Interviewed,
        Some(Stage::Offered) => BoothStage::Offered,
        Some(Stage::Hired) => BoothStage::Hired,
        Some(Stage::Declined) => BoothStage::Declined,
    }
}

pub(crate) fn domain_stage(s: BoothStage) -> Option<Stage> {
    Some(match s {
        BoothStage::None => return None,
        BoothStage::Interested => Stage::Interested,
        BoothStage::Interviewed => Stage::Interviewed,
        BoothStage::Offered => Stage::Offered,
        BoothStage::Hired => Stage::Hired,
        BoothStage::Declined => Stage::Declined,
    })
}

pub(crate) fn item(ctx: &Ctx, c: &Candidate) -> CandidateItem {
    let en = ctx.lang_en();
    let kiosk = ctx.kiosk.borrow();
    let fair = kiosk.fair();
    let stages: Vec<StageSlot> = c
        .openings
        .iter()
        .map(|o| StageSlot {
            opening_id: i32::from(o.opening_id),
            title: fair
                .opening(o.opening_id)
                .map(|op| pick(en, &op.title, op.title_en.as_ref()).to_string())
                .unwrap_or_else(|| o.opening_id.to_string())
                .into(),
            stage: ui_stage(o.stage),
            note: o.note.as_str().into(),
        })
        .collect();
    CandidateItem {
        registration: c.registration_id.to_string().into(),
        name: c.card.name.as_str().into(),
        age_low: c.age.map_or(-1, |a| i32::from(a.low)),
        age_high: c.age.map_or(-1, |a| i32::from(a.high)),
        sex: match c.card.sex {
            None => UiSex::Unknown,
            Some(Sex::Male) => UiSex::Male,
            Some(Sex::Female) => UiSex::Female,
        },
        township: super::place_names::township(fair, &c.card.township, en).into(),
        phone: c.card.phone.clone().unwrap_or_default().into(),
        seen: c
            .last_seen_at
            .with_timezone(&Local)
            .format("%H:%M")
            .to_string()
            .into(),
        stages: ModelRc::new(VecModel::from(stages)),
    }
}
