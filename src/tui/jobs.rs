//! Requests to the hall and their answers. Screens never call the hall: they
//! post a [`Job`] into the [`Outbox`]; a worker thread runs it and the answer
//! comes back as an event tagged with the slot and generation it was asked for,
//! so an answer overtaken by a newer request for the same slot is dropped.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crossbeam_channel::{Receiver, Sender};

use crate::hall::{
    Command, CommandReply, Hall, HallResult, NewOfficer, Query, QueryReply, Session, SessionToken,
};
use crate::ledger::export::ExportSpec;
use crate::ledger::LedgerError;

/// What an answer is for. One outstanding request per slot: a newer one replaces it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Slot {
    Setup,
    Login,
    Queue,
    /// The repeat-visitor panel's search and the profile of its highlighted visitor.
    PanelLookup,
    PanelProfile,
    /// The matters the visit may repeat (同人+同事), for the panel.
    PanelCandidates,
    Register,
    Desk,
    /// Call next, recall, skip.
    DeskCommand,
    /// Recording the outcome.
    Finish,
    DeskProfile,
    DeskMatter,
    Lookup,
    Profile,
    Matter,
    /// The overdue / due-soon list and the matter opened from it.
    Due,
    DueMatter,
    /// The notice preview of an opened matter.
    Notice,
    /// The forced change of an administrator-set password.
    Password,
    /// The lock screen's password.
    Unlock,
    /// 满意度评价 and 第三方评价 from the opened matter.
    Evaluate,
    /// An action taken from an opened matter's panel (Ctrl-A), on the lookup or due screen.
    MatterAction,
    /// The statistics screen's period and its daily report.
    Stats,
    Daily,
    /// A ledger export started from the statistics screen; runs beside the worker.
    Export,
}

#[derive(Clone, Debug)]
pub enum Job {
    Setup(NewOfficer),
    Login {
        username: String,
        password: String,
        desk: String,
    },
    Query(SessionToken, Query),
    Command(SessionToken, Command),
    /// Writes a ledger file; long, so it runs on a thread of its own ([`spawn_export`]).
    Export {
        token: SessionToken,
        spec: ExportSpec,
        out: PathBuf,
    },
}

#[derive(Clone, Debug)]
pub struct Request {
    pub slot: Slot,
    pub generation: u64,
    pub job: Job,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    Done,
    Session(Box<Session>),
    Query(QueryReply),
    Command(CommandReply),
    /// Rows of the export written so far: sent while it runs, more than once.
    ExportProgress(u64),
    /// The export is complete with this many rows.
    Exported(u64),
    /// The file could not be written or read; the hall's own refusals come as errors.
    ExportFailed(String),
}

#[derive(Clone, Debug)]
pub struct Reply {
    pub slot: Slot,
    pub generation: u64,
    pub result: HallResult<Answer>,
}

/// Requests posted by screens during one update, and the generation each slot waits for.
#[derive(Default)]
pub struct Outbox {
    next_generation: u64,
    pending: Vec<Request>,
    awaited: HashMap<Slot, u64>,
}

impl Outbox {
    pub fn post(&mut self, slot: Slot, job: Job) {
        self.next_generation += 1;
        self.awaited.insert(slot, self.next_generation);
        self.pending.push(Request {
            slot,
            generation: self.next_generation,
            job,
        });
    }

    /// A request for this slot is out and unanswered. Commands are not sent twice
    /// while one is in flight: a second F6 must not register the visit again.
    pub fn is_waiting(&self, slot: Slot) -> bool {
        self.awaited.contains_key(&slot)
    }

    /// Forgets what a slot waits for, so a late answer for it is dropped.
    pub fn cancel(&mut self, slot: Slot) {
        self.awaited.remove(&slot);
    }

    pub fn take(&mut self) -> Vec<Request> {
        std::mem::take(&mut self.pending)
    }

    /// True when the slot still waits for this request, without taking the answer:
    /// progress reports come before the final answer.
    pub fn is_current(&self, reply: &Reply) -> bool {
        self.awaited.get(&reply.slot) == Some(&reply.generation)
    }

    /// True when this is the answer the slot waits for; stale answers are refused.
    pub fn accept(&mut self, reply: &Reply) -> bool {
        if self.awaited.get(&reply.slot) == Some(&reply.generation) {
            self.awaited.remove(&reply.slot);
            true
        } else {
            false
        }
    }
}

pub fn execute(hall: &dyn Hall, job: Job) -> HallResult<Answer> {
    execute_with_progress(hall, job, |_| {})
}

/// Runs a job; an export tells `progress` its running row count.
pub fn execute_with_progress(
    hall: &dyn Hall,
    job: Job,
    progress: impl FnMut(u64),
) -> HallResult<Answer> {
    match job {
        Job::Setup(admin) => hall.setup(admin).map(|_| Answer::Done),
        Job::Login {
            username,
            password,
            desk,
        } => hall
            .login(&username, &password, &desk)
            .map(|s| Answer::Session(Box::new(s))),
        Job::Query(token, query) => hall.query(&token, query).map(Answer::Query),
        Job::Command(token, command) => hall.command(&token, command).map(Answer::Command),
        Job::Export { token, spec, out } => {
            match crate::ledger::export::export(hall, &token, &spec, &out, progress) {
                Ok(rows) => Ok(Answer::Exported(rows)),
                Err(LedgerError::Hall(e)) => Err(e),
                Err(e) => Ok(Answer::ExportFailed(e.to_string())),
            }
        }
    }
}

/// Rows between two progress reports: often enough to see it move, few enough redraws.
const PROGRESS_STEP: u64 = 2_000;

/// Runs an export on a thread of its own, so lookups and the queue are answered
/// meanwhile, reporting progress every [`PROGRESS_STEP`] rows and then the answer.
pub fn spawn_export(
    hall: Arc<dyn Hall>,
    request: Request,
    replies: Sender<Reply>,
) -> std::io::Result<()> {
    let Request {
        slot, generation, ..
    } = request;
    let reply = move |result| Reply {
        slot,
        generation,
        result,
    };
    std::thread::Builder::new()
        .name("desk-export".into())
        .spawn(move || {
            let mut reported = 0;
            let progress = |rows: u64| {
                if rows >= reported + PROGRESS_STEP {
                    reported = rows;
                    let _ = replies.send(reply(Ok(Answer::ExportProgress(rows))));
                }
            };
            let result = execute_with_progress(hall.as_ref(), request.job, progress);
            let _ = replies.send(reply(result));
        })?;
    Ok(())
}

/// Runs requests in order until the channel closes. Of several queued requests for
/// the same slot only the newest runs: typing fast queues one lookup per key.
pub fn work(hall: &dyn Hall, requests: Receiver<Request>, replies: Sender<Reply>) {
    while let Ok(first) = requests.recv() {
        let mut batch = vec![first];
        batch.extend(requests.try_iter());
        for (i, request) in batch.iter().enumerate() {
            let superseded = batch[i + 1..]
                .iter()
                .any(|later| later.slot == request.slot)
                && matches!(request.job, Job::Query(..));
            if superseded {
                continue;
            }
            let result = execute(hall, request.job.clone());
            let reply = Reply {
                slot: request.slot,
                generation: request.generation,
                result,
            };
            if replies.send(reply).is_err() {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(slot: Slot, generation: u64) -> Reply {
        Reply {
            slot,
            generation,
            result: Ok(Answer::Done),
        }
    }

    #[test]
    fn the_worker_runs_only_the_newest_queued_query_per_slot_but_every_command() {
        use crate::config::HallConfig;
        use crate::domain::department::DeptCode;
        use crate::domain::officer::Role;
        use crate::hall::clock::SystemClock;
        use crate::hall::LocalHall;

        let hall =
            LocalHall::temporary(HallConfig::embedded(), Box::new(SystemClock)).expect("hall");
        hall.setup(NewOfficer {
            username: "admin".into(),
            display_name: "王主任".into(),
            role: Role::Admin,
            department: DeptCode::new("xfj"),
            password: "zhuomian-2026".into(),
        })
        .expect("setup");
        let token = hall
            .login("admin", "zhuomian-2026", "")
            .expect("login")
            .token;
        let mut out = Outbox::default();
        for text in ["z", "zx", "zxy"] {
            let query = Query::Lookup {
                text: text.into(),
                limit: 5,
            };
            out.post(Slot::Lookup, Job::Query(token.clone(), query));
        }
        // Two commands for one slot: both must run.
        out.post(
            Slot::DeskCommand,
            Job::Command(token.clone(), Command::CallNext),
        );
        out.post(
            Slot::DeskCommand,
            Job::Command(token.clone(), Command::CallNext),
        );
        let (requests_tx, requests) = crossbeam_channel::unbounded();
        let (replies_tx, replies) = crossbeam_channel::unbounded();
        let sent = out.take();
        for r in &sent {
            requests_tx.send(r.clone()).expect("send");
        }
        drop(requests_tx);
        work(&hall, requests, replies_tx);
        let got: Vec<(Slot, u64)> = replies.iter().map(|r| (r.slot, r.generation)).collect();
        assert_eq!(
            got,
            [
                (Slot::Lookup, sent[2].generation),
                (Slot::DeskCommand, sent[3].generation),
                (Slot::DeskCommand, sent[4].generation),
            ]
        );
    }

    #[test]
    fn only_the_newest_answer_per_slot_is_accepted() {
        let mut out = Outbox::default();
        let token = SessionToken("t".into());
        let q = |text: &str| {
            Job::Query(
                token.clone(),
                Query::Lookup {
                    text: text.into(),
                    limit: 5,
                },
            )
        };
        out.post(Slot::Lookup, q("张"));
        out.post(Slot::Lookup, q("张三"));
        out.post(Slot::Queue, Job::Query(token.clone(), Query::Queue));
        let sent = out.take();
        assert_eq!(sent.len(), 3);
        assert!(out.take().is_empty());
        // The answer to "张" arrives after "张三" was asked: dropped.
        assert!(!out.accept(&reply(Slot::Lookup, sent[0].generation)));
        assert!(out.accept(&reply(Slot::Lookup, sent[1].generation)));
        // Accepted once only.
        assert!(!out.accept(&reply(Slot::Lookup, sent[1].generation)));
        assert!(out.accept(&reply(Slot::Queue, sent[2].generation)));
        // Progress of a long request leaves it waiting for its answer.
        out.post(Slot::Export, q("x"));
        let g = out.take()[0].generation;
        assert!(out.is_current(&reply(Slot::Export, g)));
        assert!(out.is_current(&reply(Slot::Export, g)));
        assert!(out.accept(&reply(Slot::Export, g)));
        assert!(!out.is_current(&reply(Slot::Export, g)));
        out.post(Slot::Profile, q("x"));
        let g = out.take()[0].generation;
        out.cancel(Slot::Profile);
        assert!(!out.accept(&reply(Slot::Profile, g)));
    }
}
