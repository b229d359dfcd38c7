//! The seat and boarding figures of return-to-work transport (issue 16), one query for
//! both engines: each sign-up's newest seat record (greatest `at`, then the last
//! received; per kiosk, fair and sign-up, as sign-ups are) counts when it is not
//! cancelled; each villager counts once per departure they boarded, whichever device
//! scanned them. Grouped by fair, departure and employer.

use super::Engine;

/// Seat and boarding figures of one fair, departure and employer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportCount {
    pub fair_id: String,
    /// `None`: rides asked without a departure yet.
    pub departure_id: Option<String>,
    /// `None`: no employer named with the ride.
    pub employer: Option<String>,
    /// Live requests: asked, seated or waitlisted (not cancelled).
    pub requested: u64,
    pub assigned: u64,
    pub waitlisted: u64,
    pub boarded: u64,
}

const COUNTS: &str = "
WITH newest AS (
    SELECT fair_id, {departure} AS departure_id, {employer} AS employer, {state} AS state,
           row_number() OVER (PARTITION BY kiosk, fair_id, registration_id
                              ORDER BY at DESC, {order} DESC) AS n
      FROM records WHERE kind = 'seat'
), boarded AS (
    SELECT DISTINCT fair_id, {departure} AS departure_id, {employer} AS employer,
           registration_id
      FROM records WHERE kind = 'boarding'
), counted AS (
    SELECT fair_id, departure_id, employer, 1 AS requested,
           CASE WHEN state = 'assigned' THEN 1 ELSE 0 END AS assigned,
           CASE WHEN state = 'waitlisted' THEN 1 ELSE 0 END AS waitlisted,
           0 AS boarded
      FROM newest WHERE n = 1 AND state <> 'cancelled'
    UNION ALL
    SELECT fair_id, departure_id, employer, 0, 0, 0, 1 FROM boarded
)
SELECT fair_id, departure_id, employer, sum(requested), sum(assigned), sum(waitlisted),
       sum(boarded)
  FROM counted
 GROUP BY fair_id, departure_id, employer";

/// Rows in one order on both engines (PostgreSQL sorts by its collation and puts NULLs
/// last): by fair, departure and employer, bytewise, `None` first.
pub(crate) fn sorted(mut rows: Vec<TransportCount>) -> Vec<TransportCount> {
    rows.sort_by(|a, b| {
        (&a.fair_id, &a.departure_id, &a.employer).cmp(&(&b.fair_id, &b.departure_id, &b.employer))
    });
    rows
}

/// The query for `engine`: columns fair, departure, employer, requested, assigned,
/// waitlisted, boarded (the sums as 64-bit integers).
pub(crate) fn counts_sql(engine: Engine) -> String {
    let field = |name: &str| match engine {
        Engine::Sqlite => format!("json_extract(payload, '$.{name}')"),
        Engine::Postgres => format!("(payload::jsonb ->> '{name}')"),
    };
    let order = match engine {
        Engine::Sqlite => "rowid",
        Engine::Postgres => "seq",
    };
    let sql = COUNTS
        .replace("{departure}", &field("departure_id"))
        .replace("{employer}", &field("employer"))
        .replace("{state}", &field("state"))
        .replace("{order}", order);
    match engine {
        Engine::Sqlite => sql,
        // sum() of integers is a bigint there already; keep every column one type.
        Engine::Postgres => sql.replace(
            "SELECT fair_id, departure_id, employer, sum(requested), sum(assigned), sum(waitlisted),\n       sum(boarded)",
            "SELECT fair_id, departure_id, employer, sum(requested)::bigint, sum(assigned)::bigint,\n       sum(waitlisted)::bigint, sum(boarded)::bigint",
        ),
    }
}
