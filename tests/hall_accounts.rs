//! Account protection in the service: lockout after wrong passwords (the same for
//! names nobody holds), password rules, the forced change of a password an
//! administrator set, the lock screen's password check, and the permission to see a
//! full identity number.

mod support;

use lianfang::domain::officer::Role;
use lianfang::domain::registration::Field;
use lianfang::hall::{
    AuditFilter, Command, Hall, HallError, HallExt, NewOfficer, Query, QueryReply, SessionToken,
};
use support::*;

fn audit_actions(t: &TestHall, admin: &SessionToken, officer: &str) -> Vec<String> {
    let filter = AuditFilter {
        officer: Some(officer.to_string()),
        ..AuditFilter::default()
    };
    match t.hall.query(admin, Query::Audit(filter)).unwrap() {
        QueryReply::Audit(records) => records.into_iter().map(|r| r.action).collect(),
        other => panic!("expected the audit trail, got {other:?}"),
    }
}

/// Five wrong passwords in a row, as a guesser would type them.
fn five_wrong(t: &TestHall, username: &str) -> Vec<HallError> {
    (0..5)
        .map(|i| {
            t.hall
                .login(username, &format!("guess{i}x"), "前台")
                .unwrap_err()
        })
        .collect()
}

fn locked(minutes: i64) -> HallError {
    HallError::Locked { minutes }
}

#[test]
fn five_wrong_passwords_lock_an_account_for_fifteen_minutes() {
    let t = TestHall::new();
    let admin = t.officer("admin", Role::Admin, "xfj");
    add_officer(&t.hall, "rs1", Role::Window, "rs");
    let errors = five_wrong(&t, "rs1");
    assert!(errors[..4].iter().all(|e| *e == HallError::BadCredentials));
    assert_eq!(errors[4], locked(15));
    // The right password does not open a locked account, nor is it checked.
    assert_eq!(
        t.hall.login("rs1", PASSWORD, "前台").unwrap_err(),
        locked(15)
    );
    t.clock.advance_minutes(14);
    assert_eq!(
        t.hall.login("rs1", PASSWORD, "前台").unwrap_err(),
        locked(1)
    );
    t.clock.advance_minutes(1);
    t.login("rs1", "前台");
    // The count starts again from nothing after a success.
    for _ in 0..4 {
        t.hall.login("rs1", "wrong-pass-1", "").unwrap_err();
    }
    t.login("rs1", "前台");
    assert_eq!(
        t.hall.login("rs1", "wrong-pass-1", "").unwrap_err(),
        HallError::BadCredentials
    );
    let actions = audit_actions(&t, &admin, "rs1");
    let count = |what: &str| actions.iter().filter(|a| a.contains(what)).count();
    assert_eq!(count("登录失败"), 10);
    assert_eq!(count("账号锁定 15 分钟"), 1);
    assert_eq!(count("登录被拒绝：账号锁定中"), 2);
    assert_eq!(actions.iter().filter(|a| *a == "登录").count(), 2);
}

#[test]
fn a_name_nobody_holds_is_refused_and_locked_exactly_like_a_real_account() {
    let t = TestHall::new();
    let admin = t.officer("admin", Role::Admin, "xfj");
    add_officer(&t.hall, "rs1", Role::Window, "rs");
    let real = five_wrong(&t, "rs1");
    let ghost = five_wrong(&t, "nobody");
    assert_eq!(real, ghost);
    assert_eq!(
        t.hall.login("nobody", PASSWORD, "").unwrap_err(),
        t.hall.login("rs1", PASSWORD, "").unwrap_err()
    );
    assert_eq!(
        locked(15).to_string(),
        "密码连续输错 5 次，账号已锁定，请 15 分钟后再试，或请管理员解锁"
    );
    // Failed logins are audited under the name that was typed.
    assert!(audit_actions(&t, &admin, "nobody").len() >= 6);
}

#[test]
fn an_administrator_unlocks_an_account_and_both_are_audited() {
    let t = TestHall::new();
    let admin = t.officer("admin", Role::Admin, "xfj");
    let rs = t.officer("rs1", Role::Window, "rs");
    add_officer(&t.hall, "rs2", Role::Window, "rs");
    five_wrong(&t, "rs2");
    let unlock = Command::UnlockAccount {
        username: "rs2".into(),
    };
    denied(t.hall.command(&rs, unlock.clone()));
    assert_eq!(t.hall.login("rs2", PASSWORD, "").unwrap_err(), locked(15));
    t.hall.command(&admin, unlock).unwrap();
    t.login("rs2", "前台");
    let mine = audit_actions(&t, &admin, "admin");
    assert!(mine.contains(&"解除锁定 rs2".to_string()), "{mine:?}");
    assert!(matches!(
        t.hall.command(
            &admin,
            Command::UnlockAccount {
                username: "ghost".into()
            }
        ),
        Err(HallError::NotFound(_))
    ));
}

#[test]
fn passwords_follow_the_rules_wherever_they_are_set() {
    let t = TestHall::new();
    let admin = t.officer("admin", Role::Admin, "xfj");
    let rs = t.officer("rs1", Role::Window, "rs");
    let new = |password: &str| {
        Command::AddOfficer(NewOfficer {
            username: "zhang3".into(),
            display_name: "张三".into(),
            role: Role::Window,
            department: dept("rs"),
            password: password.into(),
        })
    };
    for (password, says) in [
        ("abc123", "至少 8 位"),
        ("abcdefghij", "字母和数字"),
        ("1234567890", "字母和数字"),
        ("Zhang3", "至少 8 位"),
    ] {
        let (field, message) = invalid(t.hall.command(&admin, new(password)));
        assert_eq!(field, Field::Password);
        assert!(message.contains(says), "{password}: {message}");
    }
    let (_, message) = invalid(t.hall.command(
        &admin,
        Command::SetPassword {
            username: "rs1".into(),
            password: "RS1".into(),
        },
    ));
    assert!(message.contains("至少 8 位"));
    let (_, message) = invalid(t.hall.command(
        &rs,
        Command::SetPassword {
            username: "rs1".into(),
            password: "onlyletters".into(),
        },
    ));
    assert!(message.contains("字母和数字"));
    add_officer(&t.hall, "wang5678", Role::Window, "rs");
    let (_, message) = invalid(t.hall.command(
        &admin,
        Command::SetPassword {
            username: "wang5678".into(),
            password: "WANG5678".into(),
        },
    ));
    assert!(message.contains("不能与用户名相同"));
    t.hall.command(&admin, new("zhang-2026")).unwrap();
}

#[test]
fn an_account_the_administrator_created_or_reset_must_change_its_password_first() {
    let t = TestHall::new();
    let admin = t.officer("admin", Role::Admin, "xfj");
    t.hall
        .command(
            &admin,
            Command::AddOfficer(NewOfficer {
                username: "rs1".into(),
                display_name: "张人社".into(),
                role: Role::Window,
                department: dept("rs"),
                password: "chushi-2026".into(),
            }),
        )
        .unwrap();
    let s = t.hall.login("rs1", "chushi-2026", "").unwrap();
    assert!(s.must_change_password);
    let token = s.token;
    assert_eq!(
        t.hall.query(&token, Query::Queue).unwrap_err(),
        HallError::MustChangePassword
    );
    assert_eq!(
        t.hall.command(&token, Command::CallNext).unwrap_err(),
        HallError::MustChangePassword
    );
    let own = |password: &str| Command::SetPassword {
        username: "rs1".into(),
        password: password.into(),
    };
    let (_, message) = invalid(t.hall.command(&token, own("chushi-2026")));
    assert!(message.contains("不能与原密码相同"));
    t.hall.command(&token, own("wode-mima-9")).unwrap();
    // The same session goes on, and the next login is free.
    t.hall.queue(&token).unwrap();
    assert!(
        !t.hall
            .login("rs1", "wode-mima-9", "")
            .unwrap()
            .must_change_password
    );
    // A reset by the administrator forces a change again.
    t.hall
        .command(
            &admin,
            Command::SetPassword {
                username: "rs1".into(),
                password: "chongzhi-2026".into(),
            },
        )
        .unwrap();
    assert!(
        t.hall
            .login("rs1", "chongzhi-2026", "")
            .unwrap()
            .must_change_password
    );
}

#[test]
fn the_lock_screen_checks_the_password_and_counts_wrong_ones_toward_the_lockout() {
    let t = TestHall::new();
    let rs = t.officer("rs1", Role::Window, "rs");
    let confirm = |password: &str| Command::ConfirmPassword {
        password: password.into(),
    };
    t.hall.command(&rs, confirm(PASSWORD)).unwrap();
    for _ in 0..4 {
        assert_eq!(
            t.hall.command(&rs, confirm("not-mine-1")).unwrap_err(),
            HallError::BadCredentials
        );
    }
    assert_eq!(
        t.hall.command(&rs, confirm("not-mine-1")).unwrap_err(),
        locked(15)
    );
    // Locked out: the session is over and a new login waits out the lockout.
    assert_eq!(t.hall.queue(&rs).unwrap_err(), HallError::NotLoggedIn);
    assert_eq!(t.hall.login("rs1", PASSWORD, "").unwrap_err(), locked(15));
}

#[test]
fn only_intake_leaders_and_administrators_see_a_full_identity_number_and_each_view_is_audited() {
    let t = TestHall::new();
    let admin = t.officer("admin", Role::Admin, "xfj");
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let rs = t.officer("rs1", Role::Window, "rs");
    let id = nth_id(7);
    let r = t
        .hall
        .register(&reg, walk_in("张三", &id, "", "rs"))
        .unwrap();
    let before = t.snapshot();
    denied(t.hall.profile(&rs, r.visitor, true));
    assert_eq!(t.snapshot(), before);
    assert_ne!(
        t.hall
            .profile(&rs, r.visitor, false)
            .unwrap()
            .card
            .id_number,
        id
    );
    assert_eq!(
        t.hall
            .profile(&reg, r.visitor, true)
            .unwrap()
            .card
            .id_number,
        id
    );
    let views: Vec<String> = audit_actions(&t, &admin, "reg")
        .into_iter()
        .filter(|a| a.starts_with("查看完整身份信息"))
        .collect();
    assert_eq!(views.len(), 1);
    assert!(
        !views[0].contains(&id),
        "the audit never holds the full number"
    );
}

#[test]
fn a_desk_name_too_long_or_with_control_characters_is_refused_at_login() {
    let t = TestHall::new();
    add_officer(&t.hall, "rs1", Role::Window, "rs");
    let long = "人社一号窗口".repeat(7);
    for desk in [long.as_str(), "一号\u{1b}[2J"] {
        match t.hall.login("rs1", PASSWORD, desk) {
            Err(HallError::Invalid(e)) => assert_eq!(e.field, Field::Desk, "{e}"),
            other => panic!("{desk:?} should be refused, got {other:?}"),
        }
    }
    t.login("rs1", &long[..long.len() - 2 * "人社一号窗口".len()]);
    // Refused before the password is checked: the two refusals were not counted
    // toward the lockout, which comes at the fifth wrong password, not the third.
    let errors = five_wrong(&t, "rs1");
    assert!(errors[..4].iter().all(|e| *e == HallError::BadCredentials));
    assert_eq!(errors[4], locked(15));
}
