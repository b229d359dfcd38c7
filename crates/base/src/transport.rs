//! The campaign's "buses and workers" figures (issue 16): seats requested, assigned,
//! waitlisted and boarded, per departure or per employer, for each fair and across
//! fairs, added up from the store's [`TransportCount`] rows. `jobfair-base transport`
//! prints them (tab-separated or JSON).

use crate::store::TransportCount;
use serde::Serialize;
use std::collections::BTreeMap;

/// What a report's lines are per.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum By {
    Departure,
    Employer,
}

/// One line of a report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Line {
    /// The fair; `None`: across every fair.
    pub fair: Option<String>,
    /// The departure or employer; `None` for the total line. A departure or employer of
    /// `Some("")`: rides asked without one (no departure chosen yet, no employer named).
    pub key: Option<String>,
    pub requested: u64,
    pub assigned: u64,
    pub waitlisted: u64,
    pub boarded: u64,
}

impl Line {
    fn add(&mut self, c: &TransportCount) {
        self.requested += c.requested;
        self.assigned += c.assigned;
        self.waitlisted += c.waitlisted;
        self.boarded += c.boarded;
    }
}

/// The lines of a report per `by`: for each fair (only `fair` when given), one line per
/// departure or employer and a total; then, unless one fair was asked for, the same
/// across every fair. Keys sort bytewise, rides without one (`""`) first.
pub fn report(rows: &[TransportCount], by: By, fair: Option<&str>) -> Vec<Line> {
    let key = |c: &TransportCount| -> String {
        match by {
            By::Departure => c.departure_id.clone().unwrap_or_default(),
            By::Employer => c.employer.clone().unwrap_or_default(),
        }
    };
    let mut per_fair: BTreeMap<&str, (BTreeMap<String, Line>, Line)> = BTreeMap::new();
    let mut across: (BTreeMap<String, Line>, Line) = Default::default();
    for c in rows.iter().filter(|c| fair.is_none_or(|f| f == c.fair_id)) {
        let (lines, total) = per_fair.entry(&c.fair_id).or_default();
        lines
            .entry(key(c))
            .or_insert_with(|| Line {
                fair: Some(c.fair_id.clone()),
                key: Some(key(c)),
                ..Line::default()
            })
            .add(c);
        total.add(c);
        across
            .0
            .entry(key(c))
            .or_insert_with(|| Line {
                key: Some(key(c)),
                ..Line::default()
            })
            .add(c);
        across.1.add(c);
    }
    let mut out = Vec::new();
    for (fair_id, (lines, mut total)) in per_fair {
        out.extend(lines.into_values());
        total.fair = Some(fair_id.to_string());
        out.push(total);
    }
    if fair.is_none() {
        out.extend(across.0.into_values());
        out.push(across.1);
    }
    out
}

/// The report as tab-separated text with a header: `*` for "every fair" and for the
/// total line, `-` for rides without a departure or employer.
pub fn tsv(lines: &[Line], by: By) -> String {
    let what = match by {
        By::Departure => "departure",
        By::Employer => "employer",
    };
    let mut out = format!("fair\t{what}\trequested\tassigned\twaitlisted\tboarded\n");
    for l in lines {
        let key = match l.key.as_deref() {
            None => "*",
            Some("") => "-",
            Some(k) => k,
        };
        out.push_str(&format!(
            "{}\t{key}\t{}\t{}\t{}\t{}\n",
            l.fair.as_deref().unwrap_or("*"),
            l.requested,
            l.assigned,
            l.waitlisted,
            l.boarded
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(fair: &str, dep: Option<&str>, emp: Option<&str>, n: [u64; 4]) -> TransportCount {
        TransportCount {
            fair_id: fair.into(),
            departure_id: dep.map(Into::into),
            employer: emp.map(Into::into),
            requested: n[0],
            assigned: n[1],
            waitlisted: n[2],
            boarded: n[3],
        }
    }

    fn rows() -> Vec<TransportCount> {
        vec![
            row("f1", None, None, [2, 0, 0, 0]),
            row("f1", Some("bus-1"), Some("e1"), [45, 45, 0, 40]),
            row("f1", Some("bus-1"), Some("e2"), [3, 0, 3, 0]),
            row("f1", Some("bus-2"), Some("e2"), [10, 10, 0, 0]),
            row("f2", Some("bus-1"), Some("e1"), [5, 5, 0, 5]),
        ]
    }

    fn figures(l: &Line) -> [u64; 4] {
        [l.requested, l.assigned, l.waitlisted, l.boarded]
    }

    #[test]
    fn per_departure_each_fair_then_across_fairs_with_totals() {
        let lines = report(&rows(), By::Departure, None);
        let got: Vec<(Option<&str>, Option<&str>, [u64; 4])> = lines
            .iter()
            .map(|l| (l.fair.as_deref(), l.key.as_deref(), figures(l)))
            .collect();
        assert_eq!(
            got,
            [
                (Some("f1"), Some(""), [2, 0, 0, 0]),
                (Some("f1"), Some("bus-1"), [48, 45, 3, 40]),
                (Some("f1"), Some("bus-2"), [10, 10, 0, 0]),
                (Some("f1"), None, [60, 55, 3, 40]),
                (Some("f2"), Some("bus-1"), [5, 5, 0, 5]),
                (Some("f2"), None, [5, 5, 0, 5]),
                (None, Some(""), [2, 0, 0, 0]),
                (None, Some("bus-1"), [53, 50, 3, 45]),
                (None, Some("bus-2"), [10, 10, 0, 0]),
                (None, None, [65, 60, 3, 45]),
            ]
        );
    }

    #[test]
    fn per_employer_for_one_fair_leaves_the_others_out() {
        let lines = report(&rows(), By::Employer, Some("f1"));
        let got: Vec<(Option<&str>, [u64; 4])> = lines
            .iter()
            .map(|l| (l.key.as_deref(), figures(l)))
            .collect();
        assert_eq!(
            got,
            [
                (Some(""), [2, 0, 0, 0]),
                (Some("e1"), [45, 45, 0, 40]),
                (Some("e2"), [13, 10, 3, 0]),
                (None, [60, 55, 3, 40]),
            ]
        );
        assert!(lines.iter().all(|l| l.fair.as_deref() == Some("f1")));
        let text = tsv(&lines, By::Employer);
        assert_eq!(
            text.lines().collect::<Vec<_>>(),
            [
                "fair\temployer\trequested\tassigned\twaitlisted\tboarded",
                "f1\t-\t2\t0\t0\t0",
                "f1\te1\t45\t45\t0\t40",
                "f1\te2\t13\t10\t3\t0",
                "f1\t*\t60\t55\t3\t40",
            ]
        );
        assert!(report(&rows(), By::Employer, Some("f9")).is_empty());
    }
}
