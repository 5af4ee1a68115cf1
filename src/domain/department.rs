//! Departments that sit in the hall, as the config lists them.

use serde::{Deserialize, Serialize};

/// Short ASCII code of a department (`rs` for 人社), the key used everywhere.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DeptCode(pub String);

impl DeptCode {
    pub fn new(code: &str) -> DeptCode {
        DeptCode(code.to_string())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for DeptCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    pub code: DeptCode,
    pub name: String,
    /// Printed on tickets: `人社-007`.
    pub ticket_prefix: String,
    /// The intake desk (信访局) routes matters within the route deadline.
    pub intake: bool,
    /// Receives 检举控告类 matters and may see them (纪委监委).
    pub accusations: bool,
}
