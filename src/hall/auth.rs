//! Passwords (argon2id) and session tokens.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use rand::RngCore;
use std::sync::{Condvar, Mutex};

use super::api::SessionToken;
use super::error::HallError;
use crate::domain::account::password_problem;
use crate::domain::registration::{Field, FieldError};

/// The password rules of `domain::account`, as a form error on the password field.
pub fn check_password_rules(username: &str, password: &str) -> Result<(), HallError> {
    match password_problem(username, password) {
        Some(problem) => Err(FieldError::new(Field::Password, problem).into()),
        None => Ok(()),
    }
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

/// Checks a password against no account as slowly as against a real one, so the
/// time a refusal takes does not tell which usernames exist.
pub fn verify_nothing(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let hash = DUMMY.get_or_init(|| hash_password("no account here 0").unwrap_or_default());
    verify_password(password, hash);
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
        assert!(check_password_rules("zhang", "short").is_err());
        assert!(check_password_rules("zhang", "long enough 1").is_ok());
    }
}
