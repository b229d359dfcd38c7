//! The HTTP routes (contract `jobfair-base/1`, see README "Base server"). SQLite work
//! runs in `spawn_blocking` on one mutex-guarded connection, so one request's ingest
//! is one transaction, committed before its answer is sent.

use super::{Error, auth, db, ingest};
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, StatusCode, header::AUTHORIZATION};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{SecondsFormat, Utc};
use jobfair_protocol::{
    ErrorBody, MAX_BODY_BYTES, MAX_RECORDS_PER_REQUEST, OpeningsAck, OpeningsQuery, RecordsAck,
    RecordsRequest, VERSION,
};
use rusqlite::Connection;
use std::sync::{Arc, Mutex};

struct Shared {
    conn: Mutex<Connection>,
}

/// The router over an open, migrated `base.db` connection.
pub fn router(conn: Connection) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/v1/records", post(records))
        .route("/v1/openings", get(openings))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(Arc::new(Shared {
            conn: Mutex::new(conn),
        }))
}

/// A failed request: its status and a JSON body `{"error": ...}`.
#[derive(Debug)]
enum ApiError {
    Unauthorized,
    BadRequest(String),
    TooMany(usize),
    NotFound(String),
    Internal(String),
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "missing or unknown kiosk token".to_string(),
            ),
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, m),
            ApiError::TooMany(n) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "{n} records in one request; at most {}",
                    MAX_RECORDS_PER_REQUEST
                ),
            ),
            ApiError::NotFound(m) => (StatusCode::NOT_FOUND, m),
            ApiError::Internal(m) => {
                eprintln!("base: internal error: {m}");
                (StatusCode::INTERNAL_SERVER_ERROR, m)
            }
        };
        (status, Json(ErrorBody { error: message })).into_response()
    }
}

type ApiResult<T> = Result<T, ApiError>;

/// Runs `f` on the connection in the blocking pool.
async fn with_db<T, F>(state: Arc<Shared>, f: F) -> ApiResult<T>
where
    T: Send + 'static,
    F: FnOnce(&mut Connection) -> ApiResult<T> + Send + 'static,
{
    tokio::task::spawn_blocking(move || {
        let mut conn = state.conn.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut conn)
    })
    .await
    .map_err(|e| ApiError::Internal(format!("worker failed: {e}")))?
}

/// The kiosk named by the request's bearer token.
fn authenticate(conn: &Connection, token: Option<&str>) -> ApiResult<String> {
    let token = token.ok_or(ApiError::Unauthorized)?;
    auth::kiosk_for_token(conn, token)?.ok_or(ApiError::Unauthorized)
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok());
    auth::bearer(value).map(str::to_string)
}

async fn healthz() -> &'static str {
    "ok"
}

async fn records(
    State(state): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<RecordsAck>> {
    let token = bearer(&headers);
    // Parsed outside the lock; judged only once the token is known to be good.
    let parsed = serde_json::from_slice::<RecordsRequest>(&body);
    let results = with_db(state, move |conn| {
        let kiosk = authenticate(conn, token.as_deref())?;
        let request = parsed.map_err(|e| ApiError::BadRequest(format!("malformed body: {e}")))?;
        if request.records.len() > MAX_RECORDS_PER_REQUEST {
            return Err(ApiError::TooMany(request.records.len()));
        }
        let now = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
        Ok(ingest::ingest(conn, &kiosk, &request.records, &now)?)
    })
    .await?;
    Ok(Json(RecordsAck {
        ack: VERSION.to_string(),
        results,
    }))
}

async fn openings(
    State(state): State<Arc<Shared>>,
    headers: HeaderMap,
    query: Result<Query<OpeningsQuery>, QueryRejection>,
) -> ApiResult<Json<OpeningsAck>> {
    let token = bearer(&headers);
    let answer = with_db(state, move |conn| {
        authenticate(conn, token.as_deref())?;
        let Query(q) = query.map_err(|e| ApiError::BadRequest(e.body_text()))?;
        let (revision, doc) = db::fair(conn, &q.fair_id)?
            .ok_or_else(|| ApiError::NotFound(format!("no fair {:?} on this base", q.fair_id)))?;
        let fair = if revision > q.since {
            let doc = serde_json::from_str(&doc)
                .map_err(|e| ApiError::Internal(format!("stored fair unreadable: {e}")))?;
            Some(doc)
        } else {
            None
        };
        Ok(OpeningsAck {
            ack: VERSION.to_string(),
            fair_id: q.fair_id,
            revision,
            fair,
        })
    })
    .await?;
    Ok(Json(answer))
}
