//! The door: a kiosk request is let in only with a known token, checked on the headers
//! alone — an unauthenticated upload is answered `401` before a byte of its body is
//! read (and its connection closed, so the body is never drained). And the access log:
//! method, path, status, time, kiosk name; never a token, a query or a body.

use super::AppState;
use super::error::ApiError;
use crate::auth;
use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Instant;

/// The kiosk a request was authenticated as.
#[derive(Debug, Clone)]
pub struct Kiosk(pub String);

pub async fn door(State(app): State<Arc<AppState>>, mut req: Request, next: Next) -> Response {
    let header = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let Some(token) = auth::bearer(header) else {
        return ApiError::Unauthorized.into_response();
    };
    let kiosks = match app.store.kiosk_hashes().await {
        Ok(k) => k,
        Err(e) => return ApiError::Busy(format!("database unavailable: {e}")).into_response(),
    };
    match auth::kiosk_among(&kiosks, token) {
        Some(name) => {
            req.extensions_mut().insert(Kiosk(name));
            next.run(req).await
        }
        None => ApiError::Unauthorized.into_response(),
    }
}

pub async fn log(State(_): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let (method, path) = (req.method().clone(), req.uri().path().to_string());
    let response = next.run(req).await;
    let kiosk = response
        .extensions()
        .get::<Kiosk>()
        .map_or("-", |k| k.0.as_str())
        .to_string();
    let status = response.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1e3;
    if status >= 500 {
        tracing::warn!(%method, path, status, ms, kiosk, "request");
    } else {
        tracing::info!(%method, path, status, ms, kiosk, "request");
    }
    response
}
