//! A backup of the whole hall, taken by an administrator while desks keep working.

use std::io::Write;

use super::LocalHall;
use crate::hall::api::SessionToken;
use crate::hall::error::{HallError, HallResult};
use crate::hall::permissions::{self, Action};
use crate::store::backup::{self, BackupHeader, BACKUP_FORMAT};
use crate::store::LAYOUT;

impl LocalHall {
    /// Writes a consistent copy of the store to `out` (see [`crate::store::backup`]),
    /// and audits it. Administrators only: the copy holds every visitor's record.
    pub fn backup(&self, token: &SessionToken, out: impl Write) -> HallResult<BackupHeader> {
        let session = self.session(token)?;
        permissions::require(&session.officer, Action::Backup)?;
        let header = BackupHeader {
            format: BACKUP_FORMAT,
            layout: LAYOUT,
            created: self.now().local(self.config.timezone).to_rfc3339(),
            hall: self.config.name.clone(),
        };
        let entries = backup::export(&self.store, &header, out)
            .map_err(|e| HallError::Storage(e.to_string()))?;
        self.store
            .write(|w| self.audit(w, &session, format!("备份数据库 {entries} 条"), None, None))?;
        Ok(header)
    }
}
