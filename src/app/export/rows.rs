//! The store's rows as export rows: masking, local times, employer names.

use crate::domain::fair::FairFile;
use crate::export::{self, Rows, Sheet, Value, sheets};
use crate::store::registrations::Numbers;
use crate::store::{self, export_rows};
use chrono::{DateTime, Local, SecondsFormat};
use rusqlite::Connection;
use std::borrow::Cow;
use std::collections::HashMap;

/// Employer name and title of each opening of the fair.
pub(super) struct OpeningNames<'f>(HashMap<i64, (&'f str, &'f str)>);

impl<'f> OpeningNames<'f> {
    pub(super) fn of(fair: &'f FairFile) -> OpeningNames<'f> {
        OpeningNames(
            fair.openings
                .iter()
                .map(|o| {
                    let employer = fair.employer(&o.employer).map_or("", |e| e.name.as_str());
                    (i64::from(o.id), (employer, o.title.as_str()))
                })
                .collect(),
        )
    }

    /// Employer names of `"101;102"`, each once, joined with `;`.
    fn employers(&self, openings: &str) -> String {
        let mut names: Vec<&str> = Vec::new();
        for id in openings.split(';').filter_map(|s| s.parse::<i64>().ok()) {
            if let Some((name, _)) = self.0.get(&id).filter(|(n, _)| !names.contains(n)) {
                names.push(name);
            }
        }
        names.join(";")
    }
}

/// A writer's error or the store's, while walking the store's rows.
enum Stop {
    Store(store::Error),
    Export(export::Error),
}

impl From<store::Error> for Stop {
    fn from(e: store::Error) -> Self {
        Stop::Store(e)
    }
}

impl From<Stop> for export::Error {
    fn from(stop: Stop) -> Self {
        match stop {
            Stop::Store(e) => export::Error::Source(Box::new(e)),
            Stop::Export(e) => e,
        }
    }
}

/// UTC RFC 3339 from the store as local time with its offset.
fn local_time(utc: &str) -> Cow<'_, str> {
    match DateTime::parse_from_rfc3339(utc) {
        Ok(t) => Cow::Owned(
            t.with_timezone(&Local)
                .to_rfc3339_opts(SecondsFormat::Secs, false),
        ),
        Err(_) => Cow::Borrowed(utc),
    }
}

pub(super) struct SignUpRows<'a> {
    pub(super) conn: &'a Connection,
    pub(super) fair: &'a FairFile,
    pub(super) names: &'a OpeningNames<'a>,
    /// `None`: masked; else the unlocked keyring that opens the whole numbers.
    pub(super) secrets: Option<&'a crate::seal::Unlocked>,
    pub(super) total: u64,
}

impl Rows for SignUpRows<'_> {
    fn sheet(&self) -> &'static Sheet {
        &sheets::SIGN_UPS
    }

    fn total(&self) -> u64 {
        self.total
    }

    fn each(
        &mut self,
        emit: &mut dyn FnMut(&[Value<'_>]) -> export::Result<()>,
    ) -> export::Result<()> {
        let secrets = self.secrets;
        export_rows::for_each_sign_up(self.conn, &self.fair.fair.id, |s| {
            let (phone, resident_id) = match secrets {
                None => (s.numbers.phone_masked(), s.numbers.resident_id_masked()),
                Some(secrets) => {
                    let whole = match &s.numbers {
                        Numbers::Sealed(sealed) => secrets
                            .open(&sealed.sealed.clone().into())
                            .map_err(|e| Stop::Export(export::Error::Source(Box::new(e))))?,
                        Numbers::Legacy { phone, resident_id } => crate::seal::Personal {
                            phone: phone.clone(),
                            resident_id: resident_id.clone(),
                        },
                    };
                    (whole.phone.clone(), whole.resident_id.clone())
                }
            };
            let (phone, resident_id) = (
                Value::Text(phone.into()),
                resident_id.map_or(Value::Empty, |id| Value::Text(id.into())),
            );
            let row = [
                Value::text(s.short_code),
                Value::Text(local_time(s.created_at)),
                Value::text(s.name),
                phone,
                resident_id,
                s.birth_date.map_or(Value::Empty, Value::text),
                s.sex.map_or(Value::Empty, sheets::sex),
                Value::text(s.county),
                Value::text(s.township),
                Value::text(s.village),
                Value::text(s.openings),
                Value::Text(self.names.employers(s.openings).into()),
                sheets::yes_no(s.share_phone),
                Value::text(s.kiosk_id),
                Value::text(s.source),
                Value::text(s.id),
            ];
            emit(&row).map_err(Stop::Export)
        })
        .map_err(export::Error::from)
    }
}

pub(super) struct StageRows<'a> {
    pub(super) conn: &'a Connection,
    pub(super) fair: &'a FairFile,
    pub(super) names: &'a OpeningNames<'a>,
    pub(super) total: u64,
}

impl Rows for StageRows<'_> {
    fn sheet(&self) -> &'static Sheet {
        &sheets::BOOTH_STAGES
    }

    fn total(&self) -> u64 {
        self.total
    }

    fn each(
        &mut self,
        emit: &mut dyn FnMut(&[Value<'_>]) -> export::Result<()>,
    ) -> export::Result<()> {
        export_rows::for_each_stage_event(self.conn, &self.fair.fair.id, |e| {
            let employer = self
                .fair
                .employer(e.employer)
                .map_or(e.employer, |found| found.name.as_str());
            let title = self.names.0.get(&e.opening_id).map_or("", |(_, t)| t);
            let row = [
                Value::Text(local_time(e.at)),
                Value::text(employer),
                Value::Int(e.opening_id),
                Value::text(title),
                Value::text(e.short_code),
                Value::text(e.name),
                sheets::stage(e.stage),
                Value::text(e.note),
                Value::text(e.registration_id),
                Value::text(e.id),
            ];
            emit(&row).map_err(Stop::Export)
        })
        .map_err(export::Error::from)
    }
}

/// The per-opening summary, small enough to hold: every opening of the fair in
/// file order, then any other opening id that has sign-ups or stages.
pub(super) struct OpeningRows(Vec<(i64, String, String, Option<u32>, export_rows::OpeningCounts)>);

pub(super) fn opening_rows(conn: &Connection, fair: &FairFile) -> store::Result<OpeningRows> {
    let mut counts = export_rows::opening_counts(conn, &fair.fair.id)?;
    let mut rows = Vec::with_capacity(fair.openings.len());
    for o in &fair.openings {
        let employer = fair.employer(&o.employer).map_or("", |e| e.name.as_str());
        let c = counts.remove(&i64::from(o.id)).unwrap_or_default();
        rows.push((
            i64::from(o.id),
            employer.into(),
            o.title.clone(),
            Some(o.headcount),
            c,
        ));
    }
    rows.extend(
        counts
            .into_iter()
            .map(|(id, c)| (id, String::new(), String::new(), None, c)),
    );
    Ok(OpeningRows(rows))
}

impl Rows for OpeningRows {
    fn sheet(&self) -> &'static Sheet {
        &sheets::PER_OPENING
    }

    fn total(&self) -> u64 {
        self.0.len() as u64
    }

    fn each(
        &mut self,
        emit: &mut dyn FnMut(&[Value<'_>]) -> export::Result<()>,
    ) -> export::Result<()> {
        let n = |v: u64| Value::Int(i64::try_from(v).unwrap_or(i64::MAX));
        for (id, employer, title, headcount, c) in &self.0 {
            let [interested, interviewed, offered, hired, declined] = c.stages;
            emit(&[
                Value::Int(*id),
                Value::text(employer),
                Value::text(title),
                headcount.map_or(Value::Empty, |h| Value::Int(h.into())),
                n(c.sign_ups),
                n(interested),
                n(interviewed),
                n(offered),
                n(hired),
                n(declined),
            ])?;
        }
        Ok(())
    }
}
