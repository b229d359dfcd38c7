//! The phone pages' texts: English msgids translated with the kiosk's own catalogue
//! (`lang/zh_CN/LC_MESSAGES/jobfair-kiosk.po`, embedded), so the consent and the error
//! sentences are word for word the touch screen's. `tests/translations_complete.rs`
//! checks that every msgid given to `tr`/`trf` in `src/phone/` has a Chinese translation.

use std::collections::HashMap;
use std::sync::OnceLock;

const PO: &str = include_str!("../../lang/zh_CN/LC_MESSAGES/jobfair-kiosk.po");

/// The language of a phone session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// zh-CN, the default.
    #[default]
    Zh,
    En,
}

impl Lang {
    /// `lang` attribute of the page.
    pub fn html(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match crate::config::parse_language(s)? {
            "en" => Some(Lang::En),
            _ => Some(Lang::Zh),
        }
    }
}

fn catalogue() -> &'static HashMap<String, String> {
    static CAT: OnceLock<HashMap<String, String>> = OnceLock::new();
    CAT.get_or_init(|| parse_po(PO))
}

/// msgid → first msgstr of a .po text (single-line strings, as the catalogue has them).
pub fn parse_po(po: &str) -> HashMap<String, String> {
    let unquote = |l: &str| {
        l.split_once('"')
            .map(|(_, r)| unescape(r.trim_end().trim_end_matches('"')))
    };
    let mut out = HashMap::new();
    let mut id = None;
    for line in po.lines() {
        if line.starts_with("msgid ") {
            id = unquote(line);
        } else if (line.starts_with("msgstr ") || line.starts_with("msgstr[0] "))
            && let (Some(i), Some(s)) = (id.take(), unquote(line))
            && !i.is_empty()
            && !s.is_empty()
        {
            out.insert(i, s);
        }
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("\\\"", "\"")
        .replace("\\n", "\n")
        .replace("\\\\", "\\")
}

/// `msgid` in `lang` (English is the msgid itself; an untranslated id stays English).
pub fn tr(lang: Lang, msgid: &'static str) -> &'static str {
    match lang {
        Lang::En => msgid,
        Lang::Zh => catalogue().get(msgid).map_or(msgid, String::as_str),
    }
}

/// [`tr`] with each `{}` replaced by the next argument.
pub fn trf(lang: Lang, msgid: &'static str, args: &[&str]) -> String {
    let mut out = String::new();
    let mut rest = tr(lang, msgid);
    for a in args {
        match rest.split_once("{}") {
            Some((head, tail)) => {
                out.push_str(head);
                out.push_str(a);
                rest = tail;
            }
            None => break,
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_consent_reads_as_on_the_touch_screen() {
        assert_eq!(tr(Lang::Zh, "I agree"), "我同意");
        assert_eq!(tr(Lang::En, "I agree"), "I agree");
        assert_eq!(trf(Lang::En, "Step {} of {}", &["2", "7"]), "Step 2 of 7");
        assert_eq!(
            trf(Lang::Zh, "Step {} of {}", &["2", "7"]),
            "第 2 步，共 7 步"
        );
    }
}
