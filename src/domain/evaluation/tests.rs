use chrono::NaiveDate;

use super::*;
use crate::domain::lifecycle::State;
use crate::domain::matter::Matter;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn matter(state: State) -> Matter {
    let mut m = Matter::sample("拖欠工资", day(1));
    m.status.state = state;
    m
}

fn record(satisfaction: Satisfaction) -> EvaluationStep {
    EvaluationStep::Record {
        satisfaction,
        note: String::new(),
    }
}

fn send() -> EvaluationStep {
    EvaluationStep::SendToThirdParty {
        reason: "信访人不认可处理意见".into(),
    }
}

fn vote(satisfied: u32, unsatisfied: u32) -> EvaluationStep {
    EvaluationStep::RecordThirdParty {
        satisfied,
        unsatisfied,
        opinion: "处理意见依据充分".into(),
    }
}

#[test]
fn no_evaluation_before_a_written_answer() {
    for state in [
        State::Registered,
        State::Routed,
        State::InProgress,
        State::Extended,
        State::ResolvedOnSpot,
        State::Refused,
    ] {
        let mut m = matter(state);
        let err = m.evaluate(record(Satisfaction::Satisfied), day(5), "rs1");
        assert!(
            matches!(err, Err(EvaluationError::NotAnswered { .. })),
            "{state:?}"
        );
        assert!(m.evaluations.is_empty());
        assert_eq!(m.satisfaction(), None);
    }
}

#[test]
fn each_written_answer_is_evaluated_once() {
    let mut m = matter(State::Replied);
    m.status.replied = Some(day(3));
    m.evaluate(record(Satisfaction::BasicallySatisfied), day(4), "rs1")
        .unwrap();
    assert_eq!(m.evaluations[0].answer, Answer::Reply);
    assert_eq!(m.satisfaction(), Some(Satisfaction::BasicallySatisfied));
    assert_eq!(m.evaluation_label().as_deref(), Some("已评价·基本满意"));
    let again = m.evaluate(record(Satisfaction::Unsatisfied), day(5), "rs1");
    assert!(matches!(
        again,
        Err(EvaluationError::AlreadyEvaluated { .. })
    ));
    // The 复查 opinion is a new answer: evaluated on its own, and it is now the final one.
    m.status.state = State::ReviewAnswered;
    m.status.review_answered = Some(day(20));
    m.evaluate(record(Satisfaction::Unsatisfied), day(21), "rs1")
        .unwrap();
    assert_eq!(m.evaluations[1].answer, Answer::Review);
    assert_eq!(m.satisfaction(), Some(Satisfaction::Unsatisfied));
}

#[test]
fn only_an_unsatisfied_answer_goes_to_third_party_whose_vote_decides() {
    let mut m = matter(State::Replied);
    m.status.replied = Some(day(3));
    assert_eq!(
        m.evaluate(send(), day(4), "rs1"),
        Err(EvaluationError::NotEvaluated)
    );
    m.evaluate(record(Satisfaction::Satisfied), day(4), "rs1")
        .unwrap();
    assert!(matches!(
        m.evaluate(send(), day(4), "rs1"),
        Err(EvaluationError::NotUnsatisfied(Satisfaction::Satisfied))
    ));

    let mut m = matter(State::Replied);
    m.status.replied = Some(day(3));
    m.evaluate(record(Satisfaction::Unsatisfied), day(4), "rs1")
        .unwrap();
    assert_eq!(
        m.evaluate(vote(3, 1), day(5), "rs1"),
        Err(EvaluationError::NotSent)
    );
    m.evaluate(send(), day(5), "rs1").unwrap();
    assert!(matches!(
        m.evaluate(send(), day(6), "rs1"),
        Err(EvaluationError::AlreadySent { .. })
    ));
    assert_eq!(
        m.evaluation_label().as_deref(),
        Some("已评价·不满意·第三方评价中")
    );
    assert_eq!(m.satisfaction(), Some(Satisfaction::Unsatisfied));
    assert_eq!(
        m.evaluate(vote(0, 0), day(9), "rs1"),
        Err(EvaluationError::NoVotes)
    );
    m.evaluate(vote(12, 3), day(9), "rs1").unwrap();
    assert_eq!(m.satisfaction(), Some(Satisfaction::Satisfied));
    assert_eq!(m.evaluation_label().as_deref(), Some("第三方评价·满意"));
    assert!(matches!(
        m.evaluate(vote(1, 9), day(10), "rs1"),
        Err(EvaluationError::ResultRecorded { .. })
    ));
}

#[test]
fn a_public_vote_needs_a_strict_majority() {
    let v = |s, u| PublicVote {
        satisfied: s,
        unsatisfied: u,
    };
    assert_eq!(v(6, 5).verdict(), Satisfaction::Satisfied);
    assert_eq!(v(5, 5).verdict(), Satisfaction::Unsatisfied);
    assert_eq!(v(0, 1).verdict(), Satisfaction::Unsatisfied);
    assert_eq!(v(2, 1).percent_satisfied(), 66);
    assert_eq!(v(0, 0).percent_satisfied(), 0);
    assert_eq!(v(12, 3).describe(), "满意 12 票、不满意 3 票（满意 80%）");
}
