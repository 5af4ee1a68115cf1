//! Errors of the service, in words a desk officer can act on. They travel over
//! the network, so they carry text, not source errors.

use serde::{Deserialize, Serialize};

use crate::domain::registration::FieldError;
use crate::store::StoreError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum HallError {
    /// A form field is wrong; the screen shows it beside that field.
    #[error("{0}")]
    Invalid(FieldError),
    #[error("用户名或密码不正确，请重新输入")]
    BadCredentials,
    #[error("登录已失效，请重新登录")]
    NotLoggedIn,
    #[error("权限不足：{0}")]
    Denied(String),
    #[error("找不到{0}")]
    NotFound(String),
    /// The command cannot apply to the current state (empty queue, nothing called …).
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Storage(String),
    /// The server cannot be reached (network front end only).
    #[error("无法连接服务器：{0}")]
    Unavailable(String),
    #[error("通信错误：{0}")]
    Protocol(String),
    /// Too many wrong passwords; said the same way for a username nobody holds.
    #[error("密码连续输错 {max} 次，账号已锁定，请 {minutes} 分钟后再试，或请管理员解锁", max = crate::domain::account::MAX_FAILURES)]
    Locked { minutes: i64 },
    #[error("管理员设置的密码须先修改：请先设置自己的新密码，再进行其他操作")]
    MustChangePassword,
}

impl From<FieldError> for HallError {
    fn from(e: FieldError) -> Self {
        HallError::Invalid(e)
    }
}

impl From<StoreError> for HallError {
    fn from(e: StoreError) -> Self {
        HallError::Storage(e.to_string())
    }
}

pub type HallResult<T> = Result<T, HallError>;
