//! The ledger in the service: export pages in date order, and import of a hall's
//! existing ledger one row per command.

use super::*;
use crate::domain::ledger::{LedgerLines, MatterEntry, MatterLine, VisitEntry, VisitLine};
use crate::domain::matter::Category;
use crate::store::keys::Stored;

/// Rows per export page: the largest rows (4,000-character summaries) still fit a
/// network frame.
pub const LEDGER_PAGE: usize = 40;

/// Meta keys remembering what an import wrote, so that importing a file again
/// adds nothing and rows of one source visitor or matter stay together.
fn imported_row_key(row_key: &str) -> String {
    format!("ledger.row.{row_key}")
}

fn imported_visitor_key(visitor_no: &str) -> String {
    format!("ledger.visitor.{visitor_no}")
}

fn imported_matter_key(number: &str) -> String {
    format!("ledger.matter.{number}")
}

/// One page of lines: entries of type `E` from `cursor` up to `end`, read
/// [`LEDGER_PAGE`] at a time, each turned into a line by `line` (the line the officer
/// exports, say); entries it makes none of are passed over. The key of the page's last
/// line comes with a full page: the next page starts after it.
pub(super) fn fill_page<E: Stored, L>(
    store: &Store,
    mut cursor: Vec<u8>,
    end: &[u8],
    line: impl Fn(E) -> Option<L>,
) -> HallResult<(Vec<L>, Option<Vec<u8>>)> {
    let mut lines = Vec::new();
    loop {
        let batch = store.entries::<E>(&cursor, end, LEDGER_PAGE)?;
        let exhausted = batch.len() < LEDGER_PAGE;
        for (key, entry) in batch {
            lines.extend(line(entry));
            if lines.len() == LEDGER_PAGE {
                return Ok((lines, Some(key)));
            }
            cursor = key;
            cursor.push(0);
        }
        if exhausted {
            return Ok((lines, None));
        }
    }
}

impl LocalHall {
    pub(super) fn ledger_page(&self, s: &Session, req: LedgerRequest) -> HallResult<LedgerPage> {
        permissions::require(&s.officer, Action::ExportLedger)?;
        if req.full_id && s.officer.role != Role::Admin {
            return Err(HallError::Denied(
                "只有管理员可以导出完整的身份证号码和电话，请去掉“完整号码”选项".into(),
            ));
        }
        if req.from > req.to {
            return Err(HallError::Conflict(format!(
                "导出的起始日期 {} 晚于结束日期 {}，请调换",
                req.from, req.to
            )));
        }
        let tz = self.config.timezone;
        let end = keys::date_start(Timestamp::start_of(req.to.succ_opt().unwrap_or(req.to), tz));
        let cursor = match &req.after {
            Some(after) => {
                let mut k = after.clone();
                k.push(0);
                k
            }
            None => {
                // One audit record per export, at its first page.
                let full = if req.full_id {
                    "（含完整身份证号码）"
                } else {
                    ""
                };
                self.store.write(|w| {
                    self.audit(
                        w,
                        s,
                        format!("导出{} {} 至 {}{full}", req.kind.label(), req.from, req.to),
                        None,
                        None,
                    )
                })?;
                keys::date_start(Timestamp::start_of(req.from, tz))
            }
        };
        let (lines, next) = match req.kind {
            LedgerKind::Visits => {
                let (visits, next) = fill_page(&self.store, cursor, &end, |e| {
                    self.visit_line(s, e, req.full_id)
                })?;
                (LedgerLines::Visits(visits), next)
            }
            LedgerKind::Matters => {
                let (matters, next) =
                    fill_page(&self.store, cursor, &end, |e| self.matter_line(s, e))?;
                (LedgerLines::Matters(matters), next)
            }
        };
        Ok(LedgerPage { lines, next })
    }

    /// Whether the officer exports rows of a matter of `category` accusing a unit of
    /// `accused` (if any): they may see it, and it is their department's unless they export
    /// the whole hall.
    fn exports(
        &self,
        s: &Session,
        category: Category,
        accused: Option<&DeptCode>,
        department: &DeptCode,
    ) -> bool {
        permissions::can_see_subject(&s.officer, &self.config, category, accused)
            && (permissions::exports_hall_wide(&s.officer) || &s.officer.department == department)
    }

    fn dept_name(&self, code: &DeptCode) -> String {
        self.config
            .department(code)
            .map_or_else(|| code.to_string(), |d| d.name.clone())
    }

    fn visit_line(&self, s: &Session, entry: VisitEntry, full: bool) -> Option<VisitLine> {
        let VisitEntry {
            visit,
            visitor: v,
            matter: m,
        } = entry;
        let subject = &m.subject;
        if !self.exports(
            s,
            subject.category,
            subject.accused_department(),
            &visit.department,
        ) {
            return None;
        }
        let subject = m.subject;
        let (accused, accused_department) = match subject.accused {
            Some(a) => (
                a.party,
                a.department
                    .as_ref()
                    .map(|d| self.dept_name(d))
                    .unwrap_or_default(),
            ),
            None => (String::new(), String::new()),
        };
        Some(VisitLine {
            at: visit.at.local(self.config.timezone).naive_local(),
            visitor_no: v.id.to_string(),
            name: v.name.as_str().to_string(),
            no_document: v.id_number.is_none(),
            // 无证件 says it; a placeholder would not import.
            id_number: v
                .id_number
                .map(|n| {
                    if full {
                        n.as_str().to_string()
                    } else {
                        n.masked()
                    }
                })
                .unwrap_or_default(),
            phone: v
                .phone
                .map(|p| {
                    if full {
                        p.as_str().to_string()
                    } else {
                        p.masked()
                    }
                })
                .unwrap_or_default(),
            address: v.address,
            channel: visit.channel.label().to_string(),
            headcount: visit.headcount,
            representatives: visit
                .representatives
                .iter()
                .map(|r| r.as_str().to_string())
                .collect(),
            matter_number: m.number,
            category: subject.category.label().to_string(),
            content_class: subject.content_class,
            place: subject.place,
            summary: subject.summary,
            demands: subject.demands,
            accused,
            accused_department,
            department: self.dept_name(&visit.department),
            repeat: visit.repeat,
        })
    }

    /// A matter's line, from its entry alone; its status and next deadline as they read
    /// today.
    fn matter_line(&self, s: &Session, entry: MatterEntry) -> Option<MatterLine> {
        let subject = entry.shown.subject;
        if !self.exports(
            s,
            subject.category,
            subject.accused_department(),
            &entry.department,
        ) {
            return None;
        }
        let (limits, today) = (&self.config.limits, self.today());
        Some(MatterLine {
            number: entry.shown.number,
            received: entry.received.local(self.config.timezone).naive_local(),
            category: subject.category.label().to_string(),
            content_class: subject.content_class,
            place: subject.place,
            summary: subject.summary,
            demands: subject.demands,
            accused: subject.accused.map(|a| a.party).unwrap_or_default(),
            department: self.dept_name(&entry.department),
            status: entry.status.label_on(today, limits).to_string(),
            due: entry
                .status
                .deadline_status(limits, today)
                .map(|d| d.deadline.due.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            visitors: entry
                .visitors
                .iter()
                .map(|n| n.as_str().to_string())
                .collect(),
            visits: entry.visits,
        })
    }

    /// One imported ledger row: validated with the desk's rules, written as a visit at
    /// the row's time (no ticket: the visitor left long ago), audited.
    pub(super) fn import_visit(
        &self,
        s: &Session,
        row: LedgerImport,
    ) -> HallResult<(CommandReply, Vec<EventKind>)> {
        permissions::require(&s.officer, Action::ImportLedger)?;
        let valid = registration::validate(&row.input, &self.rules())?;
        let MatterChoice::New(new) = &valid.matter else {
            return Err(HallError::Conflict(
                "导入的每一行都应登记事项内容（事项性质、内容分类、反映的问题）".into(),
            ));
        };
        let dept = valid.department.clone();
        let at = row.at;
        let written = self.store.write(|w| -> HallResult<Option<(VisitorId, MatterId)>> {
            if self.store.counter(&imported_row_key(&row.row_key))? != 0 {
                return Ok(None);
            }
            let source_visitor = (!row.visitor_no.is_empty())
                .then(|| self.store.counter(&imported_visitor_key(&row.visitor_no)))
                .transpose()?
                .filter(|id| *id != 0);
            let holder = match &valid.id_number {
                Some(n) => self.holder_of(n)?,
                None => None,
            };
            let mut visitor = match holder.or(source_visitor) {
                Some(id) => {
                    let mut v: Visitor = w
                        .get_id(id)?
                        .ok_or_else(|| HallError::NotFound("该来访人".into()))?;
                    if v.name != valid.name {
                        return Err(FieldError::new(
                            Field::Name,
                            format!(
                                "本行的身份证号码或来访人编号已登记为来访人“{}”，与本行的姓名“{}”不一致，请核对",
                                v.name, valid.name
                            ),
                        )
                        .into());
                    }
                    if v.id_number.is_none() {
                        v.id_number = valid.id_number.clone();
                    }
                    if v.phone.is_none() {
                        v.phone = valid.phone.clone();
                    }
                    if v.address.is_empty() {
                        v.address = valid.address.clone();
                    }
                    v
                }
                None => valid.new_visitor(w.next("seq.visitor")?, at),
            };
            let source_matter = (!row.matter_number.is_empty())
                .then(|| self.store.counter(&imported_matter_key(&row.matter_number)))
                .transpose()?
                .filter(|id| *id != 0);
            let mut matter = match source_matter {
                Some(id) => w
                    .get_id::<Matter>(id)?
                    .ok_or_else(|| HallError::NotFound("要追加来访的事项".into()))?,
                None => self.new_matter(w, s, new, &dept, at)?,
            };
            permissions::may_hold(&self.config, &dept, &matter)?;
            let visit_id = w.next("seq.visit")?;
            let repeat = matter.visitors.contains(&visitor.id);
            if !repeat {
                matter.visitors.push(visitor.id);
            }
            matter.visits.push(visit_id);
            let visit = Visit {
                id: visit_id,
                visitor: visitor.id,
                matter: matter.id,
                at,
                channel: valid.channel,
                headcount: valid.headcount,
                representatives: valid.representatives.clone(),
                department: dept.clone(),
                desk: s.desk.clone(),
                officer: s.officer.username.clone(),
                ticket: None,
                repeat,
                level: valid.facts.level,
                anonymous: valid.facts.anonymous,
            };
            visitor
                .summary
                .record_visit(at, &dept, matter.confidential());
            w.put(&visitor)?;
            w.put(&matter)?;
            refresh_open_matter(w, &matter)?;
            w.put(&visit)?;
            w.set_counter(&imported_row_key(&row.row_key), visit_id);
            if !row.visitor_no.is_empty() {
                w.set_counter(&imported_visitor_key(&row.visitor_no), visitor.id);
            }
            if !row.matter_number.is_empty() {
                w.set_counter(&imported_matter_key(&row.matter_number), matter.id);
            }
            let action = format!("导入台账第 {} 行 事项 {}", row.row, matter.number);
            self.audit(w, s, action, Some(matter.id), Some(visitor.id))?;
            Ok(Some((visitor.id, matter.id)))
        })?;
        Ok(match written {
            None => (CommandReply::Imported { duplicate: true }, Vec::new()),
            Some((visitor, matter)) => (
                CommandReply::Imported { duplicate: false },
                vec![
                    EventKind::VisitorChanged { visitor },
                    EventKind::MatterChanged { matter },
                ],
            ),
        })
    }
}
