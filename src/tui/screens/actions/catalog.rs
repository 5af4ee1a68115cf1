//! The actions a desk can take on an opened matter, one table entry each: the form's fields
//! and how their values become a hall command. Adding an action is one entry in `ACTIONS`
//! (and its `DeskAction`, which the service offers only to those who may take it).

use chrono::NaiveDate;

use crate::domain::lifecycle::{RefusalGround, Transition, TransitionKind};
use crate::domain::matter::{LegalChannel, MatterId};
use crate::domain::oversight::{FollowUp, FollowUpWay, Oversight, OversightKind};
use crate::hall::{Command, DeskAction};
use crate::tui::component::Ctx;

/// One field of an action's form.
#[derive(Clone, Copy, Debug)]
pub struct FieldSpec {
    pub label: &'static str,
    pub kind: FieldKind,
}

#[derive(Clone, Copy, Debug)]
pub enum FieldKind {
    /// One line of text; `required` marks the label with `*`.
    Line { required: bool },
    /// Several lines (reasons, instructions, results): takes the form's spare rows.
    Long { required: bool },
    /// A date, `2026-12-04`; starts as today when `today` is set.
    Date { today: bool },
    /// A whole number of days.
    Days,
    /// One of a fixed list.
    Pick(fn(&Ctx) -> Vec<String>),
}

impl FieldKind {
    pub fn required(self) -> bool {
        match self {
            FieldKind::Line { required } | FieldKind::Long { required } => required,
            _ => true,
        }
    }
}

/// What the officer filled in, field by field: the text, or the index of the choice.
pub struct Values {
    pub texts: Vec<String>,
    pub picks: Vec<usize>,
}

impl Values {
    fn text(&self, i: usize) -> &str {
        self.texts.get(i).map_or("", |t| t.trim())
    }

    fn pick(&self, i: usize) -> usize {
        self.picks.get(i).copied().unwrap_or(0)
    }

    fn date(&self, i: usize, label: &str) -> Result<NaiveDate, String> {
        parse_date(self.text(i))
            .ok_or_else(|| format!("{label}应为日期，例如 2026-12-04（也可写 20261204），请改正"))
    }
}

/// Builds the command from the values, or says in Chinese what to fix.
type Build = fn(DeskAction, MatterId, &Values, &Ctx) -> Result<Command, String>;

pub struct ActionSpec {
    pub action: DeskAction,
    pub fields: &'static [FieldSpec],
    pub build: Build,
}

const fn field(label: &'static str, kind: FieldKind) -> FieldSpec {
    FieldSpec { label, kind }
}

const NOTE: FieldSpec = field("备注", FieldKind::Line { required: false });

/// A step that carries no data, with an optional remark. Shared by every such step: its
/// `action` is only a placeholder, the form keeps the action it was opened for.
const PLAIN_STEP: ActionSpec = ActionSpec {
    action: DeskAction::Step(TransitionKind::Accept),
    fields: &[NOTE],
    build: plain_step,
};

static ACTIONS: &[ActionSpec] = &[
    ActionSpec {
        action: DeskAction::Step(TransitionKind::Extend),
        fields: &[
            field("延期天数", FieldKind::Days),
            field("延期理由", FieldKind::Long { required: true }),
            field("批准负责人", FieldKind::Line { required: true }),
            field("告知日期", FieldKind::Date { today: true }),
        ],
        build: extend,
    },
    ActionSpec {
        action: DeskAction::Step(TransitionKind::ReturnToSender),
        fields: &[field("退回理由", FieldKind::Long { required: true })],
        build: return_to_sender,
    },
    ActionSpec {
        action: DeskAction::Step(TransitionKind::Refuse),
        fields: &[
            field("不予受理依据", FieldKind::Pick(refusal_grounds)),
            field("理由", FieldKind::Long { required: true }),
        ],
        build: refuse,
    },
    ActionSpec {
        action: DeskAction::Step(TransitionKind::Route),
        fields: &[
            field("方式", FieldKind::Pick(route_kinds)),
            field("转往部门", FieldKind::Pick(departments)),
            field("理由", FieldKind::Long { required: true }),
        ],
        build: route,
    },
    ActionSpec {
        action: DeskAction::Oversee(OversightKind::Supervise),
        fields: &[
            field("督办期限", FieldKind::Date { today: false }),
            field("督办要求", FieldKind::Long { required: true }),
        ],
        build: supervise,
    },
    ActionSpec {
        action: DeskAction::Oversee(OversightKind::ClearSupervision),
        fields: &[field("解除理由", FieldKind::Long { required: true })],
        build: clear_supervision,
    },
    ActionSpec {
        action: DeskAction::Oversee(OversightKind::Instruct),
        fields: &[field("批示内容", FieldKind::Long { required: true })],
        build: instruct,
    },
    ActionSpec {
        action: DeskAction::Oversee(OversightKind::TakeCharge),
        fields: &[],
        build: take_charge,
    },
    ActionSpec {
        action: DeskAction::Oversee(OversightKind::ReleaseCharge),
        fields: &[],
        build: release_charge,
    },
    ActionSpec {
        action: DeskAction::Oversee(OversightKind::FollowUp),
        fields: &[
            field("回访方式", FieldKind::Pick(follow_up_ways)),
            field("回访日期", FieldKind::Date { today: true }),
            field("回访结果", FieldKind::Long { required: true }),
        ],
        build: follow_up,
    },
];

/// The form of an action: its own entry, or a remark only for a step without data.
pub fn spec(action: DeskAction) -> &'static ActionSpec {
    ACTIONS
        .iter()
        .find(|s| s.action == action)
        .unwrap_or(&PLAIN_STEP)
}

/// `2026-12-04`, `2026/12/4`, `2026.12.4` or `20261204`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if text.len() == 8 && text.chars().all(|c| c.is_ascii_digit()) {
        return NaiveDate::parse_from_str(text, "%Y%m%d").ok();
    }
    let unified: String = text
        .chars()
        .map(|c| if matches!(c, '/' | '.') { '-' } else { c })
        .collect();
    NaiveDate::parse_from_str(&unified, "%Y-%m-%d").ok()
}

/// The step of a kind that needs nothing but itself.
fn bare(kind: TransitionKind) -> Option<Transition> {
    use TransitionKind as T;
    Some(match kind {
        T::TakeUp => Transition::TakeUp,
        T::Accept => Transition::Accept,
        T::Reply => Transition::Reply,
        T::RequestReview => Transition::RequestReview,
        T::StartReview => Transition::StartReview,
        T::AnswerReview => Transition::AnswerReview,
        T::RequestRecheck => Transition::RequestRecheck,
        T::StartRecheck => Transition::StartRecheck,
        T::AnswerRecheck => Transition::AnswerRecheck,
        T::ResolveOnSpot => Transition::ResolveOnSpot,
        T::Lapse => Transition::Lapse,
        T::Extend | T::Route | T::ReturnToSender | T::Refuse => return None,
    })
}

fn step(matter: MatterId, step: Transition, note: &str) -> Command {
    Command::Step {
        matter,
        step,
        note: note.to_string(),
    }
}

fn oversee(matter: MatterId, action: Oversight) -> Command {
    Command::Oversee { matter, action }
}

fn plain_step(a: DeskAction, m: MatterId, v: &Values, _: &Ctx) -> Result<Command, String> {
    match a {
        DeskAction::Step(kind) => bare(kind)
            .map(|t| step(m, t, v.text(0)))
            .ok_or_else(|| format!("“{}”需要填写的内容本桌面还不支持", kind.label())),
        DeskAction::Oversee(kind) => Err(format!("“{}”没有对应的表单", kind.label())),
    }
}

fn extend(_: DeskAction, m: MatterId, v: &Values, _: &Ctx) -> Result<Command, String> {
    let days = v
        .text(0)
        .parse::<u32>()
        .map_err(|_| "延期天数应为整数，例如 30".to_string())?;
    let told_on = v.date(3, "告知日期")?;
    let extension = Transition::Extend {
        days,
        reason: v.text(1).to_string(),
        approver: v.text(2).to_string(),
        told_on,
    };
    Ok(step(m, extension, ""))
}

fn return_to_sender(_: DeskAction, m: MatterId, v: &Values, _: &Ctx) -> Result<Command, String> {
    let reason = v.text(0).to_string();
    Ok(step(m, Transition::ReturnToSender { reason }, ""))
}

/// The legal channels first, then the other grounds a desk may choose.
fn refusal_ground_list() -> Vec<RefusalGround> {
    let mut grounds: Vec<RefusalGround> = LegalChannel::ALL
        .into_iter()
        .map(RefusalGround::LegalChannel)
        .collect();
    grounds.extend([RefusalGround::PendingElsewhere, RefusalGround::Other]);
    grounds
}

fn refusal_grounds(_: &Ctx) -> Vec<String> {
    refusal_ground_list()
        .into_iter()
        .map(|g| match g {
            RefusalGround::LegalChannel(c) => format!("导入法定途径：{}", c.label()),
            other => other.label().to_string(),
        })
        .collect()
}

fn refuse(_: DeskAction, m: MatterId, v: &Values, _: &Ctx) -> Result<Command, String> {
    let grounds = refusal_ground_list();
    let ground = grounds
        .get(v.pick(0))
        .copied()
        .unwrap_or(RefusalGround::Other);
    let reason = v.text(1).to_string();
    Ok(step(m, Transition::Refuse { ground, reason }, ""))
}

fn route_kinds(_: &Ctx) -> Vec<String> {
    vec!["转送".into(), "交办".into()]
}

fn departments(ctx: &Ctx) -> Vec<String> {
    ctx.info
        .departments
        .iter()
        .map(|d| d.name.clone())
        .collect()
}

fn route(_: DeskAction, m: MatterId, v: &Values, ctx: &Ctx) -> Result<Command, String> {
    let to = ctx
        .info
        .departments
        .get(v.pick(1))
        .map(|d| d.code.clone())
        .ok_or_else(|| "请选择转往的部门".to_string())?;
    let routing = Transition::Route {
        to,
        assigned: v.pick(0) == 1,
    };
    Ok(step(m, routing, v.text(2)))
}

fn supervise(_: DeskAction, m: MatterId, v: &Values, _: &Ctx) -> Result<Command, String> {
    let due = v.date(0, "督办期限")?;
    let note = v.text(1).to_string();
    Ok(oversee(m, Oversight::Supervise { due, note }))
}

fn clear_supervision(_: DeskAction, m: MatterId, v: &Values, _: &Ctx) -> Result<Command, String> {
    let note = v.text(0).to_string();
    Ok(oversee(m, Oversight::ClearSupervision { note }))
}

fn instruct(_: DeskAction, m: MatterId, v: &Values, _: &Ctx) -> Result<Command, String> {
    let text = v.text(0).to_string();
    Ok(oversee(m, Oversight::Instruct { text }))
}

fn take_charge(_: DeskAction, m: MatterId, _: &Values, _: &Ctx) -> Result<Command, String> {
    Ok(oversee(m, Oversight::TakeCharge))
}

fn release_charge(_: DeskAction, m: MatterId, _: &Values, _: &Ctx) -> Result<Command, String> {
    Ok(oversee(m, Oversight::ReleaseCharge))
}

fn follow_up_ways(_: &Ctx) -> Vec<String> {
    FollowUpWay::ALL.iter().map(|w| w.label().into()).collect()
}

fn follow_up(_: DeskAction, m: MatterId, v: &Values, _: &Ctx) -> Result<Command, String> {
    let way = FollowUpWay::ALL
        .get(v.pick(0))
        .copied()
        .unwrap_or(FollowUpWay::Other);
    let on = v.date(1, "回访日期")?;
    let result = v.text(2).to_string();
    Ok(oversee(
        m,
        Oversight::FollowUp(FollowUp { way, on, result }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_in_the_ways_officers_type_them() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 4);
        assert_eq!(parse_date("2026-12-04"), d);
        assert_eq!(parse_date(" 2026/12/4 "), d);
        assert_eq!(parse_date("2026.12.4"), d);
        assert_eq!(parse_date("20261204"), d);
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("明天"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn every_step_has_a_form_that_builds_it() {
        // A step without an entry of its own must carry no data, or its form would lose it.
        for kind in TransitionKind::ALL {
            let own = ACTIONS.iter().any(|s| s.action == DeskAction::Step(kind));
            assert!(own || bare(kind).is_some(), "{kind:?} has no form");
        }
        for kind in OversightKind::ALL {
            let action = DeskAction::Oversee(kind);
            assert_eq!(spec(action).action, action, "{kind:?} has no form");
        }
    }
}
