//! The page frame shared by every phone page: inline CSS (no external resources), the
//! language switch, the form with its CSRF token. Text is escaped here and nowhere else.

use super::i18n::{Lang, tr};

/// HTML-escapes text for element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = "*{box-sizing:border-box}body{margin:0;font:20px/1.45 sans-serif;color:#1b1b1b;\
background:#f4f6f8}header{background:#0b5cad;color:#fff;padding:10px 14px;display:flex;\
justify-content:space-between;align-items:center;gap:8px}header b{font-size:18px}\
header a{color:#fff;font-size:18px;padding:10px 12px;border:2px solid #fff;border-radius:10px;\
text-decoration:none;white-space:nowrap}main{padding:14px;max-width:640px;margin:auto}\
h1{font-size:26px;margin:8px 0 12px}p{margin:8px 0}.step{color:#555;font-size:17px}\
button,.btn{display:block;width:100%;min-height:58px;margin:10px 0;font-size:22px;border-radius:12px;\
border:2px solid #0b5cad;background:#fff;color:#0b5cad;padding:10px}\
button.go{background:#0b5cad;color:#fff;font-weight:bold}button.on{background:#dff0d8;\
border-color:#2e7d32;color:#1b5e20;font-weight:bold}button.small{min-height:50px;font-size:19px}\
input[type=text],input[type=tel]{width:100%;font-size:26px;padding:12px;border:2px solid #777;\
border-radius:10px;letter-spacing:1px}label{display:block;margin:10px 0 4px;font-weight:bold}\
.err{color:#b00020;font-weight:bold;background:#fdecee;border-radius:8px;padding:8px}\
.card{background:#fff;border-radius:12px;padding:12px;margin:10px 0;border:1px solid #ccd}\
.row{display:flex;gap:10px}.row>*{flex:1}.chips button{display:inline-block;width:auto;\
min-height:48px;margin:4px;font-size:18px}fieldset{border:0;padding:0;margin:12px 0}\
.radio{display:flex;gap:10px}.radio label{flex:1;border:2px solid #0b5cad;border-radius:12px;\
padding:14px;margin:4px 0;font-weight:normal;text-align:center}\
.radio input{width:24px;height:24px;vertical-align:middle}\
img.qr{width:100%;max-width:360px;display:block;margin:10px auto;image-rendering:pixelated}\
.code{font:bold 34px monospace;text-align:center;letter-spacing:3px}\
.hint{background:#fff8e1;border-radius:10px;padding:10px}small{color:#555}";

/// A whole page: `title`, the fair's name on the bar, the switch to the other language,
/// and `body` (already HTML).
pub fn page(lang: Lang, title: &str, fair_name: &str, body: &str) -> String {
    let (other, other_label) = match lang {
        Lang::Zh => ("en", "English"),
        Lang::En => ("zh", "中文"),
    };
    format!(
        "<!DOCTYPE html><html lang=\"{l}\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<meta name=\"referrer\" content=\"no-referrer\"><title>{t}</title><style>{CSS}</style></head>\
<body><header><b>{f}</b><a href=\"/?lang={other}\" lang=\"{other}\">{other_label}</a></header>\
<main>{body}</main></body></html>",
        l = lang.html(),
        t = esc(title),
        f = esc(fair_name),
    )
}

/// A form posting to `/` with the session's CSRF token; `inner` is its HTML.
pub fn form(csrf: &str, inner: &str) -> String {
    format!(
        "<form method=\"post\" action=\"/\" accept-charset=\"utf-8\">\
<input type=\"hidden\" name=\"csrf\" value=\"{}\">{inner}</form>",
        esc(csrf)
    )
}

/// A submit button for action `a` (`class` e.g. `go`).
pub fn button(action: &str, label: &str, class: &str) -> String {
    format!(
        "<button type=\"submit\" name=\"a\" value=\"{}\" class=\"{class}\">{}</button>",
        esc(action),
        esc(label)
    )
}

/// The error box, if any.
pub fn error(text: Option<&str>) -> String {
    text.map(|t| format!("<p class=\"err\" role=\"alert\">{}</p>", esc(t)))
        .unwrap_or_default()
}

/// The "Back" button of a step.
pub fn back(lang: Lang) -> String {
    button("back", tr(lang, "Back"), "small")
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn markup_in_text_is_escaped() {
        assert_eq!(
            esc("<script>\"a\"&'b'</script>"),
            "&lt;script&gt;&quot;a&quot;&amp;&#39;b&#39;&lt;/script&gt;"
        );
    }
}
