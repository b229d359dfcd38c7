//! The phone form over real HTTP on 127.0.0.1 with a real SQLite store: the whole path
//! in both languages, the duplicate rule, reopening, a second sign-up from the same phone,
//! and every refusal (CSRF, size, content type, rate, slow headers). Synthetic data only.

mod common;

use common::{open_kiosk, resident_id};
use jobfair_kiosk::app::set_staff_pin;
use jobfair_kiosk::phone::{PhoneConfig, PhoneHandle, PhoneServer, RateLimit};
use jobfair_kiosk::store::sources::{self, Source};
use jobfair_kiosk::store::{outbox, registrations};
use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

/// A phone's browser: keeps the session cookie, follows nothing by itself.
struct Browser {
    base: String,
    http: reqwest::blocking::Client,
    cookie: Option<String>,
    /// The last page's HTML.
    page: String,
}

struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: String,
}

impl Browser {
    fn new(server: &PhoneHandle) -> Browser {
        let _ = rustls::crypto::ring::default_provider().install_default();
        Browser {
            base: format!("http://{}", server.addr()),
            http: reqwest::blocking::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookie: None,
            page: String::new(),
        }
    }

    fn send(&mut self, req: reqwest::blocking::RequestBuilder) -> Answer {
        let req = match &self.cookie {
            Some(c) => req.header("Cookie", format!("jf_s={c}")),
            None => req,
        };
        let res = req.send().unwrap();
        let headers = res.headers().clone();
        if let Some(c) = headers.get("set-cookie") {
            let c = c.to_str().unwrap();
            self.cookie = Some(
                c.split(';')
                    .next()
                    .unwrap()
                    .trim_start_matches("jf_s=")
                    .into(),
            );
        }
        Answer {
            status: res.status().as_u16(),
            headers,
            body: res.text().unwrap(),
        }
    }

    fn get(&mut self, path: &str) -> Answer {
        let url = format!("{}{path}", self.base);
        let a = self.send(self.http.get(url));
        if a.status == 200 {
            // Every page fits a slow phone: at most 60 KB, images included.
            assert!(a.body.len() <= 60 * 1024, "{path}: {} bytes", a.body.len());
            self.page = a.body.clone();
        }
        a
    }

    /// Opens the form as a phone does: the bounce page, then the page with a session.
    fn open(&mut self, lang: &str) {
        let first = self.get(&format!("/?lang={lang}"));
        assert!(
            first.body.contains("http-equiv=\"refresh\""),
            "{}",
            first.body
        );
        let a = self.get(&format!("/?s=1&lang={lang}"));
        assert_eq!(a.status, 200);
        assert!(self.cookie.is_some(), "a session cookie is set");
    }

    fn csrf(&self) -> String {
        let at = self
            .page
            .find("name=\"csrf\" value=\"")
            .expect("a form with a CSRF token");
        let rest = &self.page[at + 19..];
        rest[..rest.find('"').unwrap()].to_string()
    }

    /// Presses button `action` with `fields` filled in; follows the 303 to the next page.
    fn press(&mut self, action: &str, fields: &[(&str, &str)]) -> Answer {
        let csrf = self.csrf();
        let mut form: Vec<(&str, &str)> = vec![("csrf", &csrf), ("a", action)];
        form.extend_from_slice(fields);
        let url = format!("{}/", self.base);
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let req = self
            .http
            .post(url)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body);
        let a = self.send(req);
        assert_eq!(a.status, 303, "pressing {action}: {}", a.body);
        self.get("/")
    }

    fn title(&self) -> String {
        let s = self.page.find("<h1>").expect("a title") + 4;
        self.page[s..s + self.page[s..].find("</h1>").unwrap()].to_string()
    }
}

/// application/x-www-form-urlencoded encoding of one name or value.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                (b as char).to_string()
            }
            b' ' => "+".to_string(),
            b => format!("%{b:02X}"),
        })
        .collect()
}

fn serve(dir: &Path, tweak: impl FnOnce(&mut PhoneConfig)) -> PhoneHandle {
    let mut config = PhoneConfig::new("127.0.0.1:0");
    config.rate = RateLimit {
        burst: 10_000,
        per_second: 10_000.0,
    };
    tweak(&mut config);
    PhoneServer::spawn_with(open_kiosk(dir), config).unwrap()
}

/// Phones in the 137 range: not the ones `common::phone` makes.
fn phone_no(n: u32) -> String {
    format!("137{n:08}")
}

/// Walks consent → ticket; returns the ticket page.
fn register(b: &mut Browser, phone: &str, id: Option<&str>, name: &str) {
    b.press("start", &[]);
    let id_consent = if id.is_some() { "yes" } else { "no" };
    b.press(
        "consent",
        &[("id_consent", id_consent), ("share_phone", "yes")],
    );
    b.press("phone", &[("phone", phone)]);
    if let Some(id) = id {
        b.press("id", &[("resident_id", id)]);
        b.press("id_yes", &[]);
    }
    b.press("name", &[("name", name)]);
    b.press("county:从江县", &[]);
    b.press("township:丙妹镇", &[("county", "从江县")]);
    b.press(
        "village:岜沙村",
        &[("county", "从江县"), ("township", "丙妹镇")],
    );
    for o in [101, 102] {
        b.press(&format!("toggle:{o}"), &[]);
    }
    b.press("choose", &[]);
    b.press("ride:", &[]);
    b.press("confirm", &[]);
}

fn stored(dir: &Path) -> Vec<(String, String, Source)> {
    let kiosk = open_kiosk(dir);
    let conn = kiosk.store().conn();
    let fair = kiosk.fair().fair.id.clone();
    registrations::ids(conn, &fair)
        .unwrap()
        .into_iter()
        .map(|id| {
            let row = registrations::get(conn, id).unwrap().unwrap();
            (
                row.name,
                kiosk.numbers_of(id).unwrap().phone.clone(),
                sources::get(conn, id).unwrap().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_villager_registers_on_a_phone_in_chinese_and_it_is_stored_as_a_phone_sign_up() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path(), |_| {});
    let mut b = Browser::new(&server);
    b.open("zh");
    assert!(b.page.contains("lang=\"zh-CN\""));
    b.press("start", &[]);
    assert_eq!(b.title(), "个人信息说明");
    assert!(b.page.contains("我同意"));
    b.press("consent", &[("id_consent", "yes"), ("share_phone", "no")]);
    assert!(b.page.contains("inputmode=\"numeric\""));
    // A wrong number stays on the step with the touch screen's sentence.
    b.press("phone", &[("phone", "1234")]);
    assert!(b.page.contains("class=\"err\""), "{}", b.page);
    b.press("phone", &[("phone", &phone_no(1))]);
    let id = resident_id(7);
    b.press("id", &[("resident_id", id.as_str())]);
    assert!(
        b.page.contains(&id.masked()),
        "the ID is shown masked for checking"
    );
    assert!(!b.page.contains(id.as_str()), "never in full");
    b.press("id_yes", &[]);
    b.press("name", &[("name", "测试·村民")]);
    b.press("county:从江县", &[]);
    b.press("township:丙妹镇", &[("county", "从江县")]);
    b.press(
        "village:岜沙村",
        &[("county", "从江县"), ("township", "丙妹镇")],
    );
    // Filter, then five openings; a sixth is refused.
    b.press("trade:assembly", &[]);
    assert!(b.page.contains("class=\"on\""));
    b.press("trade:", &[]);
    let ids: Vec<u16> = {
        let k = open_kiosk(dir.path());
        k.fair().openings.iter().take(6).map(|o| o.id).collect()
    };
    for o in &ids {
        b.press(&format!("toggle:{o}"), &[]);
    }
    assert!(b.page.contains("最多"), "the sixth is refused: {}", b.page);
    // 198 openings: two pages of at most 100, each under 60 KB.
    assert!(b.page.contains("page:1"));
    b.press("page:1", &[]);
    let last = {
        let k = open_kiosk(dir.path());
        k.fair().openings.last().unwrap().id
    };
    assert!(b.page.contains(&format!("toggle:{last}")));
    b.press("choose", &[]);
    // The ride step, as on the touch screen: every demo employer is in 永康.
    let (departure, pickup) = {
        let k = open_kiosk(dir.path());
        let d = k.fair().departures[0].clone();
        (d.id, d.pickup)
    };
    assert!(b.title().starts_with("需要坐车去"), "{}", b.title());
    assert!(b.page.contains(&format!("ride:{departure}")));
    assert!(b.page.contains("value=\"ride:\""), "a No thanks button");
    assert!(
        b.page.contains("第 7 步，共 8 步"),
        "the ride step is counted"
    );
    b.press(&format!("ride:{departure}"), &[]);
    assert!(b.page.contains(&pickup), "the review shows the ride");
    assert!(
        b.page.contains("第 8 步，共 8 步"),
        "the review comes after the ride"
    );
    assert!(b.page.contains("137****0001"), "the review masks the phone");
    assert!(b.page.len() <= 60 * 1024);
    b.press("confirm", &[]);
    assert_eq!(b.title(), "报名成功！");
    {
        let k = open_kiosk(dir.path());
        let asked: Vec<String> = k
            .store()
            .conn()
            .prepare("SELECT departure_id FROM seat_requests WHERE state <> 'cancelled'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(
            asked,
            vec![departure.clone()],
            "the phone's ride is asked for"
        );
    }
    assert!(
        b.page.len() <= 60 * 1024,
        "ticket page is {} bytes",
        b.page.len()
    );

    // The QR image on the page is the signed ticket in the store.
    let rows = stored(dir.path());
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0, "测试·村民");
    assert_eq!(rows[0].2, Source::Phone);
    let kiosk = open_kiosk(dir.path());
    let conn = kiosk.store().conn();
    let reg = registrations::ids(conn, &kiosk.fair().fair.id).unwrap()[0];
    let row = registrations::get(conn, reg).unwrap().unwrap();
    assert_eq!(row.openings, ids[..5].to_vec());
    assert!(
        b.page
            .contains(&jobfair_kiosk::domain::short_code::format(&row.short_code))
    );
    assert_eq!(decode_qr(&b.page), row.ticket);
    assert!(
        outbox::pending_count(conn).unwrap() >= 1,
        "queued for the base"
    );
}

fn decode_qr(page: &str) -> String {
    let at = page.find("data:image/png;base64,").expect("an inline QR") + 22;
    let b64 = &page[at..at + page[at..].find('"').unwrap()];
    let png = base64_decode(b64);
    let img = image::load_from_memory(&png).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(img);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1);
    grids[0].decode().unwrap().1
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let bytes: Vec<u8> = s.bytes().filter(|&c| c != b'=').collect();
    let mut out = Vec::new();
    for chunk in bytes.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, &c)| {
            acc | (u32::from(val(c)) << (18 - 6 * i))
        });
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

#[test]
fn in_english_reopening_shows_the_ticket_and_a_second_person_can_register_from_the_same_phone() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path(), |_| {});
    let mut b = Browser::new(&server);
    b.open("en");
    assert!(b.page.contains("lang=\"en\""));
    register(&mut b, &phone_no(2), None, "Test Villager");
    assert_eq!(b.title(), "You are registered!");
    let code = {
        let rows = stored(dir.path());
        assert_eq!(rows.len(), 1);
        rows[0].1.clone()
    };
    assert_eq!(code, phone_no(2));
    // Reopening the page later: the ticket again.
    let again = b.get("/");
    assert!(again.body.contains("data:image/png;base64,"));
    // A second person (another phone number) from the same phone session.
    b.press("new", &[]);
    register(&mut b, &phone_no(3), None, "Second Villager");
    assert_eq!(b.title(), "You are registered!");
    let rows = stored(dir.path());
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.2 == Source::Phone));
    // The export says where each sign-up was made.
    {
        let mut k = open_kiosk(dir.path());
        let kiosk_draft = common::draft(&k, 50);
        k.register(&kiosk_draft).unwrap();
        let out = dir.path().join("sign-ups.csv");
        k.export(
            jobfair_kiosk::export::Format::Csv,
            &out,
            jobfair_kiosk::app::export::Masking::Masked,
            &mut |_, _| {},
        )
        .unwrap();
        let text = std::fs::read_to_string(&out).unwrap();
        let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let col = reader
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == "来源 Source")
            .expect("a source column");
        let mut sources: Vec<String> = reader.records().map(|r| r.unwrap()[col].into()).collect();
        sources.sort();
        assert_eq!(sources, ["kiosk", "phone", "phone"]);
    }
    // The start page offers the last ticket again.
    b.press("new", &[]);
    b.press("back", &[]);
    assert!(b.page.contains("show_ticket"), "{}", b.page);
    b.press("show_ticket", &[]);
    assert!(b.page.contains("Second Villager"));
    // Switching the language keeps the session.
    let to_zh = b.get("/?lang=zh");
    assert_eq!(to_zh.status, 303);
    b.get("/");
    assert!(b.page.contains("lang=\"zh-CN\""));
}

#[test]
fn an_id_registered_at_the_kiosk_takes_the_duplicate_path_on_the_phone() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut kiosk = open_kiosk(dir.path());
        let draft = common::draft(&kiosk, 40);
        kiosk.register(&draft).unwrap();
    }
    let server = serve(dir.path(), |_| {});
    let mut b = Browser::new(&server);
    b.open("zh");
    b.press("start", &[]);
    b.press("consent", &[("id_consent", "yes"), ("share_phone", "yes")]);
    b.press("phone", &[("phone", &phone_no(40))]);
    b.press("id", &[("resident_id", resident_id(40).as_str())]);
    b.press("id_yes", &[]);
    assert_eq!(b.title(), "您已经报过名了");
    b.press("last4", &[("last4", "9999")]);
    assert!(b.page.contains("class=\"err\""));
    let last4 = &common::phone(40).as_str()[7..].to_string();
    b.press("last4", &[("last4", last4)]);
    b.press("choose", &[]);
    b.press("ride:", &[]);
    b.press("confirm", &[]);
    assert_eq!(b.title(), "您的报名已更新");
    let rows = stored(dir.path());
    assert_eq!(rows.len(), 1, "no second sign-up");
    assert_eq!(
        rows[0].2,
        Source::Kiosk,
        "the sign-up stays where it was made"
    );

    // The same full phone number typed on a phone proves it at once: straight to the openings.
    let mut c = Browser::new(&server);
    c.open("zh");
    c.press("start", &[]);
    c.press("consent", &[("id_consent", "no"), ("share_phone", "yes")]);
    c.press("phone", &[("phone", common::phone(40).as_str())]);
    assert!(c.page.contains("toggle:"), "{}", c.page);
    assert_eq!(stored(dir.path()).len(), 1);
}

#[test]
fn forged_oversized_and_wrongly_typed_posts_are_refused_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path(), |_| {});
    let mut b = Browser::new(&server);
    b.open("zh");
    b.press("start", &[]);
    b.press("consent", &[("id_consent", "no"), ("share_phone", "yes")]);
    let url = format!("{}/", b.base);
    let http = b.http.clone();
    let cookie = format!("jf_s={}", b.cookie.clone().unwrap());
    let post = |body: String, ctype: &str, cookie: Option<&str>| {
        let mut r = http.post(&url).header("Content-Type", ctype).body(body);
        if let Some(c) = cookie {
            r = r.header("Cookie", c);
        }
        let res = r.send().unwrap();
        (res.status().as_u16(), res.text().unwrap())
    };
    let form = "application/x-www-form-urlencoded";
    let phone = phone_no(9);
    // A wrong CSRF token, and none.
    let (s, body) = post(
        format!("csrf=0000&a=phone&phone={phone}"),
        form,
        Some(&cookie),
    );
    assert_eq!(s, 403);
    assert!(body.contains("没有保存") && body.contains("Nothing was saved"));
    assert_eq!(
        post(format!("a=phone&phone={phone}"), form, Some(&cookie)).0,
        403
    );
    // The right token without the cookie (another site's page cannot send it).
    let csrf = b.csrf();
    assert_eq!(
        post(format!("csrf={csrf}&a=phone&phone={phone}"), form, None).0,
        403
    );
    // JSON and multipart are not the form.
    let json = format!("{{\"csrf\":\"{csrf}\",\"a\":\"phone\"}}");
    assert_eq!(post(json, "application/json", Some(&cookie)).0, 415);
    assert_eq!(post(String::new(), "text/plain", Some(&cookie)).0, 415);
    // Too big a body, too long a field.
    let big = format!("csrf={csrf}&a=name&name={}", "x".repeat(20_000));
    assert_eq!(post(big, form, Some(&cookie)).0, 413);
    let long = format!("csrf={csrf}&a=phone&phone={}", "1".repeat(300));
    assert_eq!(post(long, form, Some(&cookie)).0, 400);
    // None of it moved the form on.
    b.get("/");
    assert!(b.page.contains("name=\"phone\""), "still on the phone step");
    assert!(!b.page.contains(&phone));
    assert!(stored(dir.path()).is_empty());
}

#[test]
fn a_client_over_its_rate_gets_429() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path(), |c| {
        c.rate = RateLimit {
            burst: 5,
            per_second: 0.01,
        }
    });
    let mut b = Browser::new(&server);
    let statuses: Vec<u16> = (0..8).map(|_| b.get("/generate_204").status).collect();
    assert_eq!(&statuses[..5], &[302; 5]);
    assert_eq!(&statuses[5..], &[429; 3]);
}

#[test]
fn captive_portal_probes_open_the_form_and_nothing_else_is_served() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path(), |_| {});
    let own = format!("http://{}/", server.addr());
    let mut b = Browser::new(&server);
    for probe in jobfair_kiosk::phone::http::PROBES {
        let a = b.get(probe);
        assert_eq!(a.status, 302, "{probe}");
        assert_eq!(a.headers["location"], own.as_str(), "{probe}");
    }
    // Another host's name (DNS points everything at the kiosk) goes to the form.
    let res = b
        .http
        .get(format!("{}/some/page", b.base))
        .header("Host", "connect.rom.miui.com")
        .send()
        .unwrap();
    assert_eq!(res.status().as_u16(), 302);
    // On the kiosk's own address: no listing, no staff or booth functions, no files.
    for path in [
        "/staff",
        "/booth",
        "/export",
        "/src/",
        "/kiosk.db",
        "/%2e%2e/kiosk.db",
    ] {
        assert_eq!(b.get(path).status, 404, "{path}");
    }
    // Every answer: not cached; the cookie is HttpOnly and SameSite=Strict.
    let first = b.get("/?s=1");
    assert_eq!(first.headers["cache-control"], "no-store");
    let cookie = first.headers["set-cookie"].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(!first.body.contains("<script"), "no JavaScript needed");
    assert!(
        first.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'none'")
    );
}

#[test]
fn a_slow_header_is_cut_off_and_the_port_is_freed_on_stop() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path(), |c| {
        c.header_timeout = Duration::from_millis(500)
    });
    let addr = server.addr();
    let mut slow = std::net::TcpStream::connect(addr).unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut buf = Vec::new();
    // The server closes the connection (with or without a 408) long before 10 s.
    let _ = slow.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf);
    assert!(buf.is_empty() || text.starts_with("HTTP/1.1 408"), "{text}");
    server.stop();
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "unbound after stop"
    );
}

#[test]
fn one_client_holding_connections_open_cannot_take_the_slots_of_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path(), |c| c.max_connections = 32);
    let addr = server.addr();
    // A slowloris client on 127.0.0.1: as many connections as the server takes in all, each
    // with half a request head.
    let mut slow = Vec::new();
    for _ in 0..32 {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
        slow.push(s);
    }
    std::thread::sleep(Duration::from_millis(500));
    // Its connections over its own share are closed at once, not kept.
    let closed = slow
        .iter_mut()
        .map(|s| {
            s.set_read_timeout(Some(Duration::from_millis(200)))
                .unwrap();
            match s.read(&mut [0u8; 64]) {
                Ok(n) => n == 0,
                // A timeout: the connection is still held open.
                Err(e) => !matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ),
            }
        })
        .filter(|closed| *closed)
        .count();
    // Another phone (another address) still gets the form.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let other = reqwest::blocking::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let res = other
        .get(format!("http://{addr}/generate_204"))
        .send()
        .expect("a phone on another address is served while one client holds connections open");
    assert_eq!(res.status().as_u16(), 302);
    assert_eq!(
        closed,
        32 - jobfair_kiosk::phone::PhoneConfig::new("").max_connections_per_client,
        "the slow client's connections over its share are closed"
    );
    drop(slow);
}

#[test]
fn after_the_kiosk_restarts_a_phone_sees_its_ticket_again_and_its_ride_is_recorded_as_the_phones() {
    let dir = tempfile::tempdir().unwrap();
    set_staff_pin(dir.path(), "2468").unwrap();
    let server = serve(dir.path(), |_| {});
    let mut b = Browser::new(&server);
    b.open("zh");
    // The whole path, asking for a seat on the first departure offered.
    let until_ride = |b: &mut Browser| {
        b.press("start", &[]);
        b.press("consent", &[("id_consent", "no"), ("share_phone", "yes")]);
        b.press("phone", &[("phone", &phone_no(40))]);
        b.press("name", &[("name", "测试重开")]);
        b.press("county:从江县", &[]);
        b.press("township:丙妹镇", &[("county", "从江县")]);
        b.press(
            "village:岜沙村",
            &[("county", "从江县"), ("township", "丙妹镇")],
        );
        for o in [101, 102] {
            b.press(&format!("toggle:{o}"), &[]);
        }
        b.press("choose", &[]);
    };
    until_ride(&mut b);
    let at = b.page.find("value=\"ride:").expect("departures offered") + 7;
    let ride = b.page[at..at + b.page[at..].find('"').unwrap()].to_string();
    assert!(ride.len() > "ride:".len(), "{ride}");
    b.press(&ride, &[]);
    b.press("confirm", &[]);
    assert_eq!(b.title(), "报名成功！");
    let code = {
        let at = b.page.find("class=\"code\">").unwrap() + 13;
        b.page[at..at + 9].to_string()
    };
    let cookie = b.cookie.clone().unwrap();
    server.stop();

    // The kiosk restarts: a new server on the same data dir. The phone opens the page with
    // its cookie and sees its ticket at once, without a bounce and without a new cookie.
    let server = serve(dir.path(), |_| {});
    let mut again = Browser::new(&server);
    again.cookie = Some(cookie.clone());
    let page = again.get("/");
    assert_eq!(page.status, 200);
    assert!(
        page.headers.get("set-cookie").is_none(),
        "the same session goes on"
    );
    assert!(page.body.contains("测试重开"), "{}", page.body);
    assert!(page.body.contains(&code), "the ticket code {code}");
    assert!(
        page.body.contains("data:image/png;base64,"),
        "the QR ticket"
    );
    // From there the phone can register someone else, and the start page keeps the ticket.
    again.press("new", &[]);
    again.press("back", &[]);
    assert!(again.page.contains("show_ticket"), "{}", again.page);

    // A cookie that was never given a ticket gets no one's ticket.
    let mut stranger = Browser::new(&server);
    stranger.cookie = Some("0".repeat(64));
    let page = stranger.get("/");
    assert!(
        page.body.contains("http-equiv=\"refresh\""),
        "{}",
        page.body
    );
    assert!(!page.body.contains("测试重开"));
    server.stop();

    // The seat request was made on the phone, and says so (here and in the base's record).
    {
        let kiosk = open_kiosk(dir.path());
        let conn = kiosk.store().conn();
        let source: String = conn
            .query_row("SELECT source FROM seat_requests", [], |r| r.get(0))
            .unwrap();
        assert_eq!(source, "phone");
        let payload: String = conn
            .query_row("SELECT payload FROM outbox WHERE kind = 'seat'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert!(payload.contains("\"source\":\"phone\""), "{payload}");
    }

    // After the staff cleared the fair's data, the cookie shows nothing any more.
    {
        let mut kiosk = open_kiosk(dir.path());
        let unconfirmed = kiosk.unconfirmed_records().unwrap();
        kiosk
            .purge_current_fair("2468", "staff", unconfirmed)
            .unwrap();
        let left: i64 = kiosk
            .store()
            .conn()
            .query_row("SELECT count(*) FROM phone_tickets", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 0, "the cookie's row went with the sign-up");
    }
    let server = serve(dir.path(), |_| {});
    let mut after = Browser::new(&server);
    after.cookie = Some(cookie);
    let page = after.get("/");
    assert!(
        page.body.contains("http-equiv=\"refresh\""),
        "{}",
        page.body
    );
    assert!(!page.body.contains("测试重开"));
    server.stop();
}
