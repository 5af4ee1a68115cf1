//! Passwords (argon2id) and session tokens.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use rand::RngCore;

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

pub fn hash_password(password: &str) -> Result<String, HallError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HallError::Storage(format!("密码加密失败：{e}")))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
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
