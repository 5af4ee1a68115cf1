//! Bad input at intake is refused by the service with a Chinese message that
//! names the field, and leaves nothing half-written.

mod support;

use lianfang::domain::matter::Category;
use lianfang::domain::officer::Role;
use lianfang::domain::registration::{Field, MatterChoice, RegistrationInput};
use lianfang::hall::{HallError, HallExt};
use support::*;

/// Each case: what the officer typed wrong, the field it must be reported on,
/// and a word the message must contain so the officer knows what to fix.
fn cases() -> Vec<(&'static str, RegistrationInput, Field, &'static str)> {
    let ok = || walk_in("张三", &nth_id(1), "13812345678", "rs");
    let with = |f: &dyn Fn(&mut RegistrationInput)| {
        let mut i = ok();
        f(&mut i);
        i
    };
    let mut bad_check = nth_id(1);
    let last = bad_check.pop().unwrap();
    bad_check.push(if last == '0' { '1' } else { '0' });
    let matter = |f: &dyn Fn(&mut lianfang::domain::registration::NewMatter)| {
        with(&|i| {
            if let MatterChoice::New(m) = &mut i.matter {
                f(m);
            }
        })
    };
    vec![
        (
            "empty id",
            with(&|i| i.id_number.clear()),
            Field::IdNumber,
            "身份证号码",
        ),
        (
            "short id",
            with(&|i| i.id_number = "1101011970".into()),
            Field::IdNumber,
            "身份证号码",
        ),
        (
            "check digit",
            with(&|i| i.id_number = bad_check.clone()),
            Field::IdNumber,
            "身份证号码",
        ),
        (
            "date",
            with(&|i| i.id_number = id18("19700230", 1)),
            Field::IdNumber,
            "身份证号码",
        ),
        (
            "future birth",
            with(&|i| i.id_number = id18("20300101", 1)),
            Field::IdNumber,
            "身份证号码",
        ),
        (
            "letter",
            with(&|i| i.id_number = "1101011970010100AX".into()),
            Field::IdNumber,
            "身份证号码",
        ),
        (
            "id with no-document box",
            with(&|i| i.no_document = true),
            Field::IdNumber,
            "无证件",
        ),
        (
            "phone length",
            with(&|i| i.phone = "1381234567".into()),
            Field::Phone,
            "手机号码",
        ),
        (
            "phone letters",
            with(&|i| i.phone = "138abc45678".into()),
            Field::Phone,
            "电话号码",
        ),
        (
            "landline area",
            with(&|i| i.phone = "62345678".into()),
            Field::Phone,
            "区号",
        ),
        (
            "empty name",
            with(&|i| i.name = "   ".into()),
            Field::Name,
            "姓名",
        ),
        (
            "digit in name",
            with(&|i| i.name = "张3".into()),
            Field::Name,
            "姓名",
        ),
        (
            "long name",
            with(&|i| i.name = "张".repeat(51)),
            Field::Name,
            "姓名",
        ),
        (
            "headcount 0",
            with(&|i| i.headcount = 0),
            Field::Headcount,
            "来访人数",
        ),
        (
            "headcount 1000",
            with(&|i| i.headcount = 1000),
            Field::Headcount,
            "来访人数",
        ),
        (
            "six representatives",
            with(&|i| {
                i.headcount = 30;
                i.representatives = ["甲一", "乙二", "丙三", "丁四", "戊五", "己六"]
                    .map(String::from)
                    .to_vec();
            }),
            Field::Representatives,
            "代表",
        ),
        (
            "group without representative",
            with(&|i| i.headcount = 5),
            Field::Representatives,
            "代表",
        ),
        (
            "bad representative name",
            with(&|i| {
                i.headcount = 5;
                i.representatives = vec!["李4".into()];
            }),
            Field::Representatives,
            "代表",
        ),
        (
            "unknown department",
            with(&|i| i.department = dept("nope")),
            Field::Department,
            "部门",
        ),
        (
            "long summary",
            matter(&|m| m.summary = "字".repeat(4001)),
            Field::Summary,
            "反映的问题",
        ),
        (
            "empty summary",
            matter(&|m| m.summary = " ".into()),
            Field::Summary,
            "反映的问题",
        ),
        (
            "empty place",
            matter(&|m| m.place = "".into()),
            Field::Place,
            "问题属地",
        ),
        (
            "unknown content class",
            matter(&|m| m.content_class = "外星人".into()),
            Field::ContentClass,
            "内容分类",
        ),
        (
            "long address",
            with(&|i| i.address = "路".repeat(201)),
            Field::Address,
            "住址",
        ),
        (
            "control character",
            matter(&|m| m.demands = "还钱\u{7}".into()),
            Field::Demands,
            "诉求",
        ),
    ]
}

#[test]
fn bad_registrations_are_refused_naming_the_field_and_write_nothing() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    // Something already stored, which must stay exactly as it is.
    t.hall
        .register(&reg, walk_in("李四", &nth_id(2), "", "rs"))
        .unwrap();
    let before = t.snapshot();
    for (what, input, field, word) in cases() {
        let (got, message) = invalid(t.hall.register(&reg, input));
        assert_eq!(got, field, "{what}: {message}");
        assert!(
            message.contains(word),
            "{what}: {message:?} should mention {word}"
        );
        assert!(
            message
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{what}: the message is in Chinese"
        );
        assert_eq!(t.snapshot(), before, "{what} left something behind");
    }
    t.assert_consistent();
    // The same form, corrected, goes through and numbers carry on without gaps.
    let r = t
        .hall
        .register(&reg, walk_in("张三", &nth_id(1), "13812345678", "rs"))
        .unwrap();
    assert_eq!(r.ticket_label, "人社-002");
    assert_eq!(r.matter_number, "2026-000002");
}

#[test]
fn limits_are_inclusive() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let mut input = walk_in(&"张".repeat(50), &nth_id(1), "", "rs");
    input.headcount = 40;
    input.representatives = ["甲一", "乙二", "丙三", "丁四", "戊五"]
        .map(String::from)
        .to_vec();
    if let MatterChoice::New(m) = &mut input.matter {
        m.summary = "字".repeat(4000);
    }
    t.hall.register(&reg, input).unwrap();
    t.assert_consistent();
}

#[test]
fn refusals_inside_the_transaction_write_nothing_either() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let first = t
        .hall
        .register(&reg, walk_in("张三", &nth_id(1), "", "rs"))
        .unwrap();
    let before = t.snapshot();
    // Attaching to a matter that does not exist is only found inside the
    // transaction, after counters were drawn.
    let mut input = walk_in("张三", &nth_id(1), "", "rs");
    input.matter = MatterChoice::Attach(first.matter + 100);
    match t.hall.register(&reg, input) {
        // The internal id means nothing to an officer, who knows matters by
        // numbers such as 2026-000001.
        Err(HallError::NotFound(what)) => {
            assert!(!what.contains(&(first.matter + 100).to_string()), "{what}");
            assert!(what.contains("事项"), "{what}");
        }
        other => panic!("expected not found, got {other:?}"),
    }
    // A picked visitor that does not exist.
    let mut input = walk_in("李四", &nth_id(2), "", "rs");
    input.visitor = Some(777);
    assert!(matches!(
        t.hall.register(&reg, input),
        Err(HallError::NotFound(_))
    ));
    assert_eq!(t.snapshot(), before);
    t.assert_consistent();
}

#[test]
fn an_identity_number_already_registered_to_someone_else_is_not_given_to_a_picked_visitor() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let zhang = t
        .hall
        .register(&reg, walk_in("张三", &nth_id(1), "", "rs"))
        .unwrap();
    let mut nodoc = walk_in("李四", "", "", "rs");
    nodoc.no_document = true;
    let li = t.hall.register(&reg, nodoc).unwrap();
    // 李四 comes back with a document — but the number typed is 张三's.
    let before = t.snapshot();
    let mut input = walk_in("李四", &nth_id(1), "", "rs");
    input.visitor = Some(li.visitor);
    let (field, message) = invalid(t.hall.register(&reg, input));
    assert_eq!(field, Field::IdNumber);
    assert!(message.contains("张三"), "{message}");
    assert_eq!(t.snapshot(), before);
    // The lookup still finds exactly one person by that number.
    let hits = t.hall.lookup(&reg, &nth_id(1), 5).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].visitor, zhang.visitor);
    // With their own number it works, and the visitor is then found by it (at another
    // department: 李四 already waits at 人社).
    let mut input = walk_in("李四", &nth_id(2), "", "zj");
    input.visitor = Some(li.visitor);
    assert_eq!(t.hall.register(&reg, input).unwrap().visitor, li.visitor);
    assert_eq!(
        t.hall.lookup(&reg, &nth_id(2), 5).unwrap()[0].visitor,
        li.visitor
    );
    t.assert_consistent();
}

#[test]
fn an_accusation_can_be_registered_by_intake_without_reading_it_back() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let mut input = walk_in("张三", &nth_id(1), "", "jw");
    input.matter = new_matter(Category::Accusation, "纪检监察", "举报");
    let r = t.hall.register(&reg, input).unwrap();
    assert_eq!(r.ticket_label, "纪委-001");
    t.assert_consistent();
}

#[test]
fn over_long_notes_and_reasons_at_the_desk_are_refused_and_write_nothing() {
    use lianfang::domain::matter::Outcome;
    use lianfang::domain::visitor::KeyGrade;
    use lianfang::hall::{Command, Hall};

    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let lead = t.officer("lead", Role::Leader, "rs");
    let r = t
        .hall
        .register(&reg, walk_in("张三", &nth_id(1), "", "rs"))
        .unwrap();
    t.hall.call_next(&lead).unwrap();
    let long = "长".repeat(2001);
    let before = t.snapshot();
    let refused = [
        invalid(t.hall.finish(&lead, Outcome::NotAccepted, &long)),
        invalid(t.hall.command(
            &lead,
            Command::Route {
                matter: r.matter,
                to: dept("zj"),
                assigned: false,
                reason: long.clone(),
            },
        )),
        invalid(t.hall.command(
            &lead,
            Command::SetKeyGrade {
                visitor: r.visitor,
                grade: Some(KeyGrade::A),
                reason: long.clone(),
            },
        )),
        invalid(t.hall.command(
            &lead,
            Command::AddNote {
                matter: r.matter,
                text: "换行可以\n响铃不行\u{7}".into(),
            },
        )),
    ];
    for (field, message) in refused {
        assert_eq!(field, Field::Note);
        assert!(
            message.contains("2000") || message.contains("控制字符"),
            "{message}"
        );
    }
    assert_eq!(t.snapshot(), before);
    assert!(t.hall.my_desk(&lead).unwrap().is_some(), "still serving");
}
