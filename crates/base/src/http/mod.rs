//! The HTTP side of the base (contract `jobfair-base/1`, README "Base server"):
//! `/healthz` and `/readyz` for the operator, and behind [`door`] — which checks the
//! kiosk's token on the headers, before a byte of the body is read — `POST /v1/records`
//! and `GET /v1/openings`. Bodies are read within one shared byte budget ([`budget`]).

pub mod budget;
mod door;
mod error;
mod fairs;
mod handlers;

pub use budget::BodyBudget;
pub use fairs::FairCache;

use crate::seal_key::BaseSealKeys;
use crate::store::Store;
use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use std::sync::Arc;

/// What every request handler shares.
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub budget: Arc<BodyBudget>,
    pub fairs: FairCache,
    /// The keys that open the numbers kiosks seal to the base; `None` without a key file
    /// (sealed sign-ups are then refused).
    pub seal_keys: Option<Arc<BaseSealKeys>>,
}

/// The router of a base over `state`.
pub fn router(state: Arc<AppState>) -> Router {
    let kiosk_api = Router::new()
        .route("/v1/records", post(handlers::records))
        .route("/v1/openings", get(handlers::openings))
        .route_layer(from_fn_with_state(state.clone(), door::door));
    Router::new()
        .route("/healthz", get(handlers::healthz))
        .route("/readyz", get(handlers::readyz))
        .merge(kiosk_api)
        .layer(from_fn_with_state(state.clone(), door::log))
        .with_state(state)
}
