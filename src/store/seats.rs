//! Table `seat_requests`: who asked for a seat on which departure, and what they got.
//! One live (not cancelled) request per sign-up and fair; the rules (capacity, waitlist
//! order, promotion) live in `app::transport`.

use super::{Error, Result, outbox};
use crate::domain::records::{RecordKind, SeatRecord};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
use std::collections::HashMap;
use uuid::Uuid;

/// The state of a request as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Asked for a ride, no departure chosen yet.
    Requested,
    Assigned,
    Waitlisted,
    Cancelled,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Requested => "requested",
            State::Assigned => "assigned",
            State::Waitlisted => "waitlisted",
            State::Cancelled => "cancelled",
        }
    }

    fn parse(s: &str) -> Option<State> {
        [
            State::Requested,
            State::Assigned,
            State::Waitlisted,
            State::Cancelled,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
}

/// One row of `seat_requests`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeatRow {
    pub id: Uuid,
    pub fair_id: String,
    pub registration_id: Uuid,
    pub departure_id: Option<String>,
    pub employer: Option<String>,
    pub state: State,
    pub seat: Option<u32>,
    pub queue: i64,
    pub requested_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub source: String,
}

const COLUMNS: &str = "id, fair_id, registration_id, departure_id, employer, state, seat, queue, \
                       requested_at, updated_at, source";

fn time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn corrupt(column: &'static str, value: String) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(Error::Corrupt {
        table: "seat_requests",
        column,
        value,
    }))
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<SeatRow> {
    let uuid = |i: usize, column| -> rusqlite::Result<Uuid> {
        let s: String = r.get(i)?;
        Uuid::parse_str(&s).map_err(|_| corrupt(column, s))
    };
    let when = |i: usize, column| -> rusqlite::Result<DateTime<Utc>> {
        let s: String = r.get(i)?;
        DateTime::parse_from_rfc3339(&s)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| corrupt(column, s))
    };
    let state: String = r.get(5)?;
    Ok(SeatRow {
        id: uuid(0, "id")?,
        fair_id: r.get(1)?,
        registration_id: uuid(2, "registration_id")?,
        departure_id: r.get(3)?,
        employer: r.get(4)?,
        state: State::parse(&state).ok_or_else(|| corrupt("state", state.clone()))?,
        seat: r.get(6)?,
        queue: r.get(7)?,
        requested_at: when(8, "requested_at")?,
        updated_at: when(9, "updated_at")?,
        source: r.get(10)?,
    })
}

/// The record the base gets for `row` as it now stands (its `updated_at` is the time).
pub fn record(row: &SeatRow, kiosk_id: &str) -> SeatRecord {
    SeatRecord {
        request_id: row.id.to_string(),
        registration_id: row.registration_id.to_string(),
        fair_id: row.fair_id.clone(),
        kiosk_id: kiosk_id.to_string(),
        departure_id: row.departure_id.clone(),
        employer: row.employer.clone(),
        state: row.state.as_str().to_string(),
        seat: row.seat,
        source: row.source.clone(),
        at: time(row.updated_at),
    }
}

/// Enqueues `row` as it now stands for the base (same transaction as the write).
fn enqueue(conn: &Connection, row: &SeatRow, kiosk_id: &str) -> Result<()> {
    outbox::enqueue(
        conn,
        Uuid::now_v7(),
        RecordKind::Seat,
        &record(row, kiosk_id),
        row.updated_at,
    )
}

/// Inserts a new request and enqueues it for the base (`kiosk_id`: this device).
pub fn insert(conn: &Connection, row: &SeatRow, kiosk_id: &str) -> Result<()> {
    insert_row(conn, row)?;
    enqueue(conn, row, kiosk_id)
}

/// Removes the requests a boarding kit installed (source `kit`) before a newer kit's.
pub fn remove_from_kit(conn: &Connection, fair_id: &str) -> Result<usize> {
    Ok(conn.execute(
        "DELETE FROM seat_requests WHERE fair_id = ?1 AND source = 'kit'",
        [fair_id],
    )?)
}

/// Inserts a request given by another device (a boarding kit's seat list): not a record
/// of this device, so nothing is enqueued.
pub fn insert_row(conn: &Connection, row: &SeatRow) -> Result<()> {
    conn.prepare_cached(&format!(
        "INSERT INTO seat_requests ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    ))?
    .execute(params![
        row.id.to_string(),
        row.fair_id,
        row.registration_id.to_string(),
        row.departure_id,
        row.employer,
        row.state.as_str(),
        row.seat,
        row.queue,
        time(row.requested_at),
        time(row.updated_at),
        row.source,
    ])?;
    Ok(())
}

/// Writes the departure, state, seat and queue of request `id`, and enqueues the new
/// state for the base.
pub fn update(conn: &Connection, row: &SeatRow, kiosk_id: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE seat_requests SET departure_id = ?2, state = ?3, seat = ?4, queue = ?5,
                updated_at = ?6, source = ?7, employer = ?8
          WHERE id = ?1",
    )?
    .execute(params![
        row.id.to_string(),
        row.departure_id,
        row.state.as_str(),
        row.seat,
        row.queue,
        time(row.updated_at),
        row.source,
        row.employer,
    ])?;
    enqueue(conn, row, kiosk_id)
}

/// The live (not cancelled) request of a sign-up, if any.
pub fn live(conn: &Connection, fair_id: &str, registration_id: Uuid) -> Result<Option<SeatRow>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM seat_requests
              WHERE fair_id = ?1 AND registration_id = ?2 AND state <> 'cancelled'"
        ))?
        .query_row(params![fair_id, registration_id.to_string()], from_row)
        .optional()?)
}

/// The next queue number of the fair (one more than any given so far).
pub fn next_queue(conn: &Connection, fair_id: &str) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT coalesce(max(queue), 0) + 1 FROM seat_requests WHERE fair_id = ?1")?
        .query_row([fair_id], |r| r.get(0))?)
}

/// Seat numbers taken on a departure, ascending.
pub fn taken_seats(conn: &Connection, fair_id: &str, departure_id: &str) -> Result<Vec<u32>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seat FROM seat_requests
          WHERE fair_id = ?1 AND departure_id = ?2 AND seat IS NOT NULL ORDER BY seat",
    )?;
    let rows = stmt.query_map([fair_id, departure_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Requests of one state on a departure: assigned ones by seat, others by queue.
pub fn on_departure(
    conn: &Connection,
    fair_id: &str,
    departure_id: &str,
    state: State,
) -> Result<Vec<SeatRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM seat_requests
          WHERE fair_id = ?1 AND departure_id = ?2 AND state = ?3
          ORDER BY coalesce(seat, 0), queue"
    ))?;
    let rows = stmt.query_map(params![fair_id, departure_id, state.as_str()], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The first waitlisted request of a departure, if any.
pub fn waitlist_head(
    conn: &Connection,
    fair_id: &str,
    departure_id: &str,
) -> Result<Option<SeatRow>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM seat_requests
              WHERE fair_id = ?1 AND departure_id = ?2 AND state = 'waitlisted'
              ORDER BY queue LIMIT 1"
        ))?
        .query_row([fair_id, departure_id], from_row)
        .optional()?)
}

/// 1-based place of queue number `queue` on a departure's waitlist.
pub fn waitlist_position(
    conn: &Connection,
    fair_id: &str,
    departure_id: &str,
    queue: i64,
) -> Result<u32> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM seat_requests
              WHERE fair_id = ?1 AND departure_id = ?2 AND state = 'waitlisted' AND queue <= ?3",
        )?
        .query_row(params![fair_id, departure_id, queue], |r| r.get(0))?)
}

/// Requests without a departure, oldest first.
pub fn requested(conn: &Connection, fair_id: &str) -> Result<Vec<SeatRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM seat_requests
          WHERE fair_id = ?1 AND state = 'requested' ORDER BY queue"
    ))?;
    let rows = stmt.query_map([fair_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What placing a ride needs of the villager who asked: home township and chosen openings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rider {
    pub township: String,
    pub openings: Vec<u16>,
}

/// The riders of every request of the fair still without a departure, by sign-up id, in
/// one query (the placement of 22,000 requests must not ask for each sign-up alone).
pub fn riders_of_requested(conn: &Connection, fair_id: &str) -> Result<HashMap<Uuid, Rider>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.id, r.home_township, o.opening_id
           FROM seat_requests s
           JOIN registrations r ON r.id = s.registration_id
           LEFT JOIN registration_openings o ON o.registration_id = r.id
          WHERE s.fair_id = ?1 AND s.state = 'requested'
          ORDER BY r.id, o.position",
    )?;
    let mut rows = stmt.query([fair_id])?;
    let mut out: HashMap<Uuid, Rider> = HashMap::new();
    while let Some(row) = rows.next()? {
        let id: String = row.get(0)?;
        let id = Uuid::parse_str(&id).map_err(|_| Error::Corrupt {
            table: "registrations",
            column: "id",
            value: id.clone(),
        })?;
        let rider = out.entry(id).or_insert_with(|| Rider {
            township: String::new(),
            openings: Vec::new(),
        });
        if rider.township.is_empty() {
            rider.township = row.get(1)?;
        }
        if let Some(opening) = row.get::<_, Option<u16>>(2)? {
            rider.openings.push(opening);
        }
    }
    Ok(out)
}

/// Per departure of the fair: (departure id, assigned, waitlisted).
pub fn counts(conn: &Connection, fair_id: &str) -> Result<Vec<(String, u32, u32)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT departure_id, sum(state = 'assigned'), sum(state = 'waitlisted')
           FROM seat_requests
          WHERE fair_id = ?1 AND departure_id IS NOT NULL AND state <> 'cancelled'
          GROUP BY departure_id",
    )?;
    let rows = stmt.query_map([fair_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
