//! Per-client rate limit: a token bucket per IP address (a phone on the hotspot has its
//! own), bounded in memory.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
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

#[cfg(test)]
mod tests {
    use super::*;

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
