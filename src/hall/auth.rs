//! Passwords (argon2id) and session tokens.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use rand::RngCore;
use std::sync::{Condvar, Mutex};

use super::api::SessionToken;
use super::error::HallError;
use crate::domain::registration::{Field, FieldError};

pub const MIN_PASSWORD_CHARS: usize = 8;

pub fn check_password_rules(password: &str) -> Result<(), HallError> {
    let len = password.chars().count();
    if len < MIN_PASSWORD_CHARS {
        return Err(FieldError::new(
            Field::Password,
            format!("密码至少 {MIN_PASSWORD_CHARS} 位，现在是 {len} 位"),
        )
        .into());
    }
    if len > 128 {
        return Err(FieldError::new(Field::Password, "密码不能超过 128 位").into());
    }
    Ok(())
}

/// Hashes running at once. Each argon2 hash takes 19 MiB and a core: when
/// twenty desks log in at opening time, hashing them two at a time keeps the
/// server's memory flat and finishes no later on two cores.
const CONCURRENT_HASHES: usize = 2;

static HASHING: Mutex<usize> = Mutex::new(0);
static HASH_DONE: Condvar = Condvar::new();

fn with_hash_slot<R>(f: impl FnOnce() -> R) -> R {
    let lock = || HASHING.lock().unwrap_or_else(|p| p.into_inner());
    {
        let mut busy = lock();
        while *busy >= CONCURRENT_HASHES {
            busy = HASH_DONE.wait(busy).unwrap_or_else(|p| p.into_inner());
        }
        *busy += 1;
    }
    let result = f();
    *lock() -= 1;
    HASH_DONE.notify_one();
    result
}

pub fn hash_password(password: &str) -> Result<String, HallError> {
    let salt = SaltString::generate(&mut OsRng);
    with_hash_slot(|| Argon2::default().hash_password(password.as_bytes(), &salt))
        .map(|h| h.to_string())
        .map_err(|e| HallError::Storage(format!("密码加密失败：{e}")))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            with_hash_slot(|| Argon2::default().verify_password(password.as_bytes(), &parsed))
                .is_ok()
        })
        .unwrap_or(false)
}

pub fn new_token() -> SessionToken {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    SessionToken(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_only_the_right_password() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong horse", &h));
        assert!(!verify_password("x", "not a hash"));
        assert_ne!(new_token(), new_token());
        assert!(check_password_rules("short").is_err());
        assert!(check_password_rules("long enough").is_ok());
    }
}
