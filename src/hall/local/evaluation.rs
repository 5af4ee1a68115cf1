//! 满意度评价 and 第三方评价 of a matter's written answers.

use super::LocalHall;
use crate::domain::evaluation::EvaluationStep;
use crate::domain::matter::{HistoryKind, MatterId};
use crate::domain::registration::{text_field, Field, MAX_NOTE};
use crate::hall::api::{CommandReply, EventKind, Session};
use crate::hall::error::{HallError, HallResult};
use crate::hall::permissions;

impl LocalHall {
    pub(super) fn evaluate(
        &self,
        s: &Session,
        matter: MatterId,
        step: EvaluationStep,
    ) -> HallResult<(CommandReply, Vec<EventKind>)> {
        let step = checked(step)?;
        let today = self.today();
        self.change_matter(s, matter, |m| {
            permissions::may_evaluate(&s.officer, &m.department)?;
            m.evaluate(step.clone(), today, &s.officer.username)
                .map_err(|e| HallError::Conflict(format!("事项 {}：{e}", m.number)))?;
            let what = step.describe();
            Ok((HistoryKind::Evaluated { step: step.clone() }, what))
        })
    }
}

/// The texts an evaluation step carries, checked like every other form field.
fn checked(step: EvaluationStep) -> HallResult<EvaluationStep> {
    let text =
        |label, text: &str, required| text_field(Field::Note, label, text, MAX_NOTE, required);
    Ok(match step {
        EvaluationStep::Record { satisfaction, note } => EvaluationStep::Record {
            satisfaction,
            note: text("评价说明", &note, false)?,
        },
        EvaluationStep::SendToThirdParty { reason } => EvaluationStep::SendToThirdParty {
            reason: text("送第三方评价的理由", &reason, true)?,
        },
        EvaluationStep::RecordThirdParty {
            satisfied,
            unsatisfied,
            opinion,
        } => EvaluationStep::RecordThirdParty {
            satisfied,
            unsatisfied,
            opinion: text("第三方评价意见", &opinion, true)?,
        },
    })
}
