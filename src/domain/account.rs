//! Account protection rules: password strength, the lockout after repeated wrong
//! passwords, and the forced change of a password an administrator set.

use serde::{Deserialize, Serialize};

use super::time::Timestamp;

/// Wrong passwords in a row that lock an account.
pub const MAX_FAILURES: u32 = 5;
/// How long a lockout lasts.
pub const LOCKOUT_MINUTES: i64 = 15;
pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Why a password is refused, in words the officer can act on.
pub fn password_problem(username: &str, password: &str) -> Option<String> {
    let len = password.chars().count();
    if len < MIN_PASSWORD_CHARS {
        return Some(format!("密码至少 {MIN_PASSWORD_CHARS} 位，现在是 {len} 位"));
    }
    if len > MAX_PASSWORD_CHARS {
        return Some(format!("密码不能超过 {MAX_PASSWORD_CHARS} 位"));
    }
    let letters = password.chars().any(|c| c.is_ascii_alphabetic());
    let digits = password.chars().any(|c| c.is_ascii_digit());
    if !letters || !digits {
        return Some("密码须同时包含英文字母和数字".into());
    }
    if password.trim().eq_ignore_ascii_case(username.trim()) {
        return Some("密码不能与用户名相同".into());
    }
    None
}

/// The sign-in state of one username, kept apart from the account so that a name
/// nobody holds is counted and locked exactly like a real one: a lockout must not
/// tell a guesser which accounts exist.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginGuard {
    pub username: String,
    /// Wrong passwords since the last success or lockout.
    pub failures: u32,
    pub locked_until: Option<Timestamp>,
    /// The password was set by an administrator: nothing works until the officer changes it.
    pub must_change_password: bool,
}

/// What a wrong password did to the guard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    Counted {
        left: u32,
    },
    /// This failure locked the account.
    Locked,
}

impl LoginGuard {
    pub fn new(username: &str) -> LoginGuard {
        LoginGuard {
            username: username.to_string(),
            ..LoginGuard::default()
        }
    }

    pub fn is_locked(&self, now: Timestamp) -> bool {
        self.locked_until.is_some_and(|until| now < until)
    }

    /// Whole minutes (rounded up) until the lockout ends.
    pub fn minutes_left(&self, now: Timestamp) -> i64 {
        self.locked_until
            .map_or(0, |until| ((until.0 - now.0).max(0) + 59) / 60)
    }

    pub fn fail(&mut self, now: Timestamp) -> Failure {
        if self.locked_until.is_some_and(|until| now >= until) {
            // A lockout that ran out starts a fresh count.
            self.locked_until = None;
            self.failures = 0;
        }
        self.failures += 1;
        if self.failures >= MAX_FAILURES {
            self.failures = 0;
            self.locked_until = Some(Timestamp(now.0 + LOCKOUT_MINUTES * 60));
            Failure::Locked
        } else {
            Failure::Counted {
                left: MAX_FAILURES - self.failures,
            }
        }
    }

    /// A right password, or an administrator's unlock, clears the count.
    pub fn clear(&mut self) {
        self.failures = 0;
        self.locked_until = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_need_eight_characters_letters_digits_and_not_the_username() {
        assert!(password_problem("zhang", "abc123").is_some());
        assert!(password_problem("zhang", "abcdefgh").is_some());
        assert!(password_problem("zhang", "12345678").is_some());
        assert!(password_problem("zhang01x", "ZHANG01X").is_some());
        assert!(password_problem("zhang", &"a1".repeat(65)).is_some());
        assert_eq!(password_problem("zhang", "desk-pass-2026"), None);
        assert_eq!(password_problem("zhang", "密码abc12345"), None);
    }

    #[test]
    fn five_failures_lock_for_fifteen_minutes_then_counting_starts_again() {
        let t0 = Timestamp(1_000_000);
        let mut g = LoginGuard::new("zhang");
        for left in (1..MAX_FAILURES).rev() {
            assert_eq!(g.fail(t0), Failure::Counted { left });
            assert!(!g.is_locked(t0));
        }
        assert_eq!(g.fail(t0), Failure::Locked);
        assert!(g.is_locked(t0));
        assert_eq!(g.minutes_left(t0), 15);
        let almost = Timestamp(t0.0 + LOCKOUT_MINUTES * 60 - 1);
        assert!(g.is_locked(almost));
        assert_eq!(g.minutes_left(almost), 1);
        let after = Timestamp(t0.0 + LOCKOUT_MINUTES * 60);
        assert!(!g.is_locked(after));
        assert_eq!(g.fail(after), Failure::Counted { left: 4 });
        g.clear();
        assert_eq!(g.failures, 0);
        assert!(!g.is_locked(after));
    }
}
