//! Records as format 8 stored them, where their shape has changed since: read from a hall
//! written by an older program, never written. Frozen: a field here must keep the place
//! and encoding format 8 gave it, whatever the domain types become. The field types
//! named from the domain (identity number, name, phone, time, grade, department) are
//! encoded as in format 8; one whose shape changes must be frozen here too.

use serde::Deserialize;

use crate::domain::department::DeptCode;
use crate::domain::identity::IdNumber;
use crate::domain::name::PersonName;
use crate::domain::phone::Phone;
use crate::domain::time::Timestamp;
use crate::domain::visitor::{self, KeyGrade, VisitorId};

#[derive(Deserialize)]
pub struct Visitor {
    id: VisitorId,
    id_number: Option<IdNumber>,
    name: PersonName,
    phone: Option<Phone>,
    address: String,
    key_grade: Option<KeyGrade>,
    created: Timestamp,
    summary: VisitorSummary,
    anonymous: bool,
}

#[derive(Deserialize)]
struct VisitorSummary {
    visit_count: u32,
    last_visit: Option<Timestamp>,
    open_matters: Vec<OpenMatterRef>,
    departments: Vec<DeptCode>,
    confidential_visits: u32,
    last_public_visit: Option<Timestamp>,
    confidential_departments: Vec<DeptCode>,
}

#[derive(Deserialize)]
struct OpenMatterRef {
    matter: u64,
    department: DeptCode,
    confidential: bool,
}

/// Format 8 kept no glance of the open matters: a lookup reads them until they change.
impl From<Visitor> for visitor::Visitor {
    fn from(v: Visitor) -> Self {
        let s = v.summary;
        visitor::Visitor {
            id: v.id,
            id_number: v.id_number,
            name: v.name,
            phone: v.phone,
            address: v.address,
            key_grade: v.key_grade,
            created: v.created,
            summary: visitor::VisitorSummary {
                visit_count: s.visit_count,
                last_visit: s.last_visit,
                open_matters: s
                    .open_matters
                    .into_iter()
                    .map(|r| visitor::OpenMatterRef {
                        matter: r.matter,
                        department: r.department,
                        confidential: r.confidential,
                        glance: None,
                    })
                    .collect(),
                departments: s.departments,
                confidential_visits: s.confidential_visits,
                last_public_visit: s.last_public_visit,
                confidential_departments: s.confidential_departments,
            },
            anonymous: v.anonymous,
        }
    }
}
