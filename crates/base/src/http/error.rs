//! A failed request: its status and a JSON body `{"error": ...}`.

use super::budget::BodyError;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header::RETRY_AFTER};
use axum::response::{IntoResponse, Response};
use jobfair_protocol::{ErrorBody, MAX_RECORDS_PER_REQUEST};

/// Seconds a kiosk is asked to wait before it tries a busy base again.
pub const RETRY_AFTER_SECONDS: u32 = 2;

#[derive(Debug)]
pub enum ApiError {
    Unauthorized,
    BadRequest(String),
    TooMany(usize),
    TooLarge(usize),
    NotFound(String),
    Busy(String),
    Slow,
    Internal(String),
}

impl From<crate::store::Error> for ApiError {
    fn from(e: crate::store::Error) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl From<BodyError> for ApiError {
    fn from(e: BodyError) -> Self {
        match e {
            BodyError::TooLarge(n) => ApiError::TooLarge(n),
            BodyError::Busy => ApiError::Busy(e.to_string()),
            BodyError::Slow => ApiError::Slow,
            BodyError::Broken(m) => ApiError::BadRequest(m),
        }
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
                format!("{n} records in one request; at most {MAX_RECORDS_PER_REQUEST}"),
            ),
            ApiError::TooLarge(n) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the body is larger than {n} bytes"),
            ),
            ApiError::NotFound(m) => (StatusCode::NOT_FOUND, m),
            ApiError::Busy(m) => (StatusCode::SERVICE_UNAVAILABLE, m),
            ApiError::Slow => (
                StatusCode::REQUEST_TIMEOUT,
                "the body did not arrive in time".to_string(),
            ),
            ApiError::Internal(m) => {
                tracing::error!(error = %m, "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, m)
            }
        };
        let mut response = (status, Json(ErrorBody { error: message })).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
