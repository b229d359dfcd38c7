//! Per-client rate limit: a token bucket per IP address (a phone on the hotspot has its
//! own), bounded in memory; and a cap on the connections one client holds open.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Buckets kept before the full ones are dropped.
const MAX_CLIENTS: usize = 20_000;

/// How many requests a client may make.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Requests at once (a burst).
    pub burst: u32,
    /// Requests per second after the burst.
    pub per_second: f64,
}

impl Default for RateLimit {
    /// A person filling the form makes ~2 requests a tap; 60 at once, then 5 a second.
    fn default() -> Self {
        RateLimit {
            burst: 60,
            per_second: 5.0,
        }
    }
}

#[derive(Debug)]
pub struct Limiter {
    limit: RateLimit,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl Limiter {
    pub fn new(limit: RateLimit) -> Limiter {
        Limiter {
            limit,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request of `ip`'s allowance; false when it has none left.
    pub fn allow(&self, ip: IpAddr) -> bool {
        let now = Instant::now();
        let burst = f64::from(self.limit.burst);
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() >= MAX_CLIENTS && !buckets.contains_key(&ip) {
            // Forget the clients whose buckets have refilled: they lose nothing.
            let rate = self.limit.per_second;
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * rate < burst
            });
            if buckets.len() >= MAX_CLIENTS {
                return false;
            }
        }
        let (tokens, at) = buckets.entry(ip).or_insert((burst, now));
        *tokens =
            (*tokens + now.duration_since(*at).as_secs_f64() * self.limit.per_second).min(burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// Open connections per client address, each at most `max`.
#[derive(Debug)]
pub struct ConnectionCount {
    max: usize,
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

/// One counted connection; dropping it (the connection ended) counts it off.
#[derive(Debug)]
pub struct Counted {
    ip: IpAddr,
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

impl ConnectionCount {
    pub fn new(max: usize) -> ConnectionCount {
        ConnectionCount {
            max,
            open: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// Counts a new connection of `ip`; `None` when it already has `max` open.
    pub fn open(&self, ip: IpAddr) -> Option<Counted> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let n = open.entry(ip).or_insert(0);
        if *n >= self.max {
            return None;
        }
        *n += 1;
        Some(Counted {
            ip,
            open: self.open.clone(),
        })
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_at_its_connection_cap_is_refused_until_one_ends() {
        let c = ConnectionCount::new(2);
        let a: IpAddr = "10.0.0.2".parse().unwrap();
        let b: IpAddr = "10.0.0.3".parse().unwrap();
        let first = c.open(a).unwrap();
        let _second = c.open(a).unwrap();
        assert!(c.open(a).is_none());
        assert!(c.open(b).is_some());
        drop(first);
        assert!(c.open(a).is_some());
    }

    #[test]
    fn a_client_past_its_burst_is_refused_and_others_are_not() {
        let l = Limiter::new(RateLimit {
            burst: 3,
            per_second: 0.001,
        });
        let a: IpAddr = "10.0.0.2".parse().unwrap();
        let b: IpAddr = "10.0.0.3".parse().unwrap();
        assert!(l.allow(a) && l.allow(a) && l.allow(a));
        assert!(!l.allow(a));
        assert!(l.allow(b));
    }
}
