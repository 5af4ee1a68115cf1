//! 满意度评价: after each written answer (the reply, the 复查 opinion, the 复核 opinion) the
//! visitor says whether they are satisfied; an unsatisfied answer may go to 第三方评价, whose
//! public vote and written opinion are recorded. Pure: the service passes the day and officer.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::lifecycle::Lifecycle;
use super::matter::Matter;

/// The visitor's satisfaction with an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Satisfaction {
    Satisfied,
    BasicallySatisfied,
    Unsatisfied,
}

impl Satisfaction {
    pub const ALL: [Satisfaction; 3] = [
        Satisfaction::Satisfied,
        Satisfaction::BasicallySatisfied,
        Satisfaction::Unsatisfied,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Satisfaction::Satisfied => "满意",
            Satisfaction::BasicallySatisfied => "基本满意",
            Satisfaction::Unsatisfied => "不满意",
        }
    }

    /// 满意率 counts 满意 and 基本满意 as satisfied.
    pub fn counts_as_satisfied(self) -> bool {
        self != Satisfaction::Unsatisfied
    }
}

/// Which written answer an evaluation is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Answer {
    /// The written reply (处理意见, Art 34).
    Reply,
    /// The 复查 opinion (Art 35).
    Review,
    /// The 复核 opinion (Art 36).
    Recheck,
}

impl Answer {
    pub fn label(self) -> &'static str {
        match self {
            Answer::Reply => "处理意见",
            Answer::Review => "复查意见",
            Answer::Recheck => "复核意见",
        }
    }

    /// The latest written answer the matter has had, if any.
    pub fn latest(status: &Lifecycle) -> Option<Answer> {
        if status.recheck_answered.is_some() {
            Some(Answer::Recheck)
        } else if status.review_answered.is_some() {
            Some(Answer::Review)
        } else {
            status.replied.map(|_| Answer::Reply)
        }
    }
}

/// 第三方评价's public vote. A vote is 满意 when strictly more than half of the votes cast
/// are 满意; a tie is 不满意 (the answer did not win the public over).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicVote {
    pub satisfied: u32,
    pub unsatisfied: u32,
}

impl PublicVote {
    pub fn total(self) -> u32 {
        self.satisfied.saturating_add(self.unsatisfied)
    }

    /// Share of 满意 votes in whole per cent, rounded down (0 when nobody voted).
    pub fn percent_satisfied(self) -> u32 {
        match self.total() {
            0 => 0,
            total => (u64::from(self.satisfied) * 100 / u64::from(total)) as u32,
        }
    }

    pub fn verdict(self) -> Satisfaction {
        if u64::from(self.satisfied) * 2 > u64::from(self.total()) {
            Satisfaction::Satisfied
        } else {
            Satisfaction::Unsatisfied
        }
    }

    /// `满意 12 票、不满意 3 票（满意 80%）`
    pub fn describe(self) -> String {
        format!(
            "满意 {} 票、不满意 {} 票（满意 {}%）",
            self.satisfied,
            self.unsatisfied,
            self.percent_satisfied()
        )
    }
}

/// An unsatisfied answer sent to 第三方评价, and its result once recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThirdParty {
    pub sent_on: NaiveDate,
    pub sent_by: String,
    pub reason: String,
    pub result: Option<ThirdPartyResult>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThirdPartyResult {
    pub vote: PublicVote,
    /// The evaluators' written opinion (评价意见).
    pub opinion: String,
    pub recorded_on: NaiveDate,
    pub recorded_by: String,
}

/// The visitor's evaluation of one answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    pub answer: Answer,
    pub satisfaction: Satisfaction,
    pub note: String,
    pub on: NaiveDate,
    pub officer: String,
    pub third_party: Option<ThirdParty>,
}

impl Evaluation {
    /// What the evaluation finally says: the third party's verdict once recorded, the
    /// visitor's own word before.
    pub fn outcome(&self) -> Satisfaction {
        self.third_party
            .as_ref()
            .and_then(|t| t.result.as_ref())
            .map_or(self.satisfaction, |r| r.vote.verdict())
    }

    /// How the matter shows it: `已评价·满意`, `已评价·不满意·第三方评价中`,
    /// `第三方评价·满意`.
    pub fn label(&self) -> String {
        match &self.third_party {
            None => format!("已评价·{}", self.satisfaction.label()),
            Some(ThirdParty { result: None, .. }) => {
                format!("已评价·{}·第三方评价中", self.satisfaction.label())
            }
            Some(ThirdParty {
                result: Some(r), ..
            }) => format!("第三方评价·{}", r.vote.verdict().label()),
        }
    }
}

/// One evaluation step, with what it needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EvaluationStep {
    /// The visitor's satisfaction with the latest written answer.
    Record {
        satisfaction: Satisfaction,
        note: String,
    },
    /// Sends the latest, unsatisfied evaluation to 第三方评价.
    SendToThirdParty { reason: String },
    /// The third party's public vote and written opinion.
    RecordThirdParty {
        satisfied: u32,
        unsatisfied: u32,
        opinion: String,
    },
}

impl EvaluationStep {
    /// One line for the matter's history and the audit trail.
    pub fn describe(&self) -> String {
        match self {
            EvaluationStep::Record { satisfaction, note } if note.trim().is_empty() => {
                format!("满意度评价：{}", satisfaction.label())
            }
            EvaluationStep::Record { satisfaction, note } => {
                format!("满意度评价：{}；{note}", satisfaction.label())
            }
            EvaluationStep::SendToThirdParty { reason } => format!("送第三方评价：{reason}"),
            EvaluationStep::RecordThirdParty {
                satisfied,
                unsatisfied,
                opinion,
            } => {
                let vote = PublicVote {
                    satisfied: *satisfied,
                    unsatisfied: *unsatisfied,
                };
                format!(
                    "第三方评价结果：{}，{}；{opinion}",
                    vote.verdict().label(),
                    vote.describe()
                )
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EvaluationError {
    #[error("事项当前状态为“{state}”，还没有书面答复，不能评价满意度：请在办结答复（或复查、复核答复）之后记录")]
    NotAnswered { state: &'static str },
    #[error("{}已于 {} 评价为“{}”，每次答复只评价一次", .answer.label(), .on, .satisfaction.label())]
    AlreadyEvaluated {
        answer: Answer,
        satisfaction: Satisfaction,
        on: NaiveDate,
    },
    #[error("事项还没有满意度评价，请先记录信访人对答复的评价")]
    NotEvaluated,
    #[error("只有评价为“不满意”的答复才能送第三方评价，本次评价为“{}”", .0.label())]
    NotUnsatisfied(Satisfaction),
    #[error("{}的评价已于 {on} 送第三方评价，不能重复送评", .answer.label())]
    AlreadySent { answer: Answer, on: NaiveDate },
    #[error("还没有送第三方评价，请先送评，再记录评价结果")]
    NotSent,
    #[error("第三方评价结果已于 {on} 记录，不能再改")]
    ResultRecorded { on: NaiveDate },
    #[error("请填写公开投票的票数：满意和不满意合计至少 1 票")]
    NoVotes,
    #[error("请填写{what}")]
    Missing { what: &'static str },
}

fn required(text: &str, what: &'static str) -> Result<String, EvaluationError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(EvaluationError::Missing { what });
    }
    Ok(text.to_string())
}

impl Matter {
    /// The final evaluation of the matter (that of its latest evaluated answer, after any
    /// third-party vote), or `None` when nobody has evaluated it: what 满意率 counts.
    pub fn satisfaction(&self) -> Option<Satisfaction> {
        self.evaluations.last().map(Evaluation::outcome)
    }

    /// `已评价·满意` and the like, for the desk; `None` before any evaluation.
    pub fn evaluation_label(&self) -> Option<String> {
        self.evaluations.last().map(Evaluation::label)
    }

    /// Applies one evaluation step on `on` by `officer`; the matter is unchanged when the
    /// step is refused. Texts are expected already checked for length by the caller.
    pub fn evaluate(
        &mut self,
        step: EvaluationStep,
        on: NaiveDate,
        officer: &str,
    ) -> Result<(), EvaluationError> {
        match step {
            EvaluationStep::Record { satisfaction, note } => {
                let answer = Answer::latest(&self.status).ok_or(EvaluationError::NotAnswered {
                    state: self.status.label(),
                })?;
                if let Some(done) = self.evaluations.iter().find(|e| e.answer == answer) {
                    return Err(EvaluationError::AlreadyEvaluated {
                        answer,
                        satisfaction: done.satisfaction,
                        on: done.on,
                    });
                }
                self.evaluations.push(Evaluation {
                    answer,
                    satisfaction,
                    note: note.trim().to_string(),
                    on,
                    officer: officer.to_string(),
                    third_party: None,
                });
            }
            EvaluationStep::SendToThirdParty { reason } => {
                let last = self
                    .evaluations
                    .last_mut()
                    .ok_or(EvaluationError::NotEvaluated)?;
                if let Some(sent) = &last.third_party {
                    return Err(EvaluationError::AlreadySent {
                        answer: last.answer,
                        on: sent.sent_on,
                    });
                }
                if last.satisfaction != Satisfaction::Unsatisfied {
                    return Err(EvaluationError::NotUnsatisfied(last.satisfaction));
                }
                last.third_party = Some(ThirdParty {
                    sent_on: on,
                    sent_by: officer.to_string(),
                    reason: required(&reason, "送第三方评价的理由")?,
                    result: None,
                });
            }
            EvaluationStep::RecordThirdParty {
                satisfied,
                unsatisfied,
                opinion,
            } => {
                let sent = self
                    .evaluations
                    .last_mut()
                    .and_then(|e| e.third_party.as_mut())
                    .ok_or(EvaluationError::NotSent)?;
                if let Some(r) = &sent.result {
                    return Err(EvaluationError::ResultRecorded { on: r.recorded_on });
                }
                let vote = PublicVote {
                    satisfied,
                    unsatisfied,
                };
                if vote.total() == 0 {
                    return Err(EvaluationError::NoVotes);
                }
                sent.result = Some(ThirdPartyResult {
                    vote,
                    opinion: required(&opinion, "第三方评价意见")?,
                    recorded_on: on,
                    recorded_by: officer.to_string(),
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
