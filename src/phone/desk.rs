//! The phone form's one writer: a thread that owns its own [`Kiosk`] (its own store
//! connection, like the upload worker) and every phone session. HTTP handlers send it
//! jobs over a bounded channel and await the answer; the Slint event loop never waits on
//! it, and every phone write to the store happens here, one at a time.

use super::i18n::Lang;
use super::pages;
use super::session::Session;
use crate::app::Kiosk;
use chrono::Utc;
use std::collections::HashMap;
use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::time::{Duration, Instant};

/// Jobs waiting for the desk before new requests get `503`.
pub const QUEUE: usize = 1024;
/// A session not seen for this long is forgotten.
pub const SESSION_IDLE: Duration = Duration::from_secs(12 * 3600);
/// How often the desk re-reads the current fair (staff may import a new one).
const FAIR_RELOAD: Duration = Duration::from_secs(10);

/// What the desk holds.
pub struct Desk {
    kiosk: Kiosk,
    sessions: HashMap<String, Session>,
    max_sessions: usize,
    fair_read: Instant,
}

/// The page for a GET, and a new session's cookie token if one was made.
#[derive(Debug)]
pub struct Viewed {
    pub html: String,
    pub new_token: Option<String>,
}

/// The outcome of a form post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Posted {
    Applied,
    /// No session with this cookie (expired, or never made): nothing was done.
    NoSession,
    /// The form's CSRF token is not this session's: nothing was done.
    BadCsrf,
}

type Job = Box<dyn FnOnce(&mut Desk) + Send>;

/// A handle to the desk thread (cheap to clone).
#[derive(Clone)]
pub struct DeskHandle {
    tx: SyncSender<Job>,
}

impl DeskHandle {
    /// Starts the desk thread over `kiosk`.
    pub fn spawn(kiosk: Kiosk, max_sessions: usize) -> std::io::Result<DeskHandle> {
        let (tx, rx) = mpsc::sync_channel::<Job>(QUEUE);
        std::thread::Builder::new()
            .name("phone-desk".into())
            .spawn(move || {
                let mut desk = Desk {
                    kiosk,
                    sessions: HashMap::new(),
                    max_sessions,
                    fair_read: Instant::now(),
                };
                while let Ok(job) = rx.recv() {
                    desk.refresh_fair();
                    job(&mut desk);
                }
            })?;
        Ok(DeskHandle { tx })
    }

    /// Runs `f` on the desk and returns its result; `None` when the desk is busy
    /// (queue full) or gone.
    pub async fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Desk) -> T + Send + 'static,
    ) -> Option<T> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |desk| {
            let _ = tx.send(f(desk));
        });
        match self.tx.try_send(job) {
            Ok(()) => rx.await.ok(),
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => None,
        }
    }
}

impl Desk {
    fn refresh_fair(&mut self) {
        if self.fair_read.elapsed() >= FAIR_RELOAD {
            self.fair_read = Instant::now();
            if let Err(e) = self.kiosk.reload_fair() {
                eprintln!("phone form: reading the current fair: {e}");
            }
        }
    }

    fn session(&mut self, token: Option<&str>) -> Option<&mut Session> {
        let token = token?;
        if self
            .sessions
            .get(token)
            .is_some_and(|s| s.last_seen.elapsed() > SESSION_IDLE)
        {
            self.sessions.remove(token);
        }
        if !self.sessions.contains_key(token) {
            self.restore(token);
        }
        let s = self.sessions.get_mut(token)?;
        s.last_seen = Instant::now();
        Some(s)
    }

    /// A phone whose session this desk does not hold (the kiosk restarted) but whose cookie
    /// was given a ticket: a new session showing that ticket, under the same cookie.
    fn restore(&mut self, token: &str) {
        let found = self.kiosk.phone_ticket(token, Utc::now(), ticket_kept());
        let (ticket, lang) = match found {
            Ok(Some(found)) => found,
            Ok(None) => return,
            Err(e) => {
                eprintln!("phone form: looking up a phone's ticket: {e}");
                return;
            }
        };
        let Some(csrf) = random_token() else {
            return;
        };
        if !self.make_room() {
            return;
        }
        let lang = if lang == "en" { Lang::En } else { Lang::Zh };
        let mut s = Session::new(csrf, lang);
        s.last_ticket = Some(ticket);
        s.showing_ticket = true;
        self.sessions.insert(token.to_string(), s);
    }

    /// Below `max_sessions`: forgets the idle ones, then the longest-idle one if needed.
    fn make_room(&mut self) -> bool {
        if self.sessions.len() >= self.max_sessions {
            self.sessions
                .retain(|_, s| s.last_seen.elapsed() <= SESSION_IDLE);
        }
        if self.sessions.len() >= self.max_sessions {
            let Some(oldest) = self
                .sessions
                .iter()
                .min_by_key(|(_, s)| s.last_seen)
                .map(|(k, _)| k.clone())
            else {
                return false;
            };
            self.sessions.remove(&oldest);
        }
        true
    }

    /// Makes a session (forgetting the longest-idle one when full); returns its token.
    fn new_session(&mut self, lang: Lang) -> Option<String> {
        if !self.make_room() {
            return None;
        }
        let token = random_token()?;
        let csrf = random_token()?;
        self.sessions
            .insert(token.clone(), Session::new(csrf, lang));
        Some(token)
    }

    /// The page of the session with `token`; a session is made when there is none and
    /// `make` is set. `lang` switches the session's language.
    pub fn view(&mut self, token: Option<&str>, lang: Option<Lang>, make: bool) -> Option<Viewed> {
        let mut new_token = None;
        let token = match self.session(token) {
            Some(_) => token.map(str::to_string),
            None if make => {
                new_token = self.new_session(lang.unwrap_or_default());
                new_token.clone()
            }
            None => None,
        }?;
        let fair = self.kiosk.fair();
        let s = self.sessions.get_mut(&token)?;
        if let Some(l) = lang {
            s.lang = l;
        }
        let shown = pages::render(
            &s.wizard,
            fair,
            s.lang,
            &s.csrf,
            s.last_ticket.as_ref(),
            s.showing_ticket,
            s.openings_page,
        );
        let name = match s.lang {
            Lang::En => fair.fair.name_en.as_deref().unwrap_or(&fair.fair.name),
            Lang::Zh => &fair.fair.name,
        };
        Some(Viewed {
            html: super::html::page(s.lang, &shown.title, name, &shown.body),
            new_token,
        })
    }

    /// Applies a form post of the session with `token`.
    pub fn post(&mut self, token: Option<&str>, fields: &[(String, String)]) -> Posted {
        let field = |k: &str| {
            fields
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let csrf = field("csrf");
        let action = field("a");
        let Some(token) = token.filter(|t| self.sessions.contains_key(*t)) else {
            return Posted::NoSession;
        };
        let Some(session) = self.sessions.get_mut(token) else {
            return Posted::NoSession;
        };
        if !same(session.csrf.as_bytes(), csrf.as_bytes()) {
            return Posted::BadCsrf;
        }
        session.last_seen = Instant::now();
        let before = session
            .last_ticket
            .as_ref()
            .map(|t| t.issued.ticket.clone());
        session.apply(&mut self.kiosk, &action, &field);
        // A new ticket (or a reissued one): remembered by the cookie, for after a restart.
        if let Some(t) = &session.last_ticket
            && before.as_deref() != Some(t.issued.ticket.as_str())
        {
            let lang = match session.lang {
                Lang::En => "en",
                Lang::Zh => "zh",
            };
            if let Err(e) =
                self.kiosk
                    .remember_phone_ticket(token, t, lang, Utc::now(), ticket_kept())
            {
                eprintln!("phone form: remembering a phone's ticket: {e}");
            }
        }
        Posted::Applied
    }

    /// Sessions held now (tests and the bench).
    pub fn session_count(&self) -> usize {
        self.sessions.len()
    }
}

/// How long a phone's ticket is remembered: as long as its cookie lives.
fn ticket_kept() -> chrono::Duration {
    chrono::Duration::seconds(i64::try_from(super::http::COOKIE_MAX_AGE).unwrap_or(i64::MAX))
}

/// Compares in time independent of where the first difference is.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// 32 random bytes as hex.
fn random_token() -> Option<String> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).ok()?;
    Some(b.iter().map(|x| format!("{x:02x}")).collect())
}
