//! Queries through `LocalHall`: the one-box lookup, the visitor profile, the
//! matter detail, the shared queue and a matter's audit trail.

mod support;

use lianfang::domain::matter::Outcome;
use lianfang::domain::officer::Role;
use lianfang::domain::registration::MatterChoice;
use lianfang::hall::{Command, HallExt, LookupHit, MatchKind, Query, QueryReply};
use lianfang::hall::{Hall, HallError};
use support::*;

const ZHANG_PHONE: &str = "13812345678";

/// A small hall: 张三 twice (rs, then zj), 张三丰, 曾小明, 单田芳, 解晓东, 李四 with a
/// legacy 15-digit number, and 王五 without a document.
struct People {
    t: TestHall,
    reg: lianfang::hall::SessionToken,
    zhang: u64,
    zhang_matter: String,
    zhangsanfeng: u64,
    zeng: u64,
    shan: u64,
    xie: u64,
    li: u64,
}

const LEGACY: &str = "110101800101123";

fn people() -> People {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    // A minute apart, so "most recent first" has one answer.
    let register = |input| {
        t.clock.advance_minutes(1);
        t.hall.register(&reg, input).unwrap()
    };
    let z = register(walk_in("张三", &nth_id(1), ZHANG_PHONE, "rs"));
    t.clock.advance_minutes(60 * 24);
    let mut again = walk_in("张三", &nth_id(1), "", "zj");
    again.matter = claim("楼上漏水");
    register(again);
    t.clock.advance_minutes(10);
    let zsf = register(walk_in("张三丰", &nth_id(2), "13900005678", "rs"));
    let zeng = register(walk_in("曾小明", &nth_id(3), "", "ga"));
    let shan = register(walk_in("单田芳", &nth_id(4), "", "ga"));
    let xie = register(walk_in("解晓东", &nth_id(5), "", "ga"));
    let li = register(walk_in("李四", LEGACY, "010-62345678", "mz"));
    let mut wang = walk_in("王五", "", "", "mz");
    wang.no_document = true;
    register(wang);
    People {
        zhang: z.visitor,
        zhang_matter: z.matter_number,
        zhangsanfeng: zsf.visitor,
        zeng: zeng.visitor,
        shan: shan.visitor,
        xie: xie.visitor,
        li: li.visitor,
        t,
        reg,
    }
}

impl People {
    fn find(&self, text: &str) -> Vec<LookupHit> {
        self.t.hall.lookup(&self.reg, text, 20).unwrap()
    }

    /// Visitor ids and how each was matched, best first.
    fn ranked(&self, text: &str) -> Vec<(u64, MatchKind)> {
        self.find(text)
            .into_iter()
            .map(|h| (h.visitor, h.matched))
            .collect()
    }
}

#[test]
fn lookup_by_identity_number_phone_and_their_parts() {
    let p = people();
    assert_eq!(p.ranked(&nth_id(1)), vec![(p.zhang, MatchKind::IdNumber)]);
    // Lower case x and full-width digits as an IME types them.
    let typed: String = nth_id(1)
        .chars()
        .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
        .collect();
    assert_eq!(p.ranked(&typed), vec![(p.zhang, MatchKind::IdNumber)]);

    // A prefix finds everyone born that way, in order of their last visit.
    let all = p.ranked("11010119700101");
    assert!(all.len() >= 5, "{all:?}");
    assert!(all.iter().all(|(_, k)| *k == MatchKind::IdPrefix));
    assert!(all.iter().any(|(v, _)| *v == p.zhang));

    assert_eq!(p.ranked(ZHANG_PHONE), vec![(p.zhang, MatchKind::Phone)]);
    assert_eq!(p.ranked("138 1234 5678"), vec![(p.zhang, MatchKind::Phone)]);
    // The last four digits find both mobiles ending in 5678 and the landline.
    let suffix = p.ranked("5678");
    assert_eq!(suffix.len(), 3, "{suffix:?}");
    assert!(suffix.iter().all(|(_, k)| *k == MatchKind::PhoneSuffix));
    // The most recent visitor first.
    assert_eq!(suffix[0].0, p.li);
    assert_eq!(p.ranked("010-62345678"), vec![(p.li, MatchKind::Phone)]);
}

#[test]
fn a_legacy_number_is_found_by_itself_and_by_its_18_digit_form() {
    let p = people();
    assert_eq!(p.ranked(LEGACY), vec![(p.li, MatchKind::IdNumber)]);
    let first17 = "11010119800101123";
    let check = lianfang::domain::identity::check_char(first17).unwrap();
    let modern = format!("{first17}{check}");
    assert_eq!(p.ranked(&modern), vec![(p.li, MatchKind::IdNumber)]);
    // Registering with the 18-digit form is the same person (at 卫健: 李四 waits at 民政).
    let r =
        p.t.hall
            .register(&p.reg, walk_in("李四", &modern, "", "wj"))
            .unwrap();
    assert_eq!(r.visitor, p.li);
    // And someone first registered with an 18-digit number who shows an old
    // 15-digit card is the same person too (sent to 司法: 张三 already waits elsewhere).
    let old_card = format!("{}{}", &nth_id(1)[..6], &nth_id(1)[8..17]);
    let r =
        p.t.hall
            .register(&p.reg, walk_in("张三", &old_card, "", "sf"))
            .unwrap();
    assert_eq!(r.visitor, p.zhang);
    p.t.assert_consistent();
}

#[test]
fn lookup_by_name_and_pinyin_ranks_exact_matches_first() {
    let p = people();
    // 张三 exactly, then 张三丰 who starts with it.
    assert_eq!(
        p.ranked("张三"),
        vec![
            (p.zhang, MatchKind::Name),
            (p.zhangsanfeng, MatchKind::NamePrefix)
        ]
    );
    assert_eq!(
        p.ranked("zs"),
        vec![
            (p.zhang, MatchKind::Initials),
            (p.zhangsanfeng, MatchKind::Initials)
        ]
    );
    assert_eq!(p.ranked("ZSF"), vec![(p.zhangsanfeng, MatchKind::Initials)]);
    assert_eq!(
        p.ranked("zhangsanfeng"),
        vec![(p.zhangsanfeng, MatchKind::Pinyin)]
    );
    let zhangsan = p.ranked("zhang san");
    assert_eq!(zhangsan[0], (p.zhang, MatchKind::Pinyin));
}

#[test]
fn polyphonic_surnames_are_found_by_their_surname_reading() {
    let p = people();
    assert!(p
        .ranked("zengxiaoming")
        .contains(&(p.zeng, MatchKind::Pinyin)));
    assert!(p.ranked("zxm").contains(&(p.zeng, MatchKind::Initials)));
    assert!(p
        .ranked("shantianfang")
        .contains(&(p.shan, MatchKind::Pinyin)));
    assert!(p.ranked("stf").contains(&(p.shan, MatchKind::Initials)));
    assert!(p
        .ranked("xiexiaodong")
        .contains(&(p.xie, MatchKind::Pinyin)));
    assert!(p.ranked("xxd").contains(&(p.xie, MatchKind::Initials)));
}

#[test]
fn every_listed_polyphonic_surname_is_found_by_its_surname_reading() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let people = [
        ("曾国强", "zengguoqiang", "zgq"),
        ("单雄信", "shanxiongxin", "sxx"),
        ("解缙", "xiejin", "xj"),
        ("仇大海", "qiudahai", "qdh"),
        ("朴树", "piaoshu", "ps"),
        ("区家明", "oujiaming", "ojm"),
        ("查良镛", "zhaliangyong", "zly"),
        ("乐嘉", "yuejia", "yj"),
        ("尉明", "yuming", "ym"),
    ];
    for (n, (name, _, _)) in people.iter().enumerate() {
        t.hall
            .register(&reg, walk_in(name, &nth_id(n as u32 + 1), "", "rs"))
            .unwrap();
    }
    for (name, full, initials) in people {
        for (text, kind) in [(full, MatchKind::Pinyin), (initials, MatchKind::Initials)] {
            let hits = t.hall.lookup(&reg, text, 10).unwrap();
            assert!(
                hits.iter().any(|h| h.name == name && h.matched == kind),
                "{name} by {text}: {hits:?}"
            );
        }
    }
}

#[test]
fn lookup_by_matter_number_and_the_hit_summary() {
    let p = people();
    assert_eq!(
        p.ranked(&p.zhang_matter),
        vec![(p.zhang, MatchKind::MatterNumber)]
    );
    let hit = &p.find("张三")[0];
    assert_eq!(hit.name, "张三");
    assert_eq!(hit.visit_count, 2);
    assert_eq!(hit.open_matters, 2);
    assert_eq!(hit.departments, vec![dept("rs"), dept("zj")]);
    assert_eq!(hit.last_visit, Some(local_time(2026, 11, 28, 9, 2)));
    // Numbers in hits are masked.
    let id = nth_id(1);
    assert_eq!(hit.id_masked, format!("{}********{}", &id[..6], &id[14..]));
    assert!(!hit.id_masked.contains(&id[6..14]));
    assert!(!hit.phone_masked.contains("1234"), "{}", hit.phone_masked);
    assert!(hit.phone_masked.ends_with("5678"));
    assert_eq!(MatchKind::MatterNumber.label(), "事项编号");

    // Nothing sensible to search for: nothing found, no error.
    assert!(p.find("   ").is_empty());
    assert!(p.find("123").is_empty());
    assert!(p.find("欧阳").is_empty());
    // The limit is respected.
    assert_eq!(p.t.hall.lookup(&p.reg, "1101011970", 2).unwrap().len(), 2);
}

#[test]
fn the_profile_shows_the_history_across_departments_masked_unless_asked() {
    let p = people();
    let rs = p.t.officer("rs1", Role::Window, "rs");
    p.t.hall.call_next(&rs).unwrap();
    p.t.hall.finish(&rs, Outcome::Accepted, "").unwrap();

    let audit_before = p.t.snapshot().audit.len();
    let profile = p.t.hall.profile(&rs, p.zhang, false).unwrap();
    assert_eq!(
        p.t.snapshot().audit.len(),
        audit_before,
        "a masked view is not audited"
    );
    assert_eq!(profile.card.name, "张三");
    assert_ne!(profile.card.id_number, nth_id(1));
    assert_eq!(profile.card.birth_date.as_deref(), Some("1970-01-01"));
    assert_eq!(profile.card.sex.as_deref(), Some("男"));
    assert!(profile.card.region.as_deref().unwrap().contains("北京"));
    assert!(!profile.card.phone.contains("1234"));
    assert_eq!(profile.card.visit_count, 2);
    // Newest visit first, from both departments.
    let depts: Vec<_> = profile
        .visits
        .iter()
        .map(|v| v.department.to_string())
        .collect();
    assert_eq!(depts, ["zj", "rs"]);
    assert_eq!(profile.visits[1].ticket_label.as_deref(), Some("人社-001"));
    // Open matters first: the zj one is open, the rs one accepted (still open) — newest first.
    assert_eq!(profile.matters.len(), 2);
    assert!(profile.matters.iter().all(|m| m.is_open()));
    assert_eq!(profile.matters[0].department, dept("zj"));

    // A department's window works with the masked number; intake sees the full one.
    denied(p.t.hall.profile(&rs, p.zhang, true));
    let full = p.t.hall.profile(&p.reg, p.zhang, true).unwrap();
    assert_eq!(full.card.id_number, nth_id(1));
    assert_eq!(full.card.phone, ZHANG_PHONE);
    let audit = p.t.snapshot().audit;
    let last = audit.last().unwrap();
    assert_eq!(last.officer, "reg");
    assert_eq!(last.visitor, Some(p.zhang));
    assert!(last.action.contains("完整身份信息"), "{}", last.action);
    assert!(
        !last.action.contains(&nth_id(1)),
        "the audit itself stays masked"
    );

    assert!(matches!(
        p.t.hall.profile(&rs, 9999, false),
        Err(HallError::NotFound(_))
    ));
}

#[test]
fn the_matter_detail_lists_visitors_visits_and_deadlines() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let first = t
        .hall
        .register(&reg, walk_in("张三", &nth_id(1), "", "rs"))
        .unwrap();
    t.clock.advance_minutes(60);
    // A co-petitioner comes back on the same matter.
    let mut second = walk_in("李四", &nth_id(2), "", "rs");
    second.matter = MatterChoice::Attach(first.matter);
    let r2 = t.hall.register(&reg, second).unwrap();
    let d = t.hall.matter(&reg, first.matter).unwrap();
    assert_eq!(d.matter.number, first.matter_number);
    assert_eq!(
        d.visitor_names,
        vec![
            (first.visitor, "张三".to_string()),
            (r2.visitor, "李四".to_string())
        ]
    );
    assert_eq!(d.visits.len(), 2);
    assert!(!d.visits[1].repeat, "the first visit is no repeat");
    assert_eq!(d.visits[0].id, r2.visit, "newest visit first");
    // Attached to the matter, but 李四's first visit on it: not a 重复访.
    assert!(r2.repeat);
    assert!(!d.visits[0].repeat);
    // 张三 coming back on it is (once 人社 has called his first ticket).
    let rs = t.officer("rs1", Role::Window, "rs");
    t.hall.call_next(&rs).unwrap();
    t.clock.advance_minutes(60);
    let mut back = walk_in("张三", &nth_id(1), "", "rs");
    back.matter = MatterChoice::Attach(first.matter);
    let r3 = t.hall.register(&reg, back).unwrap();
    let d = t.hall.matter(&reg, first.matter).unwrap();
    assert_eq!(d.visits[0].id, r3.visit);
    assert!(d.visits[0].repeat);
    assert_eq!(d.deadlines.len(), 1);
    assert_eq!(d.deadlines[0].deadline.due, date(2026, 12, 12));
    assert_eq!(d.brief.deadline.as_ref(), d.deadlines.first());
    assert!(matches!(
        t.hall.matter(&reg, 4242),
        Err(HallError::NotFound(_))
    ));
}

#[test]
fn the_queue_shows_waiting_minutes_repeats_groups_and_desks() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let rs = t.officer("rs1", Role::Window, "rs");
    let display = t.officer("screen", Role::Display, "xfj");
    // 张三 came yesterday too.
    t.clock.set(local_time(2026, 11, 26, 15, 0));
    t.hall
        .register(&reg, walk_in("张三", &nth_id(1), "", "ga"))
        .unwrap();
    t.clock.set(opening_time());
    t.hall
        .register(&reg, walk_in("张三", &nth_id(1), "", "rs"))
        .unwrap();
    t.clock.advance_minutes(7);
    let mut group = walk_in("李四", &nth_id(2), "", "rs");
    group.headcount = 8;
    group.representatives = vec!["李四".into()];
    t.hall.register(&reg, group).unwrap();
    t.clock.advance_minutes(3);
    t.hall
        .register(&reg, walk_in("王五", &nth_id(3), "", "rs"))
        .unwrap();
    t.clock.advance_minutes(20);
    t.hall.call_next(&rs).unwrap();
    t.clock.advance_minutes(5);
    // 张三 is sent on to 公安 as well, where his ticket of yesterday lapsed.
    t.hall
        .register(&reg, walk_in("张三", &nth_id(1), "", "ga"))
        .unwrap();

    let q = t.hall.queue(&display).unwrap();
    assert_eq!(q.now, local_time(2026, 11, 27, 9, 35));
    assert_eq!(q.departments.len(), t.hall.config().departments.len());
    let rsq = q
        .departments
        .iter()
        .find(|d| d.department.code == dept("rs"))
        .unwrap();
    let rows: Vec<(&str, i64, bool, u32, &str)> = rsq
        .waiting
        .iter()
        .map(|e| {
            (
                e.label.as_str(),
                q.now.minutes_since(e.issued),
                e.group,
                e.earlier_visits,
                e.name_masked.as_str(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("人社-002", 28, true, 0, "李*"),
            ("人社-003", 25, false, 0, "王*")
        ]
    );
    // The one being served is at a desk, with a masked name.
    let desk = q.desks.iter().find(|d| d.desk == "desk-rs1").unwrap();
    assert_eq!(desk.ticket_label.as_deref(), Some("人社-001"));
    assert_eq!(desk.name_masked.as_deref(), Some("张*"));
    assert_eq!(desk.officer, "rs1");
    assert_eq!(desk.department, dept("rs"));
    // Yesterday's 公安 ticket no longer waits; today's does, and 张三 is a repeat
    // visitor there (yesterday's visit and this morning's at 人社).
    let gaq = q
        .departments
        .iter()
        .find(|d| d.department.code == dept("ga"))
        .unwrap();
    assert_eq!(gaq.waiting.len(), 1);
    assert_eq!(gaq.waiting[0].label, "公安-001");
    assert_eq!(gaq.waiting[0].issued, q.now);
    assert_eq!(gaq.waiting[0].earlier_visits, 2);
}

#[test]
fn the_audit_trail_of_a_matter_is_in_order_and_only_its_own() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let a = t
        .hall
        .register(&reg, walk_in("张三", &nth_id(1), "", "rs"))
        .unwrap();
    let b = t
        .hall
        .register(&reg, walk_in("李四", &nth_id(2), "", "rs"))
        .unwrap();
    t.hall
        .command(
            &reg,
            Command::AddNote {
                matter: b.matter,
                text: "另一件".into(),
            },
        )
        .unwrap();
    let trail = t.hall.matter_audit(&reg, a.matter).unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].matter, Some(a.matter));
    assert_eq!(trail[0].visitor, Some(a.visitor));
    assert_eq!(t.hall.matter_audit(&reg, b.matter).unwrap().len(), 2);
    // Queries and typed shortcuts agree.
    let via_query = t.hall.query(&reg, Query::MatterAudit(a.matter)).unwrap();
    assert_eq!(via_query, QueryReply::Audit(trail));
}

#[test]
fn a_name_found_through_its_common_reading_ranks_above_a_rare_one() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    t.hall
        .register(&reg, walk_in("张帅", &nth_id(1), "", "rs"))
        .unwrap();
    t.clock.advance_minutes(60);
    // 俊 also has the rare reading shun, so 郑俊 matches `zs` too, and came later.
    t.hall
        .register(&reg, walk_in("郑俊", &nth_id(2), "", "rs"))
        .unwrap();
    let names: Vec<String> = t
        .hall
        .lookup(&reg, "zs", 10)
        .unwrap()
        .into_iter()
        .map(|h| h.name)
        .collect();
    assert_eq!(names, ["张帅", "郑俊"]);
    assert_eq!(t.hall.lookup(&reg, "zj", 10).unwrap()[0].name, "郑俊");
    t.assert_consistent();
}
