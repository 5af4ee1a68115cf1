//! Key persons (四色管理) through `LocalHall`: only leaders and administrators grade, every
//! change is kept with who, when and why, audited, and shows in the queue, the lookup and
//! the profile.

mod support;

use lianfang::domain::officer::Role;
use lianfang::domain::visitor::KeyGrade;
use lianfang::hall::{Command, Hall, HallError, HallExt, SessionToken};
use support::*;

fn grade(
    t: &TestHall,
    token: &SessionToken,
    visitor: u64,
    grade: Option<KeyGrade>,
    reason: &str,
) -> Result<(), HallError> {
    t.hall
        .command(
            token,
            Command::SetKeyGrade {
                visitor,
                grade,
                reason: reason.into(),
            },
        )
        .map(|_| ())
}

#[test]
fn only_leaders_and_administrators_grade_key_persons_and_a_refusal_writes_nothing() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let r = t
        .hall
        .register(&reg, walk_in("张三", &nth_id(1), "", "rs"))
        .unwrap();
    let refused = [
        t.officer("rs1", Role::Window, "rs"),
        t.officer("reg2", Role::Registrar, "rs"),
        t.officer("screen", Role::Display, "xfj"),
    ];
    let before = t.snapshot();
    for token in &refused {
        let message = denied(grade(&t, token, r.visitor, Some(KeyGrade::A), "多次越级访"));
        assert!(message.contains("重点人员"), "{message}");
    }
    assert_eq!(t.snapshot(), before);
    assert_eq!(
        t.hall.profile(&reg, r.visitor, false).unwrap().key_grades,
        vec![]
    );

    let leader = t.officer("rsld", Role::Leader, "rs");
    grade(&t, &leader, r.visitor, Some(KeyGrade::B), "多次集体访").unwrap();
    let admin = t.officer("admin", Role::Admin, "xfj");
    grade(&t, &admin, r.visitor, Some(KeyGrade::A), "扬言进京").unwrap();
    assert_eq!(t.visitor(r.visitor).key_grade, Some(KeyGrade::A));
    // A reason is required.
    let (field, message) = invalid(grade(&t, &leader, r.visitor, None, "  "));
    assert_eq!(field, lianfang::domain::registration::Field::Note);
    assert!(message.contains("理由"), "{message}");
    // Unknown visitors are not found.
    assert!(matches!(
        grade(&t, &leader, 9999, Some(KeyGrade::C), "核查"),
        Err(HallError::NotFound(_))
    ));
    t.assert_consistent();
}

#[test]
fn every_grade_change_is_kept_with_who_when_and_why_and_audited() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let leader = t.officer("rsld", Role::Leader, "rs");
    let r = t
        .hall
        .register(&reg, walk_in("张三", &nth_id(1), "", "rs"))
        .unwrap();
    let first_day = t.hall.now();
    grade(&t, &leader, r.visitor, Some(KeyGrade::C), "反复来访").unwrap();
    t.clock.advance_minutes(60 * 24 * 10);
    grade(&t, &leader, r.visitor, Some(KeyGrade::A), "扬言进京").unwrap();
    t.clock.advance_minutes(60 * 24 * 30);
    grade(&t, &leader, r.visitor, None, "已息诉罢访").unwrap();

    let p = t.hall.profile(&reg, r.visitor, false).unwrap();
    assert_eq!(p.card.key_grade, None);
    let changes: Vec<(Option<KeyGrade>, &str, i64, &str)> = p
        .key_grades
        .iter()
        .map(|c| {
            (
                c.grade,
                c.reason.as_str(),
                (c.at.0 - first_day.0) / 86_400,
                c.officer.as_str(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        vec![
            (Some(KeyGrade::C), "反复来访", 0, "rsld"),
            (Some(KeyGrade::A), "扬言进京", 10, "rsld"),
            (None, "已息诉罢访", 40, "rsld"),
        ]
    );
    // One audit record per change, naming the grade and the reason.
    let audit: Vec<String> = t
        .snapshot()
        .audit
        .into_iter()
        .filter(|a| a.visitor == Some(r.visitor) && a.action.starts_with("重点人员"))
        .map(|a| a.action)
        .collect();
    assert_eq!(audit.len(), 3, "{audit:?}");
    assert!(
        audit[1].contains("A") && audit[1].contains("扬言进京"),
        "{audit:?}"
    );
    assert!(audit[2].contains("取消"), "{audit:?}");
    t.assert_consistent();
}

#[test]
fn the_grade_shows_in_the_queue_the_lookup_and_the_profile() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let admin = t.officer("admin", Role::Admin, "xfj");
    let r = t
        .hall
        .register(&reg, walk_in("张三", &nth_id(1), "", "rs"))
        .unwrap();
    grade(&t, &admin, r.visitor, Some(KeyGrade::B), "多次集体访").unwrap();
    let queue = t.hall.queue(&reg).unwrap();
    let waiting = queue
        .departments
        .iter()
        .flat_map(|d| d.waiting.iter())
        .find(|e| e.ticket == r.ticket)
        .expect("waiting");
    assert_eq!(waiting.key_grade, Some(KeyGrade::B));
    let hits = t.hall.lookup(&reg, &nth_id(1), 5).unwrap();
    assert_eq!(hits[0].key_grade, Some(KeyGrade::B));
    let p = t.hall.profile(&reg, r.visitor, false).unwrap();
    assert_eq!(p.card.key_grade, Some(KeyGrade::B));
    assert_eq!(
        p.key_grades.last().map(|c| c.reason.as_str()),
        Some("多次集体访")
    );
}
