//! An export from PostgreSQL: one read-only snapshot, rows through portals.

use super::EXPORT_FETCH;
use crate::store::{Error, ExportRow, ExportSink, Result};
use tokio_postgres::IsolationLevel;

const SIGN_UPS: &str = "
SELECT payload FROM (
    SELECT payload, fair_id, at, seq, row_number() OVER (
        PARTITION BY kiosk, registration_id ORDER BY at DESC, received_at DESC, seq DESC) AS n
    FROM records WHERE kind = 'registration') AS latest
WHERE n = 1 ORDER BY fair_id, at, seq";
const BY_KIND: &str = "SELECT payload FROM records WHERE kind = $1 ORDER BY fair_id, at, seq";
const CONFLICTS: &str = "SELECT id, kiosk, received_at, payload FROM conflicts ORDER BY seq";
/// Streams every sheet's rows into `sink`, [`EXPORT_FETCH`] rows per round trip.
pub(super) async fn export(
    client: &mut deadpool_postgres::Object,
    sink: &mut dyn ExportSink,
) -> Result<()> {
    let stop = |e: String| Error::Worker(format!("export stopped: {e}"));
    // One snapshot for every sheet; rows come through a portal, EXPORT_FETCH at a time.
    let tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await?;
    let queries: [(&str, Option<&str>); 4] = [
        (SIGN_UPS, None),
        (BY_KIND, Some("stage")),
        (BY_KIND, Some("check_in")),
        (CONFLICTS, None),
    ];
    for (sheet, (sql, kind)) in queries.into_iter().enumerate() {
        let stmt = tx.prepare(sql).await?;
        let portal = match &kind {
            Some(k) => tx.bind(&stmt, &[k]).await?,
            None => tx.bind(&stmt, &[]).await?,
        };
        loop {
            let rows = tx.query_portal(&portal, EXPORT_FETCH).await?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                let row = match sheet {
                    0 => ExportRow::SignUp(row.get(0)),
                    1 => ExportRow::Stage(row.get(0)),
                    2 => ExportRow::CheckIn(row.get(0)),
                    _ => ExportRow::Conflict {
                        id: row.get(0),
                        kiosk: row.get(1),
                        received_at: row.get(2),
                        payload: row.get(3),
                    },
                };
                sink.row(row).map_err(stop)?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}
