//! Officers (desk accounts) and their roles.

use serde::{Deserialize, Serialize};

use super::department::DeptCode;
use super::time::Timestamp;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// 登记员: intake, registers visits.
    Registrar,
    /// 窗口: a department's window, calls and receives visitors.
    Window,
    /// 带班领导: the leader on duty.
    Leader,
    /// 管理员: manages accounts, sees everything.
    Admin,
    /// 大屏: the wall display, reads the queue only.
    Display,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Registrar,
        Role::Window,
        Role::Leader,
        Role::Admin,
        Role::Display,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Role::Registrar => "登记员",
            Role::Window => "窗口",
            Role::Leader => "带班领导",
            Role::Admin => "管理员",
            Role::Display => "大屏",
        }
    }

    pub fn from_label(text: &str) -> Option<Role> {
        let text = text.trim();
        Role::ALL.into_iter().find(|r| {
            r.label() == text || format!("{r:?}").eq_ignore_ascii_case(text) || r.cli_name() == text
        })
    }

    /// The word used on the command line (`--role window`).
    pub fn cli_name(self) -> &'static str {
        match self {
            Role::Registrar => "registrar",
            Role::Window => "window",
            Role::Leader => "leader",
            Role::Admin => "admin",
            Role::Display => "display",
        }
    }
}

/// Usernames are ASCII so they can be typed without an IME at the login screen.
pub fn valid_username(name: &str) -> bool {
    (2..=32).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Officer {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub department: DeptCode,
    /// argon2id PHC string.
    pub password_hash: String,
    pub disabled: bool,
    pub created: Timestamp,
}

/// What other desks may know of an officer: never the hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficerInfo {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub department: DeptCode,
    pub disabled: bool,
}

impl From<&Officer> for OfficerInfo {
    fn from(o: &Officer) -> Self {
        OfficerInfo {
            username: o.username.clone(),
            display_name: o.display_name.clone(),
            role: o.role,
            department: o.department.clone(),
            disabled: o.disabled,
        }
    }
}
