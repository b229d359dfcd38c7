//! The memory of request bodies in flight, bounded all together: every body is read
//! against one shared byte budget (a semaphore of bytes). A body that declares its
//! length reserves it before its first byte is read; one that does not (chunked)
//! reserves as its chunks arrive. A request that cannot get its bytes within the wait
//! is answered `503` with `Retry-After` (the kiosk's upload retries it); one over the
//! per-request limit `413`, before it is read.

use axum::body::Body;
use http_body_util::BodyExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Bytes reserved at a time for a body of unknown length.
const CHUNK: usize = 64 * 1024;

/// Why a body was not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    #[error("the body is larger than {0} bytes")]
    TooLarge(usize),
    #[error("the base is busy reading other uploads; try again shortly")]
    Busy,
    #[error("the body did not arrive in time")]
    Slow,
    #[error("the body could not be read: {0}")]
    Broken(String),
}

/// The shared budget.
#[derive(Debug)]
pub struct BodyBudget {
    sem: Arc<Semaphore>,
    capacity: usize,
    wait: Duration,
    read_timeout: Duration,
    held: AtomicUsize,
    peak: AtomicUsize,
}

/// Bytes held from the budget; given back when dropped.
#[derive(Debug)]
pub struct Held {
    permit: Option<OwnedSemaphorePermit>,
    bytes: usize,
    budget: Arc<BodyBudget>,
}

impl Drop for Held {
    fn drop(&mut self) {
        self.budget.held.fetch_sub(self.bytes, Ordering::SeqCst);
        drop(self.permit.take());
    }
}

impl BodyBudget {
    /// A budget of `capacity` bytes; a request waits at most `wait` for its share and
    /// must arrive whole within `read_timeout`.
    pub fn new(capacity: usize, wait: Duration, read_timeout: Duration) -> Arc<BodyBudget> {
        let capacity = capacity.min(Semaphore::MAX_PERMITS);
        Arc::new(BodyBudget {
            sem: Arc::new(Semaphore::new(capacity)),
            capacity,
            wait,
            read_timeout,
            held: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
        })
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The most bytes ever held at once.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    /// Bytes held now.
    pub fn held(&self) -> usize {
        self.held.load(Ordering::SeqCst)
    }

    async fn take(self: &Arc<Self>, bytes: usize, into: &mut Held) -> Result<(), BodyError> {
        let n = u32::try_from(bytes).map_err(|_| BodyError::TooLarge(self.capacity))?;
        if bytes > self.capacity {
            return Err(BodyError::TooLarge(self.capacity));
        }
        let permit = tokio::time::timeout(self.wait, self.sem.clone().acquire_many_owned(n))
            .await
            .map_err(|_| BodyError::Busy)?
            .map_err(|_| BodyError::Busy)?;
        match &mut into.permit {
            Some(p) => p.merge(permit),
            slot @ None => *slot = Some(permit),
        }
        into.bytes += bytes;
        let now = self.held.fetch_add(bytes, Ordering::SeqCst) + bytes;
        self.peak.fetch_max(now, Ordering::SeqCst);
        Ok(())
    }

    /// Reads `body` (at most `limit` bytes; `declared` from `Content-Length`) within the
    /// budget. The bytes stay held until the returned [`Held`] is dropped.
    pub async fn read(
        self: &Arc<Self>,
        declared: Option<usize>,
        body: Body,
        limit: usize,
    ) -> Result<(Vec<u8>, Held), BodyError> {
        if declared.is_some_and(|n| n > limit) {
            return Err(BodyError::TooLarge(limit));
        }
        let mut held = Held {
            permit: None,
            bytes: 0,
            budget: self.clone(),
        };
        let first = declared.unwrap_or(CHUNK).min(limit);
        self.take(first, &mut held).await?;
        let mut buf = Vec::with_capacity(declared.unwrap_or(0).min(limit));
        let read = async {
            let mut body = body;
            while let Some(frame) = body.frame().await {
                let frame = frame.map_err(|e| BodyError::Broken(e.to_string()))?;
                let Ok(data) = frame.into_data() else {
                    continue;
                };
                if buf.len() + data.len() > limit {
                    return Err(BodyError::TooLarge(limit));
                }
                let short = (buf.len() + data.len()).saturating_sub(held.bytes);
                if short > 0 {
                    self.take(short.div_ceil(CHUNK) * CHUNK, &mut held).await?;
                }
                buf.extend_from_slice(&data);
            }
            Ok(())
        };
        tokio::time::timeout(self.read_timeout, read)
            .await
            .map_err(|_| BodyError::Slow)??;
        Ok((buf, held))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget(bytes: usize) -> Arc<BodyBudget> {
        BodyBudget::new(bytes, Duration::from_millis(100), Duration::from_secs(5))
    }

    #[tokio::test]
    async fn a_body_is_read_whole_and_its_bytes_given_back_when_done() {
        let b = budget(1000);
        let (bytes, held) = b.read(Some(5), Body::from("hello"), 100).await.unwrap();
        assert_eq!((bytes.as_slice(), b.held()), (&b"hello"[..], 5));
        drop(held);
        assert_eq!((b.held(), b.peak()), (0, 5));
    }

    #[tokio::test]
    async fn a_declared_length_over_the_limit_is_refused_before_reading() {
        let b = budget(1000);
        let err = b.read(Some(101), Body::from("x"), 100).await.unwrap_err();
        assert_eq!((err, b.peak()), (BodyError::TooLarge(100), 0));
    }

    #[tokio::test]
    async fn a_body_that_cannot_get_its_share_in_time_is_busy() {
        let b = budget(1000);
        let (_, first) = b
            .read(Some(800), Body::from("x".repeat(800)), 1000)
            .await
            .unwrap();
        let second = b.read(Some(300), Body::from("y".repeat(300)), 1000).await;
        assert_eq!(second.unwrap_err(), BodyError::Busy);
        drop(first);
        assert!(
            b.read(Some(300), Body::from("y".repeat(300)), 1000)
                .await
                .is_ok()
        );
        assert_eq!(b.peak(), 800);
    }

    #[tokio::test]
    async fn a_body_longer_than_it_declared_or_than_the_limit_is_too_large() {
        let b = budget(1 << 20);
        let err = b
            .read(None, Body::from("z".repeat(200)), 100)
            .await
            .unwrap_err();
        assert_eq!(err, BodyError::TooLarge(100));
        assert_eq!(b.held(), 0);
    }
}
