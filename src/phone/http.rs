//! The phone form's HTTP side: routes, cookies, CSRF refusal, limits, headers, the
//! operating systems' captive-portal probes. Only the villager's form is here: the staff
//! and booth functions have no route on this server.

use super::desk::{DeskHandle, Posted};
use super::html::esc;
use super::i18n::Lang;
use super::limits::Limiter;
use axum::extract::rejection::FormRejection;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use std::net::SocketAddr;
use std::sync::Arc;

/// The session cookie's name.
pub const COOKIE: &str = "jf_s";
/// Largest request body taken (a form post is well under 2 KB).
pub const MAX_BODY_BYTES: usize = 8 * 1024;
/// Longest value of one form field, in bytes.
pub const MAX_FIELD_BYTES: usize = 256;
/// Session cookie lifetime (a fair day); the desk remembers a phone's ticket as long.
pub const COOKIE_MAX_AGE: u64 = 24 * 3600;

/// The connection's two ends, set by the accept loop.
#[derive(Debug, Clone, Copy)]
pub struct Peer {
    pub remote: SocketAddr,
    pub local: SocketAddr,
}

pub struct App {
    pub desk: DeskHandle,
    pub limiter: Limiter,
}

/// Where the operating systems look to see whether a network is a captive portal: any
/// answer but the expected one makes the phone open its sign-in window, which lands on
/// the form. Android (also Xiaomi's connect.rom.miui.com, Huawei's
/// connectivitycheck.platform.hicloud.com, OPPO's conn1.oppomobile.com, vivo's
/// wifi.vivo.com.cn: all `/generate_204`), Apple, Windows, Firefox.
pub const PROBES: &[&str] = &[
    "/generate_204",
    "/gen_204",
    "/hotspot-detect.html",
    "/library/test/success.html",
    "/connecttest.txt",
    "/ncsi.txt",
    "/redirect",
    "/success.txt",
    "/canonical.html",
    "/check_network_status.txt",
];

pub fn router(app: Arc<App>) -> Router {
    let mut r = Router::new().route("/", get(index).post(post));
    for p in PROBES {
        r = r.route(p, get(portal).head(portal).post(portal));
    }
    r.fallback(fallback)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(app.clone(), rate_limit))
        .layer(middleware::from_fn(headers))
        .with_state(app)
}

/// Every answer: never cached, never framed, no referrer, nothing loaded from elsewhere.
async fn headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    for (k, v) in [
        (header::CACHE_CONTROL, "no-store"),
        (header::PRAGMA, "no-cache"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; img-src data:; style-src 'unsafe-inline'; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    ] {
        h.insert(k, HeaderValue::from_static(v));
    }
    res
}

async fn rate_limit(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let ip = req.extensions().get::<Peer>().map(|p| p.remote.ip());
    if let Some(ip) = ip
        && !app.limiter.allow(ip)
    {
        return message(
            StatusCode::TOO_MANY_REQUESTS,
            "请慢一点，稍等几秒再试。",
            "Too many requests. Please wait a few seconds and try again.",
        );
    }
    next.run(req).await
}

/// A short page in both languages (when the session's language is not known).
fn message(status: StatusCode, zh: &str, en: &str) -> Response {
    let body = format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{}</title></head>\
<body style=\"font:20px sans-serif;padding:16px\"><p>{}</p><p lang=\"en\">{}</p>\
<p><a href=\"/?s=1\" style=\"font-size:24px\">重新开始 / Start again</a></p></body></html>",
        status.as_u16(),
        esc(zh),
        esc(en)
    );
    html(status, body)
}

fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

fn busy() -> Response {
    message(
        StatusCode::SERVICE_UNAVAILABLE,
        "报名机正忙，请稍等几秒再试。",
        "The kiosk is busy. Please try again in a few seconds.",
    )
}

/// The session token from the cookie header.
fn token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn query_param<'q>(query: Option<&'q str>, key: &str) -> Option<&'q str> {
    query?
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v)
}

async fn index(State(app): State<Arc<App>>, headers: HeaderMap, req: Request) -> Response {
    let query = req.uri().query().map(str::to_string);
    let q = query.as_deref();
    let lang = query_param(q, "lang").and_then(Lang::parse);
    let make = query_param(q, "s") == Some("1");
    let token = token(&headers);
    let had_token = token.is_some();
    let Some(viewed) = app
        .desk
        .call(move |d| d.view(token.as_deref(), lang, make))
        .await
    else {
        return busy();
    };
    match viewed {
        Some(v) => match v.new_token {
            Some(t) => {
                let cookie = format!(
                    "{COOKIE}={t}; Path=/; HttpOnly; SameSite=Strict; Max-Age={COOKIE_MAX_AGE}"
                );
                let mut res = html(StatusCode::OK, v.html);
                if let Ok(c) = HeaderValue::from_str(&cookie) {
                    res.headers_mut().insert(header::SET_COOKIE, c);
                }
                res
            }
            None if lang.is_some() && had_token => see_other("/"),
            None => html(StatusCode::OK, v.html),
        },
        // No session yet: bounce once through our own page, so that a phone arriving from
        // a captive-portal probe (a cross-site navigation, which does not carry a
        // SameSite=Strict cookie) keeps the session it already has.
        None => bounce(lang),
    }
}

fn bounce(lang: Option<Lang>) -> Response {
    let target = match lang {
        Some(Lang::En) => "/?s=1&amp;lang=en",
        _ => "/?s=1",
    };
    html(
        StatusCode::OK,
        format!(
            "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"refresh\" content=\"0;url={target}\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>报名 Sign up</title></head>\
<body style=\"font:22px sans-serif;padding:16px\"><p><a href=\"{target}\">用手机报名 · Sign up on your phone</a></p>\
</body></html>"
        ),
    )
}

fn see_other(to: &'static str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
}

async fn post(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let fields = match form {
        Ok(Form(fields)) => fields,
        Err(rejection) => {
            let status = rejection.status();
            return if status == StatusCode::PAYLOAD_TOO_LARGE {
                message(
                    status,
                    "提交的内容太长，没有保存。",
                    "What was sent is too long. Nothing was saved.",
                )
            } else {
                message(
                    status,
                    "这不是报名表单的提交，没有保存。",
                    "This is not a post of the sign-up form. Nothing was saved.",
                )
            };
        }
    };
    if fields.len() > 16 || fields.iter().any(|(_, v)| v.len() > MAX_FIELD_BYTES) {
        return message(
            StatusCode::BAD_REQUEST,
            "提交的内容太长，没有保存。",
            "What was sent is too long. Nothing was saved.",
        );
    }
    let token = token(&headers);
    let Some(outcome) = app
        .desk
        .call(move |d| d.post(token.as_deref(), &fields))
        .await
    else {
        return busy();
    };
    match outcome {
        Posted::Applied => see_other("/"),
        Posted::NoSession => message(
            StatusCode::FORBIDDEN,
            "报名页面已过期，请重新开始。",
            "This sign-up page has expired. Please start again.",
        ),
        Posted::BadCsrf => message(
            StatusCode::FORBIDDEN,
            "这个表单不是本页发出的，没有保存。请重新开始。",
            "This form did not come from this page. Nothing was saved. Please start again.",
        ),
    }
}

/// The form's own address for this connection.
fn own_url(req: &Request) -> String {
    match req.extensions().get::<Peer>() {
        Some(p) => format!("http://{}/", p.local),
        None => "/".to_string(),
    }
}

/// A connectivity probe: "you are behind a portal; it is here".
async fn portal(req: Request) -> Response {
    let to = own_url(&req);
    redirect_to(&to)
}

fn redirect_to(to: &str) -> Response {
    let body = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>报名 Sign up</title></head>\
<body><a href=\"{0}\">{0}</a></body></html>",
        esc(to)
    );
    let mut res = html(StatusCode::FOUND, body);
    if let Ok(v) = HeaderValue::from_str(to) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

/// Any other path: another host's name (DNS points every name at the kiosk) goes to the
/// form; on the kiosk's own address, not found. Nothing is listed.
async fn fallback(req: Request) -> Response {
    let own = req.extensions().get::<Peer>().map(|p| p.local);
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let ours = own.is_some_and(|a| host == a.to_string() || host == a.ip().to_string());
    if ours || own.is_none() {
        message(
            StatusCode::NOT_FOUND,
            "没有这个页面。",
            "There is no such page.",
        )
    } else {
        redirect_to(&own_url(&req))
    }
}
