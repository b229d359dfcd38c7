//! The rules of each published fair, parsed once per revision: a request asks the
//! store only for the fair's revision (one indexed read) and reparses the fair file
//! only after a new publish.

use crate::store::{Result, Store};
use crate::validate::FairRules;
use jobfair_domain::fair::FairFile;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Default)]
pub struct FairCache {
    known: Mutex<HashMap<String, Arc<FairRules>>>,
}

impl FairCache {
    /// The rules of the fair's current revision, `None` when it is not published here.
    pub async fn get(&self, store: &dyn Store, fair_id: &str) -> Result<Option<Arc<FairRules>>> {
        let Some(revision) = store.fair_revision(fair_id).await? else {
            return Ok(None);
        };
        if let Some(hit) = self.lock().get(fair_id)
            && hit.revision == revision
        {
            return Ok(Some(hit.clone()));
        }
        let Some((revision, doc)) = store.fair(fair_id).await? else {
            return Ok(None);
        };
        let fair = FairFile::from_json(&doc)
            .map_err(|e| crate::store::Error::Corrupt(format!("stored fair {fair_id}: {e}")))?;
        let rules = Arc::new(FairRules::of(&fair, revision));
        self.lock().insert(fair_id.to_string(), rules.clone());
        Ok(Some(rules))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<FairRules>>> {
        self.known.lock().unwrap_or_else(|p| p.into_inner())
    }
}
