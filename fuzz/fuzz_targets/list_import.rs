//! A township's or employer's list (`lists import FILE`): bytes of a CSV (UTF-8 or
//! GB18030) or XLSX file → table → every row checked.
//!
//! The first input byte picks the way in: bits 0–1: 0 or 3 CSV, 1 raw XLSX bytes, 2 a
//! well-formed workbook wrapped around fuzzed sheet XML and shared-strings XML (split at
//! the first NUL byte); bit 2 a returning-staff list (else willing); bit 3 a default
//! employer (`--employer`).
//!
//! Like the kiosk, the target takes a panic inside calamine or zip (the known overflowing
//! cell references of calamine 0.35) as "the file is damaged": a panic hook lets exactly
//! those unwind to the reader's `catch_unwind`; any other panic still crashes the fuzzer.
#![no_main]

use std::collections::HashSet;
use std::sync::Once;

use jobfair_kiosk_fuzz::domain::lists::{
    ListError, ListKind, Table, decode, table_from_csv, validate,
};
use jobfair_kiosk_fuzz::domain::phone::Phone;
use jobfair_kiosk_fuzz::domain::resident_id::ResidentId;
use jobfair_kiosk_fuzz::support::employers;
use jobfair_kiosk_fuzz::xlsx;
use libfuzzer_sys::fuzz_target;

/// Once, on top of libfuzzer-sys's aborting hook: quiet while inside calamine/zip (the
/// reader's `catch_unwind` turns the panic into an error), the fuzzer's hook otherwise.
fn quiet_calamine_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let fuzzer_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !xlsx::in_calamine() {
                fuzzer_hook(info);
            }
        }));
    });
}

fuzz_target!(|data: &[u8]| {
    quiet_calamine_panics();
    let Some((&mode, body)) = data.split_first() else {
        return;
    };
    let table = match mode & 3 {
        1 => xlsx::table(body.to_vec()).ok(),
        2 => {
            let (sheet, strings) = match body.iter().position(|&b| b == 0) {
                Some(i) => (&body[..i], &body[i + 1..]),
                None => (body, &[][..]),
            };
            xlsx::table(xlsx::workbook(sheet, strings)).ok()
        }
        _ => csv(body),
    };
    let Some(table) = table else { return };
    let kind = if mode & 4 == 0 {
        ListKind::Willing
    } else {
        ListKind::Returning
    };
    let default_employer = (mode & 8 != 0).then_some("e1");
    check(&table, kind, default_employer);
});

/// The CSV way in, with what `decode` promises about the text.
fn csv(body: &[u8]) -> Option<Table> {
    // `TextEncoding` is not re-exported by `lists`; its Debug name tells the variant.
    match decode(body) {
        Ok((text, encoding)) if format!("{encoding:?}") == "Utf8" => {
            let bare = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
            assert_eq!(text.as_bytes(), bare);
        }
        Ok(_) => assert!(std::str::from_utf8(body).is_err()),
        Err(e) => assert_eq!(e, ListError::NotText),
    }
    match table_from_csv(body) {
        Ok(table) => {
            assert!(table.header_line >= 1);
            let lines: Vec<usize> = table.rows.iter().map(|(line, _)| *line).collect();
            assert!(lines.iter().all(|&l| l > table.header_line));
            assert!(lines.windows(2).all(|w| w[0] < w[1]), "{lines:?}");
            Some(table)
        }
        Err(ListError::Rows(errors)) => {
            assert!(!errors.is_empty());
            None
        }
        Err(_) => None,
    }
}

/// Validates a table; accepted people carry normalized, unique phones and IDs.
fn check(table: &Table, kind: ListKind, default_employer: Option<&str>) {
    let known = employers();
    let fair_date = chrono::NaiveDate::from_ymd_opt(2027, 2, 15).expect("a date");
    match validate(table, kind, default_employer, &known, fair_date) {
        Ok(people) => {
            assert!(!people.is_empty() && people.len() <= table.rows.len());
            let (mut phones, mut ids) = (HashSet::new(), HashSet::new());
            for p in &people {
                assert!(table.rows.iter().any(|(line, _)| *line == p.line));
                assert_eq!(Phone::parse(p.phone.as_str()).as_ref(), Ok(&p.phone));
                assert!(phones.insert(p.phone.as_str().to_owned()), "phone twice");
                if let Some(id) = &p.resident_id {
                    assert_eq!(ResidentId::parse_at(id.as_str(), fair_date).as_ref(), Ok(id));
                    assert!(ids.insert(id.as_str().to_owned()), "resident ID twice");
                }
                assert!(!p.name.is_empty());
                match kind {
                    ListKind::Willing => assert_eq!(p.employer, None),
                    ListKind::Returning => {
                        let e = p
                            .employer
                            .as_deref()
                            .expect("returning staff have an employer");
                        assert!(known.iter().any(|k| k.id == e));
                    }
                }
            }
        }
        Err(ListError::Rows(errors)) => {
            assert!(!errors.is_empty());
            assert!(errors.windows(2).all(|w| w[0].line <= w[1].line));
        }
        Err(_) => {}
    }
}
