//! Talking to the base: the [`Transport`] trait and its HTTP implementation
//! (reqwest blocking, rustls with the ring provider, bearer token).

use super::plan::{self, NotAck, Verdict};
use crate::protocol::{OpeningsAck, Record};
use std::time::Duration;

/// Default time to open a connection to the base.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default time for a whole request (sending, waiting, reading the answer).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// Why a request did not produce an acknowledgement. Every one is retried later.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// No connection, a reset, a timeout: the base was not reached (or not to the end).
    #[error("the base is unreachable: {0}")]
    Unreachable(String),
    /// The base (or something pretending to be it) answered, but not with an ack.
    #[error("the base's answer does not count: {0}")]
    NotAck(#[from] NotAck),
    #[error("the base refused the kiosk token (401)")]
    Unauthorized,
    #[error("the base has no fair {0}")]
    UnknownFair(String),
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
}

impl TransportError {
    /// Whether something answered at all (the base, a proxy or a login page).
    pub fn reached_something(&self) -> bool {
        !matches!(
            self,
            TransportError::Unreachable(_) | TransportError::Client(_)
        )
    }
}

/// The base as the kiosk sees it. Tests may fake it; the real one is [`HttpTransport`].
pub trait Transport: Send {
    /// Sends one batch; returns one verdict per record, in order.
    fn post_records(&self, records: &[Record]) -> Result<Vec<Verdict>, TransportError>;
    /// Asks for `fair_id`'s openings changed since revision `since`.
    fn get_openings(&self, fair_id: &str, since: u64) -> Result<OpeningsAck, TransportError>;
}

/// Timeouts of the HTTP client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    pub connect: Duration,
    pub request: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: CONNECT_TIMEOUT,
            request: REQUEST_TIMEOUT,
        }
    }
}

/// The base over HTTP(S).
#[derive(Debug)]
pub struct HttpTransport {
    client: reqwest::blocking::Client,
    base_url: String,
    token: String,
}

impl HttpTransport {
    /// A client for `base_url` (e.g. `https://base.example.cn`) with `token`.
    pub fn new(base_url: &str, token: &str, timeouts: Timeouts) -> Result<Self, TransportError> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::blocking::Client::builder()
            .connect_timeout(timeouts.connect)
            .timeout(timeouts.request)
            .user_agent(concat!("jobfair-kiosk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| TransportError::Client(e.to_string()))?;
        Ok(HttpTransport {
            client,
            base_url: base_url.trim_end_matches('/').to_string(),
            token: token.to_string(),
        })
    }

    /// Status and body text, or why the request failed on the way.
    fn send(
        &self,
        request: reqwest::blocking::RequestBuilder,
    ) -> Result<(u16, String), TransportError> {
        let response = request
            .bearer_auth(&self.token)
            .send()
            .map_err(unreachable)?;
        let status = response.status().as_u16();
        let body = response.text().map_err(unreachable)?;
        if status == 401 {
            return Err(TransportError::Unauthorized);
        }
        Ok((status, body))
    }
}

fn unreachable(e: reqwest::Error) -> TransportError {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    TransportError::Unreachable(text)
}

impl Transport for HttpTransport {
    fn post_records(&self, records: &[Record]) -> Result<Vec<Verdict>, TransportError> {
        /// [`crate::protocol::RecordsRequest`] over borrowed records: the batch is not copied to be sent.
        #[derive(serde::Serialize)]
        struct Body<'a> {
            records: &'a [Record],
        }
        let body = serde_json::to_vec(&Body { records }).expect("records serialize");
        let request = self
            .client
            .post(format!("{}/v1/records", self.base_url))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        let (status, text) = self.send(request)?;
        let ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
        Ok(plan::read_records_answer(status, &text, &ids)?)
    }

    fn get_openings(&self, fair_id: &str, since: u64) -> Result<OpeningsAck, TransportError> {
        let url = format!(
            "{}/v1/openings?fair_id={}&since={since}",
            self.base_url,
            percent_encode(fair_id)
        );
        let request = self.client.get(url);
        let (status, text) = self.send(request)?;
        if status == 404 {
            return Err(TransportError::UnknownFair(fair_id.to_string()));
        }
        Ok(plan::read_openings_answer(status, &text, fair_id)?)
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
