//! A real browser on the phone form: headless Chromium (Debian's `chromium` and
//! `chromium-driver`, installed by `.ci/run`) driven over WebDriver with a phone's
//! viewport and user agent, through the whole path in Chinese and in English, and again in
//! Chinese with JavaScript switched off in Blink (`--blink-settings=scriptEnabled=false`,
//! checked on a page whose script would change its heading). No page has any script
//! (checked on every page; the CSP forbids scripts too). With scripts off chromedriver 156's
//! element clicks hang (it waits for a navigation it cannot see), so that run presses the
//! buttons with Enter and the radio buttons with Space on the focused element, as a phone's
//! keyboard can. Each page is photographed; `JOBFAIR_PHONE_SHOTS=DIR` keeps the pictures
//! (docs/screenshots/phone/ was made so). Synthetic data only.

mod common;

use jobfair_kiosk::phone::{PhoneConfig, PhoneServer};
use jobfair_kiosk::store::registrations;
use jobfair_kiosk::store::sources::{self, Source};
use serde_json::{Value, json};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
const MOBILE_UA: &str = "Mozilla/5.0 (Linux; Android 12; Redmi Note 11) AppleWebKit/537.36 \
(KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36";

/// chromedriver on a free port; killed on drop.
struct Driver {
    child: Child,
    url: String,
    http: reqwest::blocking::Client,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    fn start() -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (apt-get install chromium chromium-driver; see .ci/run)");
        let _ = rustls::crypto::ring::default_provider().install_default();
        let d = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            http: reqwest::blocking::Client::builder()
                .timeout(Duration::from_secs(60))
                .build()
                .unwrap(),
        };
        let t = Instant::now();
        while d.http.get(format!("{}/status", d.url)).send().is_err() {
            assert!(
                t.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        d
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.url);
        let req = match method {
            "GET" => self.http.get(url),
            "DELETE" => self.http.delete(url),
            _ => self.http.post(url).json(&body.unwrap_or(json!({}))),
        };
        let v: Value = req.send().unwrap().json().unwrap();
        assert!(
            v["value"].get("error").is_none(),
            "{method} {path}: {}",
            v["value"]
        );
        v["value"].clone()
    }

    fn call_raw(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}{path}", self.url);
        let req = match method {
            "GET" => self.http.get(url),
            _ => self.http.post(url).json(&body),
        };
        let v: Value = req.send().unwrap().json().unwrap();
        v["value"].clone()
    }

    fn session(&self, javascript: bool, lang: &str) -> Session<'_> {
        let prefs = json!({ "intl.accept_languages": lang });
        let mut args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--hide-scrollbars".into(),
            format!("--lang={lang}"),
        ];
        if !javascript {
            // The pages' scripts off in Blink itself (the driver's own commands still run).
            args.push("--blink-settings=scriptEnabled=false".into());
        }
        // Without scripts chromedriver never sees a navigation end and its click waits for
        // one forever: it is told not to wait ("none"); `click` polls for the next page itself.
        let strategy = if javascript { "normal" } else { "none" };
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "pageLoadStrategy": strategy,
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": args,
                "mobileEmulation": {
                    "deviceMetrics": { "width": 393, "height": 851, "pixelRatio": 1.0 },
                    "userAgent": MOBILE_UA
                },
                "prefs": prefs
            }
        }}});
        let v = self.call("POST", "/session", Some(caps));
        let s = Session {
            d: self,
            id: v["sessionId"].as_str().unwrap().to_string(),
            javascript,
        };
        s.call(
            "POST",
            "/timeouts",
            Some(json!({ "pageLoad": 5000, "script": 5000 })),
        );
        s
    }
}

struct Session<'d> {
    d: &'d Driver,
    id: String,
    javascript: bool,
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        let _ = self
            .d
            .http
            .delete(format!("{}/session/{}", self.d.url, self.id))
            .send();
    }
}

impl Session<'_> {
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.d
            .call(method, &format!("/session/{}{path}", self.id), body)
    }

    fn go(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    fn find(&self, css: &str) -> String {
        let found = self.d.call_raw(
            "POST",
            &format!("/session/{}/element", self.id),
            json!({ "using": "css selector", "value": css }),
        );
        if found.get("error").is_some() {
            panic!("no {css} on the page:\n{}", self.source());
        }
        let v = self.call(
            "POST",
            "/element",
            Some(json!({ "using": "css selector", "value": css })),
        );
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("{css}: {v}"))
            .to_string()
    }

    /// Clicks without leaving the page (a radio button).
    fn tick(&self, css: &str) {
        let e = self.find(css);
        if self.javascript {
            self.call("POST", &format!("/element/{e}/click"), None);
        } else {
            // Space on the focused radio button chooses it, as a tap does.
            self.call(
                "POST",
                &format!("/element/{e}/value"),
                Some(json!({ "text": "\u{E00D}" })),
            );
        }
    }

    /// Clicks a button or link and waits for the next page (a new document).
    fn click(&self, css: &str) {
        let before = self.find("html");
        let e = self.find(css);
        // Without JavaScript the driver may not see the navigation end; the page is
        // polled below either way.
        if self.javascript {
            let _ = self.d.call_raw(
                "POST",
                &format!("/session/{}/element/{e}/click", self.id),
                json!({}),
            );
        } else {
            // Enter on the focused button submits its form as a tap does.
            let _ = self.d.call_raw(
                "POST",
                &format!("/session/{}/element/{e}/value", self.id),
                json!({ "text": "\u{E007}" }),
            );
        }
        let t = Instant::now();
        loop {
            let now = self.d.call_raw(
                "POST",
                &format!("/session/{}/element", self.id),
                json!({ "using": "css selector", "value": "html" }),
            );
            if now.get(ELEMENT).and_then(Value::as_str) != Some(before.as_str()) {
                let page = self.source();
                if page.contains("<h1>") {
                    // Nothing on any page needs JavaScript: there is none.
                    assert!(!page.contains("<script"), "{page}");
                    return;
                }
            }
            assert!(
                t.elapsed() < Duration::from_secs(10),
                "no new page after {css}"
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    fn type_in(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.call("POST", &format!("/element/{e}/clear"), None);
        self.call(
            "POST",
            &format!("/element/{e}/value"),
            Some(json!({ "text": text })),
        );
    }

    fn source(&self) -> String {
        self.call("GET", "/source", None)
            .as_str()
            .unwrap()
            .to_string()
    }

    fn title(&self) -> String {
        let e = self.find("h1");
        self.call("GET", &format!("/element/{e}/text"), None)
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Saves a screenshot as `dir/name.png`; checks it is a phone-sized PNG.
    fn shot(&self, dir: &Path, name: &str) {
        let b64 = self.call("GET", "/screenshot", None);
        let png = decode_b64(b64.as_str().unwrap());
        let img = image::load_from_memory(&png).unwrap();
        assert_eq!(img.width(), 393, "{name}: a phone-wide screenshot");
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }
}

fn decode_b64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let bytes: Vec<u8> = s.bytes().filter(|&c| c != b'=' && c != b'\n').collect();
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

fn shots_dir(tmp: &Path, suffix: &str) -> PathBuf {
    let dir = match std::env::var_os("JOBFAIR_PHONE_SHOTS") {
        Some(d) => PathBuf::from(d),
        None => tmp.join("shots"),
    }
    .join(suffix);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The whole path in one browser session; `zh` picks the texts checked.
fn walk(s: &Session, base: &str, lang: &str, shots: &Path, phone: &str, with_id: bool) {
    s.go(&format!("{base}/generate_204"));
    // The probe leads to the form (through the one-time bounce without JavaScript too).
    let t = Instant::now();
    while !s.source().contains("value=\"start\"") {
        assert!(t.elapsed() < Duration::from_secs(10), "{}", s.source());
        std::thread::sleep(Duration::from_millis(100));
        if s.source().contains("http-equiv=\"refresh\"") {
            continue;
        }
    }
    if lang == "en" {
        // The language switch in the bar (a plain link).
        let href = s.call(
            "GET",
            &format!("/element/{}/attribute/href", s.find("header a")),
            None,
        );
        assert_eq!(href.as_str(), Some("/?lang=en"));
        s.go(&format!("{base}/?lang=en"));
    }
    s.shot(shots, "1-start");
    s.click("button[value=start]");
    s.shot(shots, "2-consent");
    if with_id {
        s.tick("input[name=id_consent][value=yes]");
    }
    s.tick("input[name=share_phone][value=yes]");
    s.click("button[value=consent]");
    s.type_in("input[name=phone]", phone);
    s.shot(shots, "3-phone");
    s.click("button[value=phone]");
    if with_id {
        s.type_in("input[name=resident_id]", common::resident_id(77).as_str());
        s.shot(shots, "4-resident-id");
        s.click("button[value=id]");
        s.shot(shots, "4b-resident-id-check");
        s.click("button[value=id_yes]");
    }
    let name = if lang == "en" {
        "Test Villager"
    } else {
        "测试村民"
    };
    s.type_in("input[name=name]", name);
    s.shot(shots, "5-name");
    s.click("button[value=name]");
    s.click("button[value='county:从江县']");
    s.click("button[value='township:丙妹镇']");
    s.shot(shots, "6-home-place");
    s.click("button[value='village:岜沙村']");
    s.click("button[value='trade:assembly']");
    s.click("button[value='toggle:101']");
    s.click("button[value='trade:']");
    s.click("button[value='toggle:102']");
    s.shot(shots, "7-openings");
    s.click("button[value=choose]");
    s.shot(shots, "8-ride");
    s.click("button[value='ride:']");
    s.shot(shots, "8-review");
    s.click("button[value=confirm]");
    s.shot(shots, "9-ticket");
    let expected = if lang == "en" {
        "You are registered!"
    } else {
        "报名成功！"
    };
    assert_eq!(s.title(), expected);
    assert!(s.source().contains("data:image/png;base64,"));
}

#[test]
fn a_phone_browser_registers_in_chinese_and_in_english_through_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = PhoneConfig::new("127.0.0.1:0");
    config.rate = jobfair_kiosk::phone::RateLimit {
        burst: 10_000,
        per_second: 10_000.0,
    };
    let server = PhoneServer::spawn_with(common::open_kiosk(dir.path()), config).unwrap();
    let base = format!("http://{}", server.addr());
    let driver = Driver::start();

    let zh = driver.session(true, "zh-CN");
    walk(
        &zh,
        &base,
        "zh",
        &shots_dir(dir.path(), "zh"),
        "13700000101",
        true,
    );
    // Reopening the page later shows the ticket again.
    zh.go(&format!("{base}/"));
    assert_eq!(zh.title(), "报名成功！");
    drop(zh);

    let en = driver.session(true, "en-US");
    walk(
        &en,
        &base,
        "en",
        &shots_dir(dir.path(), "en"),
        "13700000102",
        false,
    );
    // The same phone number again, from another phone: the duplicate path.
    en.click("button[value=new]");
    en.click("button[value=consent]");
    en.type_in("input[name=phone]", "13700000101");
    en.click("button[value=phone]");
    // The full number typed proves it: straight to the openings, marked as returning.
    assert!(en.source().contains("Welcome back"), "{}", en.source());
    drop(en);

    let kiosk = common::open_kiosk(dir.path());
    let conn = kiosk.store().conn();
    let ids = registrations::ids(conn, &kiosk.fair().fair.id).unwrap();
    assert_eq!(ids.len(), 2, "two villagers, no duplicate");
    for id in ids {
        assert_eq!(sources::get(conn, id).unwrap(), Some(Source::Phone));
    }
}

#[test]
fn a_phone_browser_with_javascript_off_registers_through_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = PhoneConfig::new("127.0.0.1:0");
    config.rate = jobfair_kiosk::phone::RateLimit {
        burst: 10_000,
        per_second: 10_000.0,
    };
    let server = PhoneServer::spawn_with(common::open_kiosk(dir.path()), config).unwrap();
    let base = format!("http://{}", server.addr());
    let driver = Driver::start();
    let zh = driver.session(false, "zh-CN");
    // Scripts really are off: a page script that would change the title does not run.
    zh.go(
        "data:text/html,<h1>off</h1><script>document.querySelector('h1').textContent='on'</script>",
    );
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(zh.title(), "off");
    walk(
        &zh,
        &base,
        "zh",
        &shots_dir(dir.path(), "nojs"),
        "13700000103",
        true,
    );
    zh.go(&format!("{base}/"));
    assert_eq!(zh.title(), "报名成功！");
    drop(zh);
    let kiosk = common::open_kiosk(dir.path());
    let conn = kiosk.store().conn();
    let ids = registrations::ids(conn, &kiosk.fair().fair.id).unwrap();
    assert_eq!(ids.len(), 1);
    assert_eq!(sources::get(conn, ids[0]).unwrap(), Some(Source::Phone));
}
