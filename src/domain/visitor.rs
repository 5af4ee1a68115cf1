//! The visitor (信访人): registered once, recognised on every later visit.

use serde::{Deserialize, Serialize};

use super::department::DeptCode;
use super::identity::IdNumber;
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
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitorSummary {
    pub visit_count: u32,
    pub last_visit: Option<Timestamp>,
    /// Open matters with what a reader needs to filter them by permission.
    pub open_matters: Vec<OpenMatterRef>,
    /// Every department the visitor has been routed to.
    pub departments: Vec<DeptCode>,
    /// Visits on 检举控告类 matters, left out of the count for readers who may
    /// not see those matters (Art 30), as are the two fields below.
    pub confidential_visits: u32,
    /// The last visit on a matter that is not 检举控告类.
    pub last_public_visit: Option<Timestamp>,
    /// Departments involved through matters that are not 检举控告类.
    pub public_departments: Vec<DeptCode>,
}

/// A visitor's history at a glance, as one reader may see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SummaryFigures<'a> {
    pub visit_count: u32,
    pub last_visit: Option<Timestamp>,
    pub departments: &'a [DeptCode],
}

fn add_department(list: &mut Vec<DeptCode>, department: &DeptCode) {
    if !list.contains(department) {
        list.push(department.clone());
    }
}

impl VisitorSummary {
    /// A visit at `department` about a matter that is `confidential` or not.
    pub fn record_visit(&mut self, at: Timestamp, department: &DeptCode, confidential: bool) {
        self.visit_count += 1;
        self.last_visit = Some(at);
        if confidential {
            self.confidential_visits += 1;
        } else {
            self.last_public_visit = Some(at);
        }
        self.involve(department, confidential);
    }

    /// A matter of the visitor is now (also) with `department`.
    pub fn involve(&mut self, department: &DeptCode, confidential: bool) {
        add_department(&mut self.departments, department);
        if !confidential {
            add_department(&mut self.public_departments, department);
        }
    }

    /// The figures a reader sees: everything, or nothing of 检举控告类 matters.
    pub fn figures(&self, sees_confidential: bool) -> SummaryFigures<'_> {
        if sees_confidential {
            SummaryFigures {
                visit_count: self.visit_count,
                last_visit: self.last_visit,
                departments: &self.departments,
            }
        } else {
            SummaryFigures {
                visit_count: self.visit_count.saturating_sub(self.confidential_visits),
                last_visit: self.last_public_visit,
                departments: &self.public_departments,
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenMatterRef {
    pub matter: u64,
    pub department: DeptCode,
    pub confidential: bool,
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
        assert_eq!(public.departments, [rs]);
    }

    #[test]
    fn names_are_masked_after_the_first_character() {
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("欧阳娜娜"), "欧***");
        assert_eq!(mask_name("买买提·艾力江"), "买***");
        assert_eq!(mask_name(""), "");
    }
}
