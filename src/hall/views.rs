//! Turning stored records into what screens show, with masking applied.

use super::api::{LookupHit, MatchKind, QueueEntry, VisitView, VisitorCard};
use crate::config::HallConfig;
use crate::domain::matter::Matter;
use crate::domain::ticket::Ticket;
use crate::domain::visit::Visit;
use crate::domain::visitor::Visitor;

/// A lookup hit; `sees_confidential` says whether 检举控告类 matters count.
pub fn hit(v: &Visitor, matched: MatchKind, sees_confidential: bool) -> LookupHit {
    let figures = v.summary.figures(sees_confidential);
    let open_matters = v
        .summary
        .open_matters
        .iter()
        .filter(|m| sees_confidential || !m.confidential)
        .count();
    LookupHit {
        visitor: v.id,
        name: v.name.as_str().to_string(),
        id_masked: v.masked_id(),
        phone_masked: v.masked_phone(),
        visit_count: figures.visit_count,
        last_visit: figures.last_visit,
        open_matters: u32::try_from(open_matters).unwrap_or(u32::MAX),
        departments: figures.departments,
        key_grade: v.key_grade,
        matched,
        tier: None,
        lead: None,
    }
}

pub fn card(v: &Visitor, full: bool, sees_confidential: bool) -> VisitorCard {
    let id = v.id_number.as_ref();
    let figures = v.summary.figures(sees_confidential);
    VisitorCard {
        id: v.id,
        name: v.name.as_str().to_string(),
        id_number: match (id, full) {
            (Some(n), true) => n.as_str().to_string(),
            _ => v.masked_id(),
        },
        no_document: id.is_none(),
        birth_date: id.map(|n| n.birth_date().format("%Y-%m-%d").to_string()),
        sex: id.map(|n| n.sex().label().to_string()),
        region: id.map(|n| {
            let code = n.region_code();
            match n.province() {
                Some(p) => format!("{p}（{code}）"),
                None => code.to_string(),
            }
        }),
        phone: match (&v.phone, full) {
            (Some(p), true) => p.as_str().to_string(),
            _ => v.masked_phone(),
        },
        address: v.address.clone(),
        key_grade: v.key_grade,
        first_seen: v.created,
        visit_count: figures.visit_count,
        last_visit: figures.last_visit,
        anonymous: v.anonymous,
    }
}

pub fn visit_view(
    v: &Visit,
    m: &Matter,
    ticket_label: Option<String>,
    config: &HallConfig,
) -> VisitView {
    let level = config.visit_levels.get(usize::from(v.level));
    VisitView {
        id: v.id,
        at: v.at,
        channel: v.channel,
        headcount: v.headcount,
        group: v.headcount >= config.group_visit_threshold,
        department: v.department.clone(),
        desk: v.desk.clone(),
        officer: v.officer.clone(),
        matter: v.matter,
        matter_number: m.number.clone(),
        repeat: v.repeat,
        ticket_label,
        representatives: v
            .representatives
            .iter()
            .map(|r| r.as_str().to_string())
            .collect(),
        level: level.cloned().unwrap_or_else(|| format!("层级{}", v.level)),
        skip_level: v.is_skip_level(m, |at| at.local_date(config.timezone)),
        anonymous: v.anonymous,
    }
}

/// A waiting ticket as the shared queue shows it to every desk and the wall
/// display: its repeat count leaves out 检举控告类 visits, whoever looks.
pub fn queue_entry(
    t: &Ticket,
    visitor: Option<&Visitor>,
    confidential: bool,
    config: &HallConfig,
) -> QueueEntry {
    let others = |v: &Visitor| {
        let public = v.summary.figures(false).visit_count;
        // This ticket's own visit is among the public ones unless it is confidential.
        public.saturating_sub(u32::from(!confidential))
    };
    QueueEntry {
        ticket: t.id,
        label: t.label.clone(),
        issued: t.issued,
        headcount: t.headcount,
        group: t.headcount >= config.group_visit_threshold,
        earlier_visits: visitor.map_or(0, others),
        key_grade: visitor.and_then(|v| v.key_grade),
        skipped: t.skipped,
        name_masked: visitor.map(|v| v.masked_name()).unwrap_or_default(),
        tier: None,
        lead: None,
    }
}
