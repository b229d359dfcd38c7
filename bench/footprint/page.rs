//! The static HTML page Chromium shows (the kiosk's openings page with the same openings, the
//! same bundled font) and the loopback HTTP server that serves it and hears when it is drawn.

use jobfair_kiosk::domain::fair::FairFile;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Instant;

/// Chinese labels in the order of `Trade::ALL` and `Benefit::ALL` (as on the kiosk's chips).
const TRADES: [&str; 18] = [
    "冲压",
    "焊接",
    "装配",
    "注塑",
    "数控加工",
    "质检",
    "仓库物流",
    "电工",
    "食堂",
    "包装",
    "喷涂",
    "设备维修",
    "司机",
    "保洁",
    "保安",
    "压铸",
    "抛光",
    "其他",
];
const BENEFITS: [&str; 7] = [
    "免费返岗车票",
    "包住宿",
    "包吃",
    "五险",
    "加班费",
    "带薪培训",
    "夫妻房",
];

/// When the page has loaded, its fonts are ready and two animation frames have passed (so
/// one frame with the cards has been produced), it reports how many cards it holds.
const SCRIPT: &str = r#"
Promise.all([new Promise(r => addEventListener('load', r)), document.fonts.ready]).then(() =>
  requestAnimationFrame(() => requestAnimationFrame(() =>
    fetch('/drawn?cards=' + document.querySelectorAll('.card').length, {cache: 'no-store'}))));
"#;

const STYLE: &str = "
@font-face { font-family: Kiosk; src: url(/font.otf); }
body { margin: 0; font-family: Kiosk, sans-serif; background: #f3f0ea; font-size: 20px; }
header { background: #0b4f9c; color: white; padding: 12px 24px; font-size: 22px; }
h1 { font-size: 30px; margin: 16px 24px; font-weight: normal; }
.chips { margin: 8px 24px; } .chip { display: inline-block; border: 1px solid #ccd;
  border-radius: 22px; padding: 8px 16px; margin: 4px; background: white; }
.card { background: white; margin: 12px 24px; padding: 12px 20px; border-radius: 8px; }
.title { font-size: 28px; } .wage { float: right; color: #c0500a; font-size: 28px; }
.meta { float: right; color: #555; } .emp { color: #333; }
.tag { display: inline-block; background: #e3f4e6; color: #27663a; font-size: 15px;
  padding: 2px 8px; margin: 4px 4px 0 0; border-radius: 4px; }
";

/// The openings page as one static HTML document: a card per opening, in file order.
pub fn html(fair: &FairFile) -> String {
    let mut out = String::with_capacity(fair.openings.len() * 600);
    let n = fair.openings.len();
    out.push_str("<!doctype html><html lang=zh-CN><head><meta charset=utf-8>");
    out.push_str(&format!("<title>{}</title>", escape(&fair.fair.name)));
    out.push_str(&format!(
        "<style>{STYLE}</style><script>{SCRIPT}</script></head><body>"
    ));
    out.push_str(&format!("<header>{}</header>", escape(&fair.fair.name)));
    out.push_str(&format!(
        "<h1>岗位（{n} / 共 {n} 个）</h1><div class=chips>"
    ));
    for label in std::iter::once("全部工种").chain(TRADES) {
        out.push_str(&format!("<span class=chip>{label}</span>"));
    }
    out.push_str("</div><div class=chips>");
    for label in std::iter::once("待遇不限").chain(BENEFITS) {
        out.push_str(&format!("<span class=chip>{label}</span>"));
    }
    out.push_str("</div>");
    for o in &fair.openings {
        let employer = fair
            .employers
            .iter()
            .find(|e| e.id == o.employer)
            .map_or("", |e| e.name.as_str());
        out.push_str(&format!(
            "<div class=card><span class=wage>{}–{} 元/月</span><div class=title>{}</div>\
             <span class=meta>{} · 招 {} 人</span><div class=emp>{}</div><div>",
            o.wage_min,
            o.wage_max,
            escape(&o.title),
            TRADES[o.trade.index()],
            o.headcount,
            escape(employer)
        ));
        for b in &o.benefits {
            out.push_str(&format!("<span class=tag>{}</span>", BENEFITS[b.index()]));
        }
        out.push_str("</div></div>");
    }
    out.push_str("</body></html>\n");
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A page's report: when it arrived and how many cards the page said it holds.
pub struct Drawn {
    pub at: Instant,
    pub cards: usize,
}

/// Serves `/` (the page), `/font.otf` and `/drawn` on 127.0.0.1 from a thread.
pub struct Server {
    pub port: u16,
    drawn: Receiver<Drawn>,
}

impl Server {
    pub fn start(html: String, font: Vec<u8>) -> std::io::Result<Server> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let (tx, drawn) = channel();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                // One request per connection; a failed one only shows as a missing report.
                let _ = serve(stream, &html, &font, &tx);
            }
        });
        Ok(Server { port, drawn })
    }

    /// The next report, or `None` after `timeout`.
    pub fn wait_drawn(&self, timeout: std::time::Duration) -> Option<Drawn> {
        self.drawn.recv_timeout(timeout).ok()
    }

    /// Drops reports left over from an earlier run.
    pub fn drain(&self) {
        while self.drawn.try_recv().is_ok() {}
    }
}

fn serve(stream: TcpStream, html: &str, font: &[u8], tx: &Sender<Drawn>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    let at = Instant::now();
    // Skip the headers: the body of a GET is empty.
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let path = request.split(' ').nth(1).unwrap_or("/");
    let (status, kind, body): (&str, &str, &[u8]) = if path == "/" {
        ("200 OK", "text/html; charset=utf-8", html.as_bytes())
    } else if path == "/font.otf" {
        ("200 OK", "font/otf", font)
    } else if let Some(query) = path.strip_prefix("/drawn?cards=") {
        let cards = query.parse().unwrap_or(0);
        let _ = tx.send(Drawn { at, cards });
        ("204 No Content", "text/plain", b"")
    } else {
        ("404 Not Found", "text/plain", b"")
    };
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(body)?;
    stream.flush()
}
