//! Written notices through `LocalHall`: each kind filled from a matter built through the
//! service, refused when the matter has not reached its step, kept from those who may not
//! see a 检举控告 matter (Art 30), and audited.

mod support;

use lianfang::domain::department::DeptCode;
use lianfang::domain::lifecycle::Transition;
use lianfang::domain::matter::{Category, LegalChannel, Outcome};
use lianfang::domain::officer::Role;
use lianfang::domain::registration::MatterChoice;
use lianfang::hall::{HallExt, Registered};
use lianfang::notice::{NoticeKind, CONFIDENTIAL_TEXT};
use support::*;

impl Desks {
    fn text(&self, r: &Registered, kind: NoticeKind) -> String {
        self.t.hall.notice(&self.rs, r.matter, kind).unwrap().text
    }

    /// The Chinese reason a notice of `kind` is refused for.
    fn refused(&self, r: &Registered, kind: NoticeKind) -> String {
        conflict(self.t.hall.notice(&self.rs, r.matter, kind))
    }
}

fn extend_30() -> Transition {
    Transition::Extend {
        days: 30,
        reason: "需赴用人单位现场核查".into(),
        approver: "王局长".into(),
        told_on: date(2026, 11, 27),
    }
}

#[track_caller]
fn has(text: &str, line: &str) {
    assert!(text.contains(line), "“{line}” missing in:\n{text}");
}

#[test]
fn an_acceptance_notice_names_the_visitor_dates_and_the_handling_limit() {
    let d = Desks::new();
    let r = d.served(1, Outcome::Accepted, "");
    let n =
        d.t.hall
            .notice(&d.rs, r.matter, NoticeKind::Accept)
            .unwrap();
    assert_eq!(n.matter_number, r.matter_number);
    assert_eq!(n.kind, NoticeKind::Accept);
    let text = n.text;
    has(&text, "信访事项受理告知书");
    has(&text, &format!("编号：{}", r.matter_number));
    has(&text, "\n甲一：\n");
    has(
        &text,
        "您于2026年11月27日提出的劳动社保方面的信访事项（申诉求决类），反映：拖欠工资三个月",
    );
    has(&text, "本机关已于2026年11月27日依法受理");
    // 60 days from acceptance (Art 34).
    has(&text, "将在2027年1月26日前办结");
    has(&text, "人力资源和社会保障局\n");
    assert!(!text.contains('{') && !text.contains('#'), "{text}");
}

#[test]
fn notices_that_do_not_fit_the_state_are_refused_with_the_reason() {
    let d = Desks::new();
    let registered = d.register(1, "rs");
    let why = d.refused(&registered, NoticeKind::Accept);
    has(
        &why,
        &format!("事项 {} 当前状态为“登记”", registered.matter_number),
    );
    has(&why, "尚未受理，不能出具受理告知书");
    has(&d.refused(&registered, NoticeKind::Route), "没有转送或交办");

    let accepted = {
        d.t.hall.call_next(&d.rs).unwrap();
        d.t.hall.finish(&d.rs, Outcome::Accepted, "").unwrap();
        registered
    };
    has(
        &d.refused(&accepted, NoticeKind::Refuse),
        "“办理中”，没有作出不予受理的决定，不能出具不予受理告知书",
    );
    has(
        &d.refused(&accepted, NoticeKind::Extend),
        "没有延期办理，不能出具延期告知",
    );
    has(
        &d.refused(&accepted, NoticeKind::Reply),
        "尚未办结答复，不能出具答复意见书",
    );

    let refused = d.served(1, Outcome::NotAccepted, "不属于信访事项");
    has(
        &d.refused(&refused, NoticeKind::Accept),
        "“不予受理”，尚未受理",
    );
    // A refused notice is not audited: nothing left the service.
    let audit = d.t.hall.matter_audit(&d.reg, accepted.matter).unwrap();
    assert!(
        audit.iter().all(|a| !a.action.contains("生成")),
        "{audit:?}"
    );
}

#[test]
fn an_extension_notice_gives_days_reason_and_the_new_limit() {
    let d = Desks::new();
    let r = d.served(1, Outcome::Accepted, "");
    d.t.hall
        .step(&d.rs_leader, r.matter, extend_30(), "")
        .unwrap();
    let text = d.text(&r, NoticeKind::Extend);
    has(&text, "信访事项延期办理告知书");
    has(
        &text,
        "本机关于2026年11月27日受理的信访事项，因需赴用人单位现场核查，",
    );
    has(&text, "办理期限延长 30 日，将在2027年2月25日前办结");
    // The acceptance notice printed again now shows the extended limit.
    has(&d.text(&r, NoticeKind::Accept), "将在2027年2月25日前办结");
}

#[test]
fn a_reply_gives_the_opinion_and_the_review_window() {
    let d = Desks::new();
    let r = d.served(1, Outcome::Accepted, "");
    d.t.clock.advance_minutes(10 * 24 * 60);
    d.t.hall
        .step(
            &d.rs,
            r.matter,
            Transition::Reply,
            "责令用人单位补发工资，已到账",
        )
        .unwrap();
    let text = d.text(&r, NoticeKind::Reply);
    has(&text, "信访事项处理意见书");
    has(&text, "    责令用人单位补发工资，已到账\n");
    has(&text, "您的诉求：依法处理");
    // Replied on 12-07; 30 days to ask for 复查 (Art 35).
    has(&text, "可以在2027年1月6日前");
    has(&text, "2026年12月7日\n");
}

#[test]
fn a_refusal_names_the_legal_channel() {
    let d = Desks::new();
    let r = d.served(
        1,
        Outcome::LegalChannel(LegalChannel::Arbitration),
        "属劳动争议，应申请劳动仲裁",
    );
    let text = d.text(&r, NoticeKind::Refuse);
    has(&text, "信访事项不予受理告知书");
    has(&text, "理由：属劳动争议，应申请劳动仲裁\n");
    has(&text, "法定途径：仲裁\n");

    let other = d.served(1, Outcome::NotAccepted, "不属于信访事项");
    has(
        &d.text(&other, NoticeKind::Refuse),
        "法定途径：不适用（其他）\n",
    );
}

#[test]
fn a_routing_notice_is_signed_by_the_sender_and_names_the_receiver() {
    let d = Desks::new();
    let r = d.register(1, "xfj");
    d.t.hall
        .step(
            &d.reg,
            r.matter,
            Transition::Route {
                to: DeptCode::new("rs"),
                assigned: false,
            },
            "属人社职责",
        )
        .unwrap();
    let text = d.text(&r, NoticeKind::Route);
    has(&text, "信访事项转送告知");
    has(
        &text,
        "本机关已于2026年11月27日转送人力资源和社会保障局办理",
    );
    has(&text, "说明：属人社职责");
    has(&text, "信访局\n");
}

#[test]
fn accusation_notices_are_for_those_who_see_them_and_never_quote_the_accusation() {
    let d = Desks::new();
    let jw = d.t.officer("jw1", Role::Window, "jw");
    let mut input = walk_in("张三", &nth_id(2), "", "jw");
    input.matter = new_matter(Category::Accusation, "纪检监察", "举报某局长收受礼金");
    if let MatterChoice::New(m) = &mut input.matter {
        m.accused = "某局长甲乙丙".into();
    }
    let r = d.t.hall.register(&d.reg, input).unwrap();
    d.t.hall.call_next(&jw).unwrap();
    d.t.hall.finish(&jw, Outcome::Accepted, "").unwrap();

    denied(d.t.hall.notice(&d.rs, r.matter, NoticeKind::Accept));
    denied(d.t.hall.notice(&d.rs_leader, r.matter, NoticeKind::Accept));
    let text =
        d.t.hall
            .notice(&jw, r.matter, NoticeKind::Accept)
            .unwrap()
            .text;
    has(&text, "张三：");
    has(&text, CONFIDENTIAL_TEXT);
    assert!(!text.contains("某局长"), "{text}");
    assert!(!text.contains("收受礼金"), "{text}");
}

#[test]
fn every_notice_issued_is_audited_and_a_display_may_not_print() {
    let d = Desks::new();
    let r = d.served(1, Outcome::Accepted, "");
    d.text(&r, NoticeKind::Accept);
    let audit = d.t.hall.matter_audit(&d.reg, r.matter).unwrap();
    let issued = audit
        .iter()
        .find(|a| a.action.contains("生成受理告知书"))
        .expect("the notice is audited");
    assert_eq!(issued.officer, "rs1");
    assert!(issued.action.contains(&r.matter_number));
    let display = d.t.officer("dp", Role::Display, "xfj");
    denied(d.t.hall.notice(&display, r.matter, NoticeKind::Accept));
}

#[test]
fn a_hall_template_changes_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let own = dir.path().join(lianfang::notice::TEMPLATES_DIR);
    std::fs::create_dir(&own).unwrap();
    std::fs::write(
        own.join("accept.txt"),
        "本中心已受理 {事项编号}，{信访人}。\n",
    )
    .unwrap();
    let mut config = lianfang::config::HallConfig::embedded();
    config.load_beside(dir.path()).unwrap();
    let t = TestHall::with_config(config);
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let rs = t.officer("rs1", Role::Window, "rs");
    let r = t
        .hall
        .register(&reg, walk_in("甲一", &nth_id(1), "", "rs"))
        .unwrap();
    t.hall.call_next(&rs).unwrap();
    t.hall.finish(&rs, Outcome::Accepted, "").unwrap();
    let text = t
        .hall
        .notice(&rs, r.matter, NoticeKind::Accept)
        .unwrap()
        .text;
    assert_eq!(text, format!("本中心已受理 {}，甲一。\n", r.matter_number));
}
