//! Every @tr string of the UI has a zh_CN translation (zh-CN is the kiosk's default language).

use std::collections::HashSet;
use std::path::Path;

/// The msgids of every `@tr("…")` in ui/**/*.slint (first string of a plural form).
fn ui_msgids() -> HashSet<String> {
    fn walk(dir: &Path, out: &mut HashSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "slint") {
                let text = std::fs::read_to_string(&path).unwrap();
                for part in text.split("@tr(").skip(1) {
                    let rest = part
                        .trim_start()
                        .strip_prefix('"')
                        .expect("@tr takes a string literal");
                    let end = rest.find('"').unwrap();
                    out.insert(rest[..end].to_string());
                }
            }
        }
    }
    let mut out = HashSet::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("ui"), &mut out);
    out
}

/// msgid → first msgstr of lang/zh_CN/LC_MESSAGES/jobfair-kiosk.po.
fn po_entries() -> Vec<(String, String)> {
    let po = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("lang/zh_CN/LC_MESSAGES/jobfair-kiosk.po"),
    )
    .unwrap();
    let unquote = |l: &str| {
        l.split_once('"')
            .map(|(_, r)| r.trim_end().trim_end_matches('"').to_string())
    };
    let mut out = Vec::new();
    let mut id = None;
    for line in po.lines() {
        if line.starts_with("msgid ") {
            id = unquote(line);
        } else if (line.starts_with("msgstr ") || line.starts_with("msgstr[0] "))
            && let (Some(i), Some(s)) = (id.take(), unquote(line))
        {
            out.push((i, s));
        }
    }
    out
}

#[test]
fn every_ui_string_has_a_chinese_translation() {
    let ids = ui_msgids();
    assert!(ids.len() > 100, "found only {} @tr strings", ids.len());
    let translated: HashSet<String> = po_entries()
        .into_iter()
        .filter(|(_, s)| !s.is_empty())
        .map(|(i, _)| i)
        .collect();
    let mut missing: Vec<_> = ids.iter().filter(|i| !translated.contains(*i)).collect();
    missing.sort();
    assert!(
        missing.is_empty(),
        "untranslated (run python3 lang/extract.py --merge): {missing:#?}"
    );
}

#[test]
fn translations_keep_their_placeholders() {
    for (id, s) in po_entries() {
        for ph in ["{}", "{n}"] {
            assert_eq!(
                id.matches(ph).count(),
                s.matches(ph).count(),
                "{ph} in {id:?} → {s:?}"
            );
        }
    }
}

/// The msgids of every `tr(lang, "…")` and `trf(lang, "…", …)` of the phone form (src/phone/).
fn phone_msgids() -> HashSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/phone");
    let mut out = HashSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for call in ["tr(", "trf("] {
            for part in text.split(call).skip(1) {
                let Some(rest) = part.trim_start().strip_prefix("lang,") else {
                    continue;
                };
                let Some(rest) = rest.trim_start().strip_prefix('"') else {
                    continue;
                };
                out.insert(rest[..rest.find('"').unwrap()].to_string());
            }
        }
    }
    out
}

#[test]
fn every_phone_form_string_has_a_chinese_translation() {
    let ids = phone_msgids();
    assert!(ids.len() > 30, "found only {} phone strings", ids.len());
    let translated: HashSet<String> = po_entries()
        .into_iter()
        .filter(|(_, s)| !s.is_empty())
        .map(|(i, _)| i)
        .collect();
    let mut missing: Vec<_> = ids.difference(&translated).collect();
    missing.sort();
    assert!(
        missing.is_empty(),
        "phone strings without zh_CN: {missing:?}"
    );
}
