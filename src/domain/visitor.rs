//! The visitor (信访人): registered once, recognised on every later visit.

use serde::{Deserialize, Serialize};

use super::department::DeptCode;
use super::identity::IdNumber;
use super::lifecycle::Lifecycle;
use super::matter::{Category, Matter};
use super::name::PersonName;
use super::phone::Phone;
use super::time::Timestamp;

pub type VisitorId = u64;

/// 四色管理: key-person grades, A the most serious.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum KeyGrade {
    A,
    B,
    C,
    D,
}

impl KeyGrade {
    pub fn label(self) -> &'static str {
        match self {
            KeyGrade::A => "A 红",
            KeyGrade::B => "B 橙",
            KeyGrade::C => "C 黄",
            KeyGrade::D => "D 蓝",
        }
    }
}

/// One change of a visitor's key-person grade (set, changed or lifted), kept for good: who
/// graded them, when and why. The visitor record holds only the current grade.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyGradeChange {
    pub seq: u64,
    pub visitor: VisitorId,
    /// `None`: the grade was lifted.
    pub grade: Option<KeyGrade>,
    pub reason: String,
    pub at: Timestamp,
    pub officer: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visitor {
    pub id: VisitorId,
    /// `None` when the visitor had no identity document (flagged, still registrable).
    pub id_number: Option<IdNumber>,
    pub name: PersonName,
    pub phone: Option<Phone>,
    pub address: String,
    pub key_grade: Option<KeyGrade>,
    pub created: Timestamp,
    /// Summary kept current by every registration, so a lookup hit costs one read.
    pub summary: VisitorSummary,
    /// Registered from an anonymous letter or call: named 匿名, no lookup keys, never picked
    /// again or offered as a repeat.
    pub anonymous: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitorSummary {
    pub visit_count: u32,
    pub last_visit: Option<Timestamp>,
    /// Open matters with what a reader needs to filter them by permission.
    pub open_matters: Vec<OpenMatterRef>,
    /// Every department the visitor has been routed to.
    pub departments: Vec<DeptCode>,
    /// What of the figures above comes from 检举控告类 matters, left out for
    /// readers who may not see those (Art 30). Recorded as what to leave out,
    /// so that a summary written without it (all empty) hides nothing by mistake.
    pub confidential_visits: u32,
    /// The last visit not on a 检举控告类 matter; read only when
    /// `confidential_visits` is above zero.
    pub last_public_visit: Option<Timestamp>,
    /// Departments of `departments` involved only through 检举控告类 matters.
    pub confidential_departments: Vec<DeptCode>,
}

/// A visitor's history at a glance, as one reader may see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummaryFigures {
    pub visit_count: u32,
    pub last_visit: Option<Timestamp>,
    pub departments: Vec<DeptCode>,
}

impl VisitorSummary {
    /// A visit at `department` about a matter that is `confidential` or not. An older
    /// visit recorded later (a ledger import) leaves the last visit where it is.
    pub fn record_visit(&mut self, at: Timestamp, department: &DeptCode, confidential: bool) {
        self.visit_count += 1;
        self.last_visit = self.last_visit.max(Some(at));
        if confidential {
            self.confidential_visits += 1;
        } else {
            self.last_public_visit = self.last_public_visit.max(Some(at));
        }
        self.involve(department, confidential);
    }

    /// A matter of the visitor is now (also) with `department`.
    pub fn involve(&mut self, department: &DeptCode, confidential: bool) {
        if !self.departments.contains(department) {
            self.departments.push(department.clone());
            if confidential {
                self.confidential_departments.push(department.clone());
            }
        } else if !confidential {
            self.confidential_departments.retain(|d| d != department);
        }
    }

    /// The figures a reader sees: everything, or nothing of 检举控告类 matters.
    pub fn figures(&self, sees_confidential: bool) -> SummaryFigures {
        let hide_visits = !sees_confidential && self.confidential_visits > 0;
        SummaryFigures {
            visit_count: if hide_visits {
                self.visit_count.saturating_sub(self.confidential_visits)
            } else {
                self.visit_count
            },
            last_visit: if hide_visits {
                self.last_public_visit
            } else {
                self.last_visit
            },
            departments: self
                .departments
                .iter()
                .filter(|d| sees_confidential || !self.confidential_departments.contains(d))
                .cloned()
                .collect(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenMatterRef {
    pub matter: u64,
    pub department: DeptCode,
    pub confidential: bool,
    /// `None` in a record written before format 9, until the matter next changes: a lookup
    /// then reads the matter instead.
    pub glance: Option<MatterGlance>,
}

impl OpenMatterRef {
    pub fn of(m: &Matter) -> OpenMatterRef {
        OpenMatterRef {
            matter: m.id,
            department: m.department.clone(),
            confidential: m.confidential(),
            glance: Some(MatterGlance::of(m)),
        }
    }
}

/// What a lookup hit shows of an open matter (its deadline tier, the leader in charge) and
/// what decides who may see it, kept beside the reference so that a hit costs one read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatterGlance {
    pub category: Category,
    pub accused_department: Option<DeptCode>,
    /// The tier is worked out on the day it is read, from the state and its dates.
    pub status: Lifecycle,
    /// 领导包案: the leader's name as the desks show it.
    pub lead: Option<String>,
}

impl MatterGlance {
    pub fn of(m: &Matter) -> MatterGlance {
        MatterGlance {
            category: m.category,
            accused_department: m.accused_department().cloned(),
            status: m.status.clone(),
            lead: m.lead.as_ref().map(|l| l.name.clone()),
        }
    }
}

impl Visitor {
    pub fn masked_id(&self) -> String {
        self.id_number
            .as_ref()
            .map(|n| n.masked())
            .unwrap_or_else(|| "（无证件）".to_string())
    }

    pub fn masked_phone(&self) -> String {
        self.phone.as_ref().map(|p| p.masked()).unwrap_or_default()
    }

    /// `张*` / `欧阳**`: what the shared queue board shows of a name.
    pub fn masked_name(&self) -> String {
        if self.anonymous {
            // 匿名 hides nobody: shown whole, not as 匿*.
            return self.name.as_str().to_string();
        }
        mask_name(self.name.as_str())
    }
}

pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => {
            let rest = chars.count();
            format!("{first}{}", "*".repeat(rest.clamp(1, 3)))
        }
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confidential_visits_are_left_out_for_readers_who_may_not_see_them() {
        let (rs, jw) = (DeptCode::new("rs"), DeptCode::new("jw"));
        let mut s = VisitorSummary::default();
        s.record_visit(Timestamp(100), &rs, false);
        s.record_visit(Timestamp(200), &jw, true);
        s.involve(&DeptCode::new("ga"), true);
        let all = s.figures(true);
        assert_eq!((all.visit_count, all.last_visit), (2, Some(Timestamp(200))));
        assert_eq!(all.departments, [rs.clone(), jw, DeptCode::new("ga")]);
        let public = s.figures(false);
        assert_eq!(
            (public.visit_count, public.last_visit),
            (1, Some(Timestamp(100)))
        );
        assert_eq!(public.departments, std::slice::from_ref(&rs));
        // 公安 later takes an ordinary matter too: no longer a secret.
        s.involve(&DeptCode::new("ga"), false);
        assert_eq!(
            s.figures(false).departments,
            [rs.clone(), DeptCode::new("ga")]
        );
        // An older visit imported afterwards counts, but is not the last one.
        s.record_visit(Timestamp(50), &rs, false);
        s.record_visit(Timestamp(60), &DeptCode::new("jw"), true);
        assert_eq!(
            (s.figures(true).visit_count, s.figures(true).last_visit),
            (4, Some(Timestamp(200)))
        );
        assert_eq!(s.figures(false).last_visit, Some(Timestamp(100)));
    }

    #[test]
    fn a_summary_without_confidential_figures_hides_nothing() {
        let s = VisitorSummary {
            visit_count: 3,
            last_visit: Some(Timestamp(300)),
            departments: vec![DeptCode::new("rs")],
            ..VisitorSummary::default()
        };
        assert_eq!(s.figures(false), s.figures(true));
        assert_eq!(s.figures(false).last_visit, Some(Timestamp(300)));
    }

    #[test]
    fn names_are_masked_after_the_first_character() {
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("欧阳娜娜"), "欧***");
        assert_eq!(mask_name("买买提·艾力江"), "买***");
        assert_eq!(mask_name(""), "");
    }
}
