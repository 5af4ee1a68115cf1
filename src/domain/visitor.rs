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
    fn names_are_masked_after_the_first_character() {
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("欧阳娜娜"), "欧***");
        assert_eq!(mask_name("买买提·艾力江"), "买***");
        assert_eq!(mask_name(""), "");
    }
}
