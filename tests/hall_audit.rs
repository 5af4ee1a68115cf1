//! The audit trail: append-only in the store, numbered without gaps, and readable as a
//! whole by administrators with filters by matter, officer and period.

mod support;

use lianfang::domain::audit::AuditRecord;
use lianfang::domain::officer::Role;
use lianfang::domain::time::Timestamp;
use lianfang::hall::{AuditFilter, Hall, HallError, HallExt, Query, QueryReply, SessionToken};
use lianfang::store::StoreError;
use support::*;

fn trail(t: &TestHall, admin: &SessionToken, filter: AuditFilter) -> Vec<AuditRecord> {
    match t.hall.query(admin, Query::Audit(filter)).unwrap() {
        QueryReply::Audit(records) => records,
        other => panic!("expected the audit trail, got {other:?}"),
    }
}

#[test]
fn an_audit_record_is_never_overwritten_and_numbers_only_grow() {
    let t = TestHall::new();
    let admin = t.officer("admin", Role::Admin, "xfj");
    let reg = t.officer("reg", Role::Registrar, "xfj");
    t.hall
        .register(&reg, walk_in("张三", &nth_id(1), "", "rs"))
        .unwrap();
    let all = trail(&t, &admin, AuditFilter::default());
    let seqs: Vec<u64> = all.iter().map(|r| r.seq).collect();
    let expected: Vec<u64> = (1..=seqs.len() as u64).collect();
    assert_eq!(seqs, expected, "numbered 1, 2, 3 … in order");
    // A second write under an existing number is refused and changes nothing.
    let mut forged = all[0].clone();
    forged.action = "篡改".into();
    let before = t.snapshot();
    let result = t.hall.store().write(|w| w.append(&forged));
    assert!(
        matches!(result, Err(StoreError::Exists { .. })),
        "{result:?}"
    );
    assert_eq!(t.snapshot(), before);
    // Twice in one transaction as well.
    let mut fresh = forged.clone();
    fresh.seq = 1_000;
    let result = t.hall.store().write(|w| {
        w.append(&fresh)?;
        w.append(&fresh)
    });
    assert!(matches!(result, Err(StoreError::Exists { .. })));
    assert_eq!(t.snapshot(), before);
}

#[test]
fn the_whole_trail_is_filtered_by_matter_officer_and_period_for_administrators_only() {
    let t = TestHall::new();
    let admin = t.officer("admin", Role::Admin, "xfj");
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let leader = t.officer("boss", Role::Leader, "xfj");
    let first = t
        .hall
        .register(&reg, walk_in("张三", &nth_id(1), "", "rs"))
        .unwrap();
    t.clock.advance_minutes(24 * 60);
    let noon = t.hall.now();
    let second = t
        .hall
        .register(&reg, walk_in("李四", &nth_id(2), "", "rs"))
        .unwrap();
    t.hall.profile(&reg, second.visitor, true).unwrap();
    t.hall.login("reg", "wrong-pass-1", "前台").unwrap_err();

    denied(t.hall.query(&leader, Query::Audit(AuditFilter::default())));
    let by_matter = trail(
        &t,
        &admin,
        AuditFilter {
            matter: Some(first.matter),
            ..AuditFilter::default()
        },
    );
    assert_eq!(by_matter.len(), 1);
    assert!(by_matter[0].action.starts_with("登记来访"));
    let of_reg: Vec<String> = trail(
        &t,
        &admin,
        AuditFilter {
            officer: Some("reg".into()),
            from: Some(noon),
            ..AuditFilter::default()
        },
    )
    .into_iter()
    .map(|r| r.action)
    .collect();
    assert_eq!(of_reg.len(), 3, "{of_reg:?}");
    assert!(of_reg[0].starts_with("登记来访"));
    assert!(of_reg[1].starts_with("查看完整身份信息"));
    assert_eq!(of_reg[2], "登录失败：用户名或密码错误");
    let before_noon = trail(
        &t,
        &admin,
        AuditFilter {
            to: Some(noon),
            ..AuditFilter::default()
        },
    );
    assert!(before_noon.iter().all(|r| r.at < noon));
    assert!(before_noon.iter().any(|r| r.action == "登录"));
    assert!(before_noon.iter().all(|r| r.matter != Some(second.matter)));
    let empty = trail(
        &t,
        &admin,
        AuditFilter {
            from: Some(Timestamp(noon.0 + 3600)),
            ..AuditFilter::default()
        },
    );
    assert!(empty.is_empty());
}

#[test]
fn exports_are_recorded_through_their_entry_point() {
    let t = TestHall::new();
    let admin = t.officer("admin", Role::Admin, "xfj");
    t.hall
        .record_export(&admin, "来访登记表 2026-11 共 3 条", None)
        .unwrap();
    let last = trail(&t, &admin, AuditFilter::default()).pop().unwrap();
    assert_eq!(last.action, "导出 来访登记表 2026-11 共 3 条");
    assert_eq!(last.officer, "admin");
    assert_eq!(
        t.hall
            .record_export(&SessionToken("gone".into()), "x", None)
            .unwrap_err(),
        HallError::NotLoggedIn
    );
}
