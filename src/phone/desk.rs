//! The phone form's one writer: a thread that owns its own [`Kiosk`] (its own store
//! connection, like the upload worker) and every phone session. HTTP handlers send it
//! jobs over a bounded channel and await the answer; the Slint event loop never waits on
//! it, and every phone write to the store happens here, one at a time.

use super::i18n::Lang;
use super::pages;
use super::session::Session;
use crate::app::Kiosk;
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
        let s = self.sessions.get_mut(token?)?;
        if s.last_seen.elapsed() > SESSION_IDLE {
            return None;
        }
        s.last_seen = Instant::now();
        Some(s)
    }

    /// Makes a session (forgetting the longest-idle one when full); returns its token.
    fn new_session(&mut self, lang: Lang) -> Option<String> {
        if self.sessions.len() >= self.max_sessions {
            self.sessions
                .retain(|_, s| s.last_seen.elapsed() <= SESSION_IDLE);
        }
        if self.sessions.len() >= self.max_sessions {
            let oldest = self
                .sessions
                .iter()
                .min_by_key(|(_, s)| s.last_seen)
                .map(|(k, _)| k.clone())?;
            self.sessions.remove(&oldest);
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
        session.apply(&mut self.kiosk, &action, &field);
        Posted::Applied
    }

    /// Sessions held now (tests and the bench).
    pub fn session_count(&self) -> usize {
        self.sessions.len()
    }
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
