//! Audit records: who did what, when. Written for every command, never changed.

use serde::{Deserialize, Serialize};

use super::matter::MatterId;
use super::time::Timestamp;
use super::visitor::VisitorId;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub seq: u64,
    pub at: Timestamp,
    pub officer: String,
    pub desk: String,
    /// A short Chinese description: `登记来访 人社-007`.
    pub action: String,
    pub matter: Option<MatterId>,
    pub visitor: Option<VisitorId>,
}
