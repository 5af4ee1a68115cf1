//! Signing in and account changes: the lockout after wrong passwords, the forced
//! change of a password an administrator set, the desk's lock screen, and the
//! administrator's account commands.

use super::LocalHall;
use crate::domain::account::{Failure, LoginGuard, LOCKOUT_MINUTES, MAX_FAILURES};
use crate::domain::officer::{valid_username, Officer, OfficerInfo};
use crate::domain::registration::{Field, FieldError};
use crate::domain::ticket::check_desk_name;
use crate::hall::api::{Command, CommandReply, EventKind, Session};
use crate::hall::auth;
use crate::hall::error::{HallError, HallResult};
use crate::hall::permissions::{self, Action};
use crate::store::Writer;

/// The longest username kept in an audit record of a failed login: what a guesser
/// types is recorded, but not without bound.
const MAX_AUDITED_NAME: usize = 32;

impl LocalHall {
    fn guard(&self, w: &Writer, username: &str) -> HallResult<LoginGuard> {
        Ok(w.get::<LoginGuard>(username.as_bytes())?
            .unwrap_or_else(|| LoginGuard::new(username)))
    }

    /// Counts a wrong password for `username` (held by an account or not), audits it
    /// and the lockout it may cause, and says what to tell the desk.
    fn wrong_password(&self, username: &str, desk: &str, what: &str) -> HallResult<HallError> {
        let now = self.now();
        let audited: String = username.chars().take(MAX_AUDITED_NAME).collect();
        self.store.write(|w| {
            self.audit_as(w, &audited, desk, what.to_string(), None, None)?;
            // A name no account could have is never stored; it can never exist either.
            if !valid_username(username) {
                return Ok(HallError::BadCredentials);
            }
            let mut guard = self.guard(w, username)?;
            let failure = guard.fail(now);
            w.put(&guard)?;
            Ok(match failure {
                Failure::Counted { .. } => HallError::BadCredentials,
                Failure::Locked => {
                    self.audit_as(
                        w,
                        username,
                        desk,
                        format!("连续 {MAX_FAILURES} 次密码错误，账号锁定 {LOCKOUT_MINUTES} 分钟"),
                        None,
                        None,
                    )?;
                    HallError::Locked {
                        minutes: LOCKOUT_MINUTES,
                    }
                }
            })
        })
    }

    /// A locked username is refused before its password is even checked.
    fn refuse_if_locked(&self, username: &str, desk: &str, what: &str) -> HallResult<()> {
        let now = self.now();
        let Some(guard) = self.store.get::<LoginGuard>(username.as_bytes())? else {
            return Ok(());
        };
        if !guard.is_locked(now) {
            return Ok(());
        }
        self.store
            .write(|w| self.audit_as(w, username, desk, what.to_string(), None, None))?;
        Err(HallError::Locked {
            minutes: guard.minutes_left(now),
        })
    }

    pub(super) fn sign_in(
        &self,
        username: &str,
        password: &str,
        desk: &str,
    ) -> HallResult<Session> {
        let username = username.trim();
        let desk = desk.trim();
        check_desk_name(desk)?;
        let audit_desk = if desk.is_empty() { "-" } else { desk };
        self.refuse_if_locked(username, audit_desk, "登录被拒绝：账号锁定中")?;
        let officer: Option<Officer> = self.store.get(username.as_bytes())?;
        let right = match &officer {
            Some(o) => auth::verify_password(password, &o.password_hash),
            None => {
                auth::verify_nothing(password);
                false
            }
        };
        let officer = match officer {
            Some(o) if right => o,
            _ => {
                return Err(self.wrong_password(
                    username,
                    audit_desk,
                    "登录失败：用户名或密码错误",
                )?)
            }
        };
        if officer.disabled {
            self.store.write(|w| {
                self.audit_as(
                    w,
                    username,
                    audit_desk,
                    "登录被拒绝：账号已停用".into(),
                    None,
                    None,
                )
            })?;
            return Err(HallError::Denied("该账号已停用，请联系管理员".into()));
        }
        let desk = if desk.is_empty() {
            format!(
                "{}-{}",
                self.config.dept_short(&officer.department),
                officer.username
            )
        } else {
            desk.to_string()
        };
        let must_change_password = self.store.write(|w| {
            let mut guard = self.guard(w, username)?;
            if guard.failures > 0 || guard.locked_until.is_some() {
                guard.clear();
                w.put(&guard)?;
            }
            self.audit_as(w, username, &desk, "登录".into(), None, None)?;
            Ok::<_, HallError>(guard.must_change_password)
        })?;
        let session = Session {
            token: auth::new_token(),
            officer: OfficerInfo::from(&officer),
            desk,
            must_change_password,
        };
        self.sessions
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(session.token.clone(), session.clone());
        Ok(session)
    }

    /// The lock screen's password, checked like a login's: a wrong one counts toward
    /// the lockout, and the lockout ends the session.
    pub(super) fn confirm_password(
        &self,
        s: &Session,
        password: &str,
    ) -> HallResult<(CommandReply, Vec<EventKind>)> {
        let username = s.officer.username.as_str();
        let locked = self.refuse_if_locked(username, &s.desk, "锁屏解锁被拒绝：账号锁定中");
        if let Err(e) = locked {
            self.end_sessions_of(username);
            return Err(e);
        }
        let officer: Officer = self
            .store
            .get(username.as_bytes())?
            .ok_or(HallError::BadCredentials)?;
        if !auth::verify_password(password, &officer.password_hash) {
            let e = self.wrong_password(username, &s.desk, "锁屏解锁失败：密码错误")?;
            if matches!(e, HallError::Locked { .. }) {
                self.end_sessions_of(username);
            }
            return Err(e);
        }
        self.store.write(|w| {
            let mut guard = self.guard(w, username)?;
            if guard.failures > 0 {
                guard.clear();
                w.put(&guard)?;
            }
            self.audit(w, s, "锁屏后重新输入密码解锁".into(), None, None)
        })?;
        Ok((CommandReply::Done, Vec::new()))
    }

    /// Marks what an administrator's hand on a password means: the officer must change
    /// it at the next login, and a lockout on it ends.
    fn set_by_administrator(&self, w: &mut Writer, s: &Session, username: &str) -> HallResult<()> {
        let mut guard = self.guard(w, username)?;
        if guard.locked_until.is_some() {
            self.audit(w, s, format!("解除锁定 {username}"), None, None)?;
        }
        guard.clear();
        guard.must_change_password = true;
        w.put(&guard)?;
        Ok(())
    }

    /// The officer's own new password: not the one it replaces (a forced change that
    /// keeps the administrator's password changes nothing).
    fn change_own_password(&self, w: &mut Writer, s: &Session, password: &str) -> HallResult<()> {
        let username = s.officer.username.as_str();
        let officer: Officer = w
            .get(username.as_bytes())?
            .ok_or_else(|| HallError::NotFound(format!("用户“{username}”")))?;
        auth::check_password_rules(username, password)?;
        if auth::verify_password(password, &officer.password_hash) {
            return Err(FieldError::new(Field::Password, "新密码不能与原密码相同").into());
        }
        self.update_officer(w, username, Some(password), None)?;
        let mut guard = self.guard(w, username)?;
        if guard.must_change_password {
            guard.must_change_password = false;
            w.put(&guard)?;
        }
        self.audit(w, s, format!("修改本人密码 {username}"), None, None)
    }

    pub(super) fn officer_command(
        &self,
        s: &Session,
        command: Command,
    ) -> HallResult<(CommandReply, Vec<EventKind>)> {
        let own_password = matches!(&command, Command::SetPassword { username, .. } if *username == s.officer.username);
        if !own_password {
            permissions::require(&s.officer, Action::ManageOfficers)?;
        }
        if matches!(&command, Command::SetDisabled { username, disabled: true } if *username == s.officer.username)
        {
            // The last administrator would lock the hall out of account management.
            return Err(HallError::Conflict(
                "不能停用自己正在使用的账号，请由另一位管理员操作".into(),
            ));
        }
        self.store.write(|w| match &command {
            Command::AddOfficer(new) => {
                self.create_officer(w, new)?;
                self.set_by_administrator(w, s, &new.username)?;
                self.audit(
                    w,
                    s,
                    format!("新建账号 {}（{}）", new.username, new.role.label()),
                    None,
                    None,
                )
            }
            Command::SetPassword { password, .. } if own_password => {
                self.change_own_password(w, s, password)
            }
            Command::SetPassword { username, password } => {
                self.update_officer(w, username, Some(password), None)?;
                self.set_by_administrator(w, s, username)?;
                self.audit(w, s, format!("修改密码 {username}"), None, None)
            }
            Command::SetDisabled { username, disabled } => {
                self.update_officer(w, username, None, Some(*disabled))?;
                let verb = if *disabled { "停用" } else { "启用" };
                self.audit(w, s, format!("{verb}账号 {username}"), None, None)
            }
            Command::UnlockAccount { username } => {
                if w.get::<Officer>(username.as_bytes())?.is_none() {
                    return Err(HallError::NotFound(format!("用户“{username}”")));
                }
                let mut guard = self.guard(w, username)?;
                guard.clear();
                w.put(&guard)?;
                self.audit(w, s, format!("解除锁定 {username}"), None, None)
            }
            _ => Ok(()),
        })?;
        // A disabled account, or one whose password the administrator reset (it
        // may have leaked), must log in again; an own change frees the session.
        match &command {
            Command::SetDisabled {
                username,
                disabled: true,
            } => self.end_sessions_of(username),
            Command::SetPassword { username, .. } if own_password => {
                self.password_changed_in_sessions_of(username)
            }
            Command::SetPassword { username, .. } => self.end_sessions_of(username),
            _ => {}
        }
        Ok((CommandReply::Done, vec![EventKind::OfficersChanged]))
    }

    fn password_changed_in_sessions_of(&self, username: &str) {
        let mut sessions = self.sessions.write().unwrap_or_else(|p| p.into_inner());
        for s in sessions.values_mut() {
            if s.officer.username == username {
                s.must_change_password = false;
            }
        }
    }
}
