//! 满意度评价 and 第三方评价 through `LocalHall`: only after a written answer, by the handling
//! department, once per answer; the third party's vote decides; audit, events and history.

mod support;

use lianfang::domain::evaluation::{EvaluationStep, Satisfaction};
use lianfang::domain::lifecycle::Transition;
use lianfang::domain::matter::HistoryKind;
use lianfang::domain::officer::Role;
use lianfang::hall::{EventKind, Hall, HallExt, Registered};
use support::*;

impl Desks {
    fn replied(&self) -> Registered {
        let r = self.accepted(1);
        self.t
            .hall
            .step(&self.rs, r.matter, Transition::Reply, "已书面答复")
            .unwrap();
        r
    }
}

fn record(satisfaction: Satisfaction) -> EvaluationStep {
    EvaluationStep::Record {
        satisfaction,
        note: "当面询问".to_string(),
    }
}

#[test]
fn an_evaluation_before_the_written_reply_is_refused_in_chinese_and_writes_nothing() {
    let d = Desks::new();
    let r = d.accepted(1);
    let before = d.t.snapshot();
    let message = conflict(
        d.t.hall
            .evaluate(&d.rs, r.matter, record(Satisfaction::Satisfied)),
    );
    assert!(
        message.contains("还没有书面答复") && message.contains("办理中"),
        "{message}"
    );
    assert_eq!(d.t.snapshot(), before);
    assert_eq!(d.t.matter(r.matter).satisfaction(), None);
}

#[test]
fn the_handling_departments_officers_record_it_once_with_audit_event_and_history() {
    let d = Desks::new();
    let t = &d.t;
    let r = d.replied();
    let rx = t.hall.subscribe();
    // Intake and another department may not; the handling window may, once.
    let ga = t.officer("ga1", Role::Window, "ga");
    denied(
        t.hall
            .evaluate(&d.reg, r.matter, record(Satisfaction::Satisfied)),
    );
    denied(
        t.hall
            .evaluate(&ga, r.matter, record(Satisfaction::Satisfied)),
    );
    let audits = t.hall.matter_audit(&d.reg, r.matter).unwrap().len();
    t.hall
        .evaluate(&d.rs, r.matter, record(Satisfaction::BasicallySatisfied))
        .unwrap();
    let m = t.matter(r.matter);
    assert_eq!(m.satisfaction(), Some(Satisfaction::BasicallySatisfied));
    assert_eq!(m.evaluation_label().as_deref(), Some("已评价·基本满意"));
    assert_eq!(m.evaluations[0].officer, "rs1");
    assert!(matches!(
        &m.history.last().unwrap().kind,
        HistoryKind::Evaluated {
            step: EvaluationStep::Record {
                satisfaction: Satisfaction::BasicallySatisfied,
                ..
            }
        }
    ));
    let audit = t.hall.matter_audit(&d.reg, r.matter).unwrap();
    assert_eq!(audit.len(), audits + 1);
    assert!(audit
        .iter()
        .any(|a| a.action.contains("满意度评价：基本满意")));
    let events: Vec<EventKind> = rx.try_iter().map(|e| e.kind).collect();
    assert_eq!(events, vec![EventKind::MatterChanged { matter: r.matter }]);

    let message = conflict(t.hall.evaluate(
        &d.rs_leader,
        r.matter,
        record(Satisfaction::Unsatisfied),
    ));
    assert!(message.contains("每次答复只评价一次"), "{message}");
    t.assert_consistent();
}

#[test]
fn an_unsatisfied_answer_goes_to_third_party_whose_public_vote_is_the_final_word() {
    let d = Desks::new();
    let t = &d.t;
    let r = d.replied();
    t.hall
        .evaluate(&d.rs, r.matter, record(Satisfaction::Unsatisfied))
        .unwrap();
    let send = |reason: &str| EvaluationStep::SendToThirdParty {
        reason: reason.to_string(),
    };
    let (field, message) = invalid(t.hall.evaluate(&d.rs_leader, r.matter, send("  ")));
    assert_eq!(field, lianfang::domain::registration::Field::Note);
    assert!(message.contains("送第三方评价的理由"), "{message}");
    t.hall
        .evaluate(&d.rs_leader, r.matter, send("信访人不认可处理意见"))
        .unwrap();
    assert_eq!(
        t.matter(r.matter).evaluation_label().as_deref(),
        Some("已评价·不满意·第三方评价中")
    );
    let vote = |satisfied, unsatisfied| EvaluationStep::RecordThirdParty {
        satisfied,
        unsatisfied,
        opinion: "处理意见依据充分、程序合法".to_string(),
    };
    let message = conflict(t.hall.evaluate(&d.rs, r.matter, vote(0, 0)));
    assert!(message.contains("至少 1 票"), "{message}");
    t.hall.evaluate(&d.rs, r.matter, vote(9, 2)).unwrap();
    let m = t.matter(r.matter);
    assert_eq!(m.satisfaction(), Some(Satisfaction::Satisfied));
    assert_eq!(m.evaluation_label().as_deref(), Some("第三方评价·满意"));
    let result = m.evaluations[0]
        .third_party
        .as_ref()
        .unwrap()
        .result
        .as_ref()
        .unwrap();
    assert_eq!(result.vote.percent_satisfied(), 81);
    assert_eq!(result.opinion, "处理意见依据充分、程序合法");
    let detail = t.hall.matter(&d.rs, r.matter).unwrap();
    assert_eq!(detail.matter.evaluations, m.evaluations);
}

#[test]
fn the_review_answer_is_evaluated_on_its_own_and_becomes_the_final_evaluation() {
    let d = Desks::new();
    let t = &d.t;
    let r = d.replied();
    t.hall
        .evaluate(&d.rs, r.matter, record(Satisfaction::Unsatisfied))
        .unwrap();
    for step in [
        Transition::RequestReview,
        Transition::StartReview,
        Transition::AnswerReview,
    ] {
        t.hall.step(&d.reg, r.matter, step, "").unwrap();
    }
    t.hall
        .evaluate(&d.rs, r.matter, record(Satisfaction::Satisfied))
        .unwrap();
    let m = t.matter(r.matter);
    assert_eq!(m.evaluations.len(), 2);
    assert_eq!(m.satisfaction(), Some(Satisfaction::Satisfied));
}
