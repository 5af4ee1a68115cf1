//! Fills a notice from a matter: pure, the service passes today's date and its config.
//!
//! Art 30 (检举控告): a notice is addressed to the visitor, but it is handed over or posted
//! and may be read by others, the accused among them. So no template can name the accused
//! party (there is no such field), and for a confidential matter the fields that quote the
//! visitor's own words (反映问题, 诉求) print a fixed sentence instead; the matter number
//! identifies the matter to the visitor well enough.

use chrono::{Datelike, NaiveDate};

use super::kind::NoticeKind;
use super::template::{Field, Piece};
use crate::config::HallConfig;
use crate::domain::department::DeptCode;
use crate::domain::lifecycle::{DeadlineKind, RefusalGround, Transition};
use crate::domain::matter::{HistoryKind, Matter, Outcome};
use crate::hall::MatterDetail;

/// What a confidential matter's notice prints instead of the visitor's words.
pub const CONFIDENTIAL_TEXT: &str = "（检举控告事项，内容依法保密，本文书不予载明）";

/// A notice that does not fit the matter's state, with the reason in the desk's words.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("事项 {number} 当前状态为“{state}”，{why}，不能出具{kind}")]
pub struct NotApplicable {
    pub number: String,
    pub state: &'static str,
    pub kind: &'static str,
    pub why: &'static str,
}

/// Whether the matter reached the step a notice of `kind` tells about.
pub fn check_applies(kind: NoticeKind, matter: &Matter) -> Result<(), NotApplicable> {
    let status = &matter.status;
    let missing = match kind {
        NoticeKind::Accept => status.accepted.is_none().then_some("尚未受理"),
        NoticeKind::Refuse => status.refusal.is_none().then_some("没有作出不予受理的决定"),
        NoticeKind::Route => status.routing.is_none().then_some("没有转送或交办"),
        NoticeKind::Extend => status.extension.is_none().then_some("没有延期办理"),
        NoticeKind::Reply => status.replied.is_none().then_some("尚未办结答复"),
    };
    match missing {
        None => Ok(()),
        Some(why) => Err(NotApplicable {
            number: matter.number.clone(),
            state: status.label(),
            kind: kind.label(),
            why,
        }),
    }
}

/// The notice's text, from the hall's template for `kind`.
pub fn fill(
    kind: NoticeKind,
    detail: &MatterDetail,
    config: &HallConfig,
    today: NaiveDate,
) -> Result<String, NotApplicable> {
    check_applies(kind, &detail.matter)?;
    let values = Values {
        kind,
        detail,
        config,
        today,
    };
    let mut out = String::new();
    for piece in &config.notices.get(kind).pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Field(field) => out.push_str(&values.of(*field)),
        }
    }
    Ok(out)
}

/// `2026年11月27日`
fn chinese_date(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

struct Values<'a> {
    kind: NoticeKind,
    detail: &'a MatterDetail,
    config: &'a HallConfig,
    today: NaiveDate,
}

impl Values<'_> {
    fn matter(&self) -> &Matter {
        &self.detail.matter
    }

    fn dept_name(&self, code: &DeptCode) -> String {
        self.config
            .department(code)
            .map_or_else(|| code.to_string(), |d| d.name.clone())
    }

    /// A date the state guarantees (`check_applies`); an imported record lacking it
    /// prints a blank for the officer to fill by hand.
    fn date(&self, date: Option<NaiveDate>) -> String {
        date.map_or_else(|| "____年__月__日".to_string(), chinese_date)
    }

    /// The visitor's own words, unless the matter is confidential (see the module doc).
    fn quoted(&self, text: &str) -> String {
        if self.matter().confidential() {
            CONFIDENTIAL_TEXT.to_string()
        } else if text.trim().is_empty() {
            "（未填写）".to_string()
        } else {
            text.trim().to_string()
        }
    }

    fn of(&self, field: Field) -> String {
        let m = self.matter();
        let status = &m.status;
        let limits = &self.config.limits;
        match field {
            Field::HallName => self.config.name.clone(),
            Field::Issuer => self.issuer(),
            Field::Today => chinese_date(self.today),
            Field::Number => m.number.clone(),
            Field::Visitors => {
                let names: Vec<&str> = self
                    .detail
                    .visitor_names
                    .iter()
                    .map(|(_, n)| n.as_str())
                    .collect();
                if names.is_empty() {
                    "信访人".to_string()
                } else {
                    names.join("、")
                }
            }
            Field::Received => chinese_date(status.received),
            Field::Category => m.category.label().to_string(),
            Field::ContentClass => m.content_class.clone(),
            Field::Place => m.place.clone(),
            Field::Summary => self.quoted(&m.summary),
            Field::Demands => self.quoted(&m.demands),
            Field::Department => self.dept_name(&m.department),
            Field::Accepted => self.date(status.accepted),
            Field::HandleDue => {
                let extra = status.extension.as_ref().map_or(0, |e| e.days);
                let due = status.accepted.map(|start| {
                    limits
                        .deadline(
                            DeadlineKind::Handle,
                            start,
                            limits.rules.handle_days + extra,
                        )
                        .due
                });
                self.date(due)
            }
            Field::RefusalReason => status
                .refusal
                .as_ref()
                .map_or_else(String::new, |r| r.reason.clone()),
            Field::RefusalGround => status
                .refusal
                .as_ref()
                .map_or_else(String::new, |r| r.ground.label().to_string()),
            Field::LegalChannel => match status.refusal.as_ref().map(|r| r.ground) {
                Some(RefusalGround::LegalChannel(channel)) => channel.label().to_string(),
                Some(ground) => format!("不适用（{}）", ground.label()),
                None => String::new(),
            },
            Field::RouteKind => match &status.routing {
                Some(r) if r.assigned => "交办".to_string(),
                _ => "转送".to_string(),
            },
            Field::RouteTo => status
                .routing
                .as_ref()
                .map_or_else(String::new, |r| self.dept_name(&r.to)),
            Field::RouteOn => self.date(status.routing.as_ref().map(|r| r.on)),
            Field::RouteReason => self.routing_entry().map_or_else(String::new, |(_, r)| r),
            Field::ExtendDays => status
                .extension
                .as_ref()
                .map_or_else(String::new, |e| e.days.to_string()),
            Field::ExtendReason => status
                .extension
                .as_ref()
                .map_or_else(String::new, |e| e.reason.clone()),
            Field::ToldOn => self.date(status.extension.as_ref().map(|e| e.told_on)),
            Field::Replied => self.date(status.replied),
            Field::Opinion => self.opinion(),
            Field::ReviewDue => {
                let due = status.replied.map(|start| {
                    limits
                        .deadline(
                            DeadlineKind::ReviewRequest,
                            start,
                            limits.rules.review_request_days,
                        )
                        .due
                });
                self.date(due)
            }
        }
    }

    /// Who signs: the body that routed the matter for a 转送告知, the holder otherwise.
    fn issuer(&self) -> String {
        let m = self.matter();
        if self.kind != NoticeKind::Route {
            return self.dept_name(&m.department);
        }
        let registered = m.history.iter().find_map(|e| match &e.kind {
            HistoryKind::Registered { department } => Some(department),
            _ => None,
        });
        match self.routing_entry().and_then(|(from, _)| from).as_ref() {
            Some(from) => self.dept_name(from),
            None => self.dept_name(registered.unwrap_or(&self.config.intake_department().code)),
        }
    }

    /// The last routing in the history: the sender when recorded, and the reason given.
    fn routing_entry(&self) -> Option<(Option<DeptCode>, String)> {
        self.matter()
            .history
            .iter()
            .rev()
            .find_map(|e| match &e.kind {
                HistoryKind::Routed { from, reason, .. } => {
                    Some((Some(from.clone()), reason.clone()))
                }
                HistoryKind::Outcome {
                    outcome: Outcome::Forwarded { .. } | Outcome::Assigned { .. },
                    note,
                } => Some((None, note.clone())),
                _ => None,
            })
    }

    /// The remark recorded with the last 办结答复 step.
    fn opinion(&self) -> String {
        let note = self
            .matter()
            .history
            .iter()
            .rev()
            .find_map(|e| match &e.kind {
                HistoryKind::Step {
                    step: Transition::Reply,
                    note,
                } => Some(note.trim()),
                _ => None,
            });
        match note {
            Some(text) if !text.is_empty() => text.to_string(),
            _ => "（系统中未录入处理意见，请在此写明）".to_string(),
        }
    }
}
