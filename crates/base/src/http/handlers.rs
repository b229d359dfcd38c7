//! The handlers: health, readiness, records, openings.

use super::AppState;
use super::door::Kiosk;
use super::error::{ApiError, ApiResult};
use crate::ingest::{self, Read};
use crate::store::Checked;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Extension, Query, Request, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_LENGTH;
use axum::response::{IntoResponse, Response};
use chrono::{SecondsFormat, Utc};
use jobfair_protocol::{
    MAX_BODY_BYTES, MAX_RECORDS_PER_REQUEST, OpeningsAck, OpeningsQuery, RecordsAck,
    RecordsRequest, VERSION,
};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// How long `/readyz` waits for the database.
const READY_WAIT: Duration = Duration::from_secs(3);

pub async fn healthz() -> &'static str {
    "ok"
}

pub async fn readyz(State(app): State<Arc<AppState>>) -> Response {
    match tokio::time::timeout(READY_WAIT, app.store.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready").into_response(),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database too slow").into_response(),
    }
}

pub async fn records(
    State(app): State<Arc<AppState>>,
    Extension(kiosk): Extension<Kiosk>,
    req: Request,
) -> ApiResult<Response> {
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let (bytes, held) = app
        .budget
        .read(declared, req.into_body(), MAX_BODY_BYTES)
        .await?;
    let request: RecordsRequest = serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::BadRequest(format!("malformed body: {e}")))?;
    drop(bytes);
    if request.records.len() > MAX_RECORDS_PER_REQUEST {
        return Err(ApiError::TooMany(request.records.len()));
    }
    let name = kiosk.0.clone();
    // Hashing every payload and opening every sealed box (X25519, once per key tried) is
    // CPU work: off the async workers, which keep answering other kiosks meanwhile.
    let keys = app.seal_keys.clone();
    let reader = name.clone();
    let reads: Vec<Result<Read, _>> = tokio::task::spawn_blocking(move || {
        request
            .records
            .into_iter()
            .map(|r| {
                ingest::read(r, &reader).and_then(|read| ingest::unseal(read, keys.as_deref()))
            })
            .collect()
    })
    .await
    .map_err(|e| ApiError::Internal(format!("reading the records failed: {e}")))?;
    let mut fairs = HashMap::new();
    for r in reads.iter().flatten() {
        let id = r.payload.fair_id();
        if !fairs.contains_key(id) {
            let rules = app.fairs.get(app.store.as_ref(), id).await?;
            fairs.insert(id.to_string(), rules);
        }
    }
    let checked: Vec<Checked> = reads
        .into_iter()
        .map(|r| match r {
            Ok(read) => {
                let fair = fairs.get(read.payload.fair_id()).and_then(|f| f.as_deref());
                ingest::judge(read, fair)
            }
            Err(answer) => Checked::Refused(answer),
        })
        .collect();
    let n = checked.len();
    // Its own task: a kiosk that hangs up does not cut a transaction short, and a
    // graceful stop waits for it like for any request in flight.
    let store = app.store.clone();
    let now = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
    let results = tokio::spawn(async move { store.ingest(&name, checked, &now).await })
        .await
        .map_err(|e| ApiError::Internal(format!("ingest task failed: {e}")))??;
    drop(held);
    tracing::debug!(kiosk = %kiosk.0, records = n, "batch stored");
    let mut response = Json(RecordsAck {
        ack: VERSION.to_string(),
        results,
    })
    .into_response();
    response.extensions_mut().insert(kiosk);
    Ok(response)
}

pub async fn openings(
    State(app): State<Arc<AppState>>,
    Extension(kiosk): Extension<Kiosk>,
    query: Result<Query<OpeningsQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(q) = query.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let (revision, doc) = app.store.fair(&q.fair_id).await?.ok_or_else(|| {
        ApiError::NotFound(format!(
            "no fair {:?} on this base",
            crate::validate::printable(&q.fair_id)
        ))
    })?;
    let fair = if revision > q.since {
        let doc = serde_json::from_str(&doc)
            .map_err(|e| ApiError::Internal(format!("stored fair unreadable: {e}")))?;
        Some(doc)
    } else {
        None
    };
    let mut response = Json(OpeningsAck {
        ack: VERSION.to_string(),
        fair_id: q.fair_id,
        revision,
        fair,
    })
    .into_response();
    response.extensions_mut().insert(kiosk);
    Ok(response)
}
