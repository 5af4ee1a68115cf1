//! The desk's password screens: the forced change of an administrator-set password
//! and the lock screen after idle time, rendered at 80×24 and 120×40 and driven by key.

mod tui_support;

use lianfang::domain::officer::Role;
use lianfang::hall::{Command, Hall};
use lianfang::tui::app::Screen;
use lianfang::tui::event::AppEvent;
use ratatui::crossterm::event::KeyCode;
use tui_support::*;

fn snap(desk: &Desk, name: &str) {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut terminal = desk.render(w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text_of(&terminal));
        let p = terminal.get_cursor_position().expect("cursor");
        assert!(p.x < w && p.y < h, "{name}: cursor {p:?} off screen");
    }
}

fn log_in(desk: &mut Desk, user: &str, password: &str) {
    desk.type_text(user);
    desk.key(KeyCode::Enter);
    desk.type_text(password);
    desk.key(KeyCode::Enter);
}

/// A window account the administrator created: its password must be changed first.
fn new_account(t: &TestHall) {
    let admin = t.login("admin", "");
    let mut new = officer("rs2", "孙丽", Role::Window, "rs");
    new.password = "chushi-2026".into();
    t.hall
        .command(&admin, Command::AddOfficer(new))
        .expect("the administrator adds an account");
}

fn tick(desk: &mut Desk, n: usize) {
    for _ in 0..n {
        desk.update(AppEvent::Tick);
        desk.settle();
    }
}

#[test]
fn an_administrator_set_password_is_changed_before_anything_else() {
    let t = TestHall::staffed();
    new_account(&t);
    let mut desk = Desk::new(t.hall.clone());
    log_in(&mut desk, "rs2", "chushi-2026");
    assert_eq!(desk.app.screen(), Screen::ChangePassword);
    // No screen key leads away from it.
    for key in [KeyCode::F(2), KeyCode::F(3), KeyCode::F(10), KeyCode::Esc] {
        desk.key(key);
        assert_eq!(desk.app.screen(), Screen::ChangePassword);
    }
    // Entries that differ are caught on the desk; a weak password by the hall.
    desk.type_text("abc");
    desk.key(KeyCode::Enter);
    desk.type_text("abd");
    desk.key(KeyCode::Enter);
    assert!(desk.screen_text(80, 24).contains("两次输入的密码不一致"));
    desk.type_text("abcdefgh");
    desk.key(KeyCode::Enter);
    desk.type_text("abcdefgh");
    desk.key(KeyCode::Enter);
    assert_eq!(desk.app.screen(), Screen::ChangePassword);
    snap(&desk, "change_password_refused");
    desk.type_text("wode-mima-9");
    desk.key(KeyCode::Enter);
    desk.type_text("wode-mima-9");
    desk.key(KeyCode::Enter);
    assert_eq!(desk.app.screen(), Screen::Board);
    assert!(desk.screen_text(120, 40).contains("密码已修改"));
    desk.key(KeyCode::F(2));
    assert_eq!(desk.app.screen(), Screen::Intake);
    assert!(t.hall.login("rs2", "wode-mima-9", "").is_ok());
}

#[test]
fn an_idle_desk_locks_and_keeps_what_was_typed_behind_the_lock() {
    let t = TestHall::staffed();
    let mut desk = Desk::logged_in(t.hall.clone(), "rs1");
    desk.app.set_lock_after(1);
    desk.key(KeyCode::F(2));
    desk.type_text("张秀英");
    // A key between ticks keeps the desk open: idle time counts from the last key.
    tick(&mut desk, 1);
    desk.key(KeyCode::Left);
    tick(&mut desk, 1);
    assert!(!desk.app.is_locked());
    tick(&mut desk, 1);
    assert!(desk.app.is_locked());
    let locked = desk.screen_text(120, 40);
    assert!(!locked.contains("张秀英"), "{locked}");
    assert!(locked.contains("李娜（rs1，人社）"), "{locked}");
    // Screen keys and help stay behind the lock.
    desk.key(KeyCode::F(1));
    desk.key(KeyCode::F(10));
    assert!(desk.app.is_locked());
    desk.type_text("wrong-pass-1");
    desk.key(KeyCode::Enter);
    assert!(desk.app.is_locked());
    snap(&desk, "lock_screen_wrong_password");
    desk.type_text(PASSWORD);
    desk.key(KeyCode::Enter);
    assert!(!desk.app.is_locked());
    assert_eq!(desk.app.screen(), Screen::Intake);
    assert!(desk.screen_text(120, 40).contains("张秀英"));
}

#[test]
fn wrong_passwords_at_the_lock_screen_lock_the_account_and_end_the_session() {
    let t = TestHall::staffed();
    let mut desk = Desk::logged_in(t.hall.clone(), "rs1");
    desk.app.set_lock_after(1);
    tick(&mut desk, 2);
    assert!(desk.app.is_locked());
    for _ in 0..5 {
        desk.type_text("wrong-pass-1");
        desk.key(KeyCode::Enter);
    }
    assert!(!desk.app.is_locked());
    assert_eq!(desk.app.screen(), Screen::Login);
    assert!(desk.app.ctx.session.is_none());
    assert!(desk.screen_text(120, 40).contains("账号已锁定"));
}

#[test]
fn a_desk_without_a_lock_time_never_locks() {
    let t = TestHall::staffed();
    let mut desk = Desk::logged_in(t.hall.clone(), "rs1");
    desk.app.set_lock_after(0);
    tick(&mut desk, 100);
    assert!(!desk.app.is_locked());
}
