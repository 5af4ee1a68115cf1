//! The hall service: the single API every front end uses.
//!
//! [`Hall`] is implemented in-process by [`LocalHall`] and over the network by
//! the net client; screens never know which one they hold.

pub mod api;
mod auth;
pub mod clock;
pub mod error;
mod events;
mod local;
mod lookup;
mod permissions;
mod views;

pub use api::*;
pub use error::{HallError, HallResult};
pub use local::LocalHall;
pub use permissions::{allowed as role_may, Action};

use crossbeam_channel::Receiver;

use crate::domain::evaluation::EvaluationStep;
use crate::domain::lifecycle::Transition;
use crate::domain::matter::{MatterId, Outcome};
use crate::domain::registration::RegistrationInput;
use crate::domain::visitor::VisitorId;

pub trait Hall: Send + Sync {
    fn info(&self) -> HallResult<HallInfo>;
    /// First-run setup: creates the first administrator; refused once any account exists.
    fn setup(&self, admin: NewOfficer) -> HallResult<()>;
    fn login(&self, username: &str, password: &str, desk: &str) -> HallResult<Session>;
    fn logout(&self, token: &SessionToken) -> HallResult<()>;
    fn command(&self, token: &SessionToken, command: Command) -> HallResult<CommandReply>;
    fn query(&self, token: &SessionToken, query: Query) -> HallResult<QueryReply>;
    /// A stream of everything that changes in the hall, from now on.
    fn subscribe(&self) -> Receiver<Event>;
}

fn unexpected<T>(what: &str) -> HallResult<T> {
    Err(HallError::Protocol(format!(
        "服务返回了意外的应答（应为{what}）"
    )))
}

/// Typed shortcuts over [`Hall::command`] and [`Hall::query`].
pub trait HallExt: Hall {
    fn register(&self, t: &SessionToken, input: RegistrationInput) -> HallResult<Registered> {
        match self.command(t, Command::Register(Box::new(input)))? {
            CommandReply::Registered(r) => Ok(r),
            _ => unexpected("登记结果"),
        }
    }

    fn call_next(&self, t: &SessionToken) -> HallResult<Serving> {
        match self.command(t, Command::CallNext)? {
            CommandReply::Serving(s) => Ok(s),
            _ => unexpected("叫号结果"),
        }
    }

    fn finish(&self, t: &SessionToken, outcome: Outcome, note: &str) -> HallResult<()> {
        self.command(
            t,
            Command::Finish {
                outcome,
                note: note.to_string(),
            },
        )
        .map(|_| ())
    }

    /// One lifecycle step on a matter (see `Command::Step`).
    fn step(
        &self,
        t: &SessionToken,
        matter: MatterId,
        step: Transition,
        note: &str,
    ) -> HallResult<()> {
        self.command(
            t,
            Command::Step {
                matter,
                step,
                note: note.to_string(),
            },
        )
        .map(|_| ())
    }

    /// One evaluation step on a matter (see `Command::Evaluate`).
    fn evaluate(&self, t: &SessionToken, matter: MatterId, step: EvaluationStep) -> HallResult<()> {
        self.command(t, Command::Evaluate { matter, step })
            .map(|_| ())
    }

    fn due_matters(&self, t: &SessionToken, hall_wide: bool) -> HallResult<Vec<MatterBrief>> {
        match self.query(t, Query::DueMatters { hall_wide })? {
            QueryReply::Matters(m) => Ok(m),
            _ => unexpected("超期和临期事项"),
        }
    }

    /// See `Query::RepeatCandidates`.
    fn repeat_candidates(
        &self,
        t: &SessionToken,
        visitor: VisitorId,
        content_class: &str,
        place: &str,
    ) -> HallResult<Vec<MatterBrief>> {
        match self.query(
            t,
            Query::RepeatCandidates {
                visitor,
                content_class: content_class.to_string(),
                place: place.to_string(),
            },
        )? {
            QueryReply::Matters(m) => Ok(m),
            _ => unexpected("可能重复的事项"),
        }
    }

    fn lookup(&self, t: &SessionToken, text: &str, limit: usize) -> HallResult<Vec<LookupHit>> {
        match self.query(
            t,
            Query::Lookup {
                text: text.to_string(),
                limit,
            },
        )? {
            QueryReply::Lookup(hits) => Ok(hits),
            _ => unexpected("查询结果"),
        }
    }

    fn profile(
        &self,
        t: &SessionToken,
        id: VisitorId,
        full_id: bool,
    ) -> HallResult<VisitorProfile> {
        match self.query(t, Query::Visitor { id, full_id })? {
            QueryReply::Visitor(p) => Ok(*p),
            _ => unexpected("来访人档案"),
        }
    }

    fn matter(&self, t: &SessionToken, id: MatterId) -> HallResult<MatterDetail> {
        match self.query(t, Query::Matter(id))? {
            QueryReply::Matter(m) => Ok(*m),
            _ => unexpected("事项详情"),
        }
    }

    fn queue(&self, t: &SessionToken) -> HallResult<QueueView> {
        match self.query(t, Query::Queue)? {
            QueryReply::Queue(q) => Ok(q),
            _ => unexpected("排队情况"),
        }
    }

    fn my_desk(&self, t: &SessionToken) -> HallResult<Option<Serving>> {
        match self.query(t, Query::MyDesk)? {
            QueryReply::Desk(s) => Ok(s),
            _ => unexpected("本窗口状态"),
        }
    }

    fn matter_audit(
        &self,
        t: &SessionToken,
        id: MatterId,
    ) -> HallResult<Vec<crate::domain::audit::AuditRecord>> {
        match self.query(t, Query::MatterAudit(id))? {
            QueryReply::Audit(a) => Ok(a),
            _ => unexpected("审计记录"),
        }
    }

    /// See `Query::Notice`.
    fn notice(
        &self,
        t: &SessionToken,
        matter: MatterId,
        kind: crate::notice::NoticeKind,
    ) -> HallResult<NoticeText> {
        match self.query(t, Query::Notice { matter, kind })? {
            QueryReply::Notice(n) => Ok(n),
            _ => unexpected("告知书"),
        }
    }

    fn stats(
        &self,
        t: &SessionToken,
        period: crate::domain::stats::period::Period,
    ) -> HallResult<crate::domain::stats::report::StatsReport> {
        match self.query(t, Query::Stats { period })? {
            QueryReply::Stats(r) => Ok(*r),
            _ => unexpected("统计结果"),
        }
    }

    fn daily_report(
        &self,
        t: &SessionToken,
        date: chrono::NaiveDate,
    ) -> HallResult<crate::domain::stats::daily::DailyReport> {
        match self.query(t, Query::DailyReport { date })? {
            QueryReply::Daily(r) => Ok(*r),
            _ => unexpected("日报"),
        }
    }

    /// One page of a ledger export (see `Query::Ledger`).
    fn ledger_page(&self, t: &SessionToken, request: LedgerRequest) -> HallResult<LedgerPage> {
        match self.query(t, Query::Ledger(request))? {
            QueryReply::Ledger(page) => Ok(page),
            _ => unexpected("台账"),
        }
    }

    /// Imports one ledger row; `Ok(false)` when it had been imported before.
    fn import_visit(&self, t: &SessionToken, row: LedgerImport) -> HallResult<bool> {
        match self.command(t, Command::ImportVisit(Box::new(row)))? {
            CommandReply::Imported { duplicate } => Ok(!duplicate),
            _ => unexpected("导入结果"),
        }
    }

    fn officers(&self, t: &SessionToken) -> HallResult<Vec<crate::domain::officer::OfficerInfo>> {
        match self.query(t, Query::Officers)? {
            QueryReply::Officers(o) => Ok(o),
            _ => unexpected("账号列表"),
        }
    }
    /// 督办, 批示, 包案 or 回访 on a matter (see `Command::Oversee`).
    fn oversee(
        &self,
        t: &SessionToken,
        matter: MatterId,
        action: crate::domain::oversight::Oversight,
    ) -> HallResult<()> {
        self.command(t, Command::Oversee { matter, action })
            .map(|_| ())
    }

    fn supervised_matters(
        &self,
        t: &SessionToken,
        hall_wide: bool,
    ) -> HallResult<Vec<MatterBrief>> {
        match self.query(t, Query::SupervisedMatters { hall_wide })? {
            QueryReply::Matters(m) => Ok(m),
            _ => unexpected("督办事项"),
        }
    }
}

impl<H: Hall + ?Sized> HallExt for H {}
