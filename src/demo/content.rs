//! What generated matters are about: content classes, the department that
//! handles each, and the words of summaries and demands.

use rand::distributions::WeightedIndex;
use rand::prelude::*;

use crate::config::HallConfig;
use crate::domain::department::DeptCode;
use crate::domain::matter::{Accused, Category};

/// Content classes of the default config with how often they come up, the
/// departments that usually handle them, and (summary, demands) templates.
/// `{p}` is replaced by the place of the problem. A class the config lacks is
/// skipped; a class the table lacks gets the generic texts.
struct ClassInfo {
    class: &'static str,
    weight: u32,
    departments: &'static [&'static str],
    texts: &'static [(&'static str, &'static str)],
}

const CLASSES: [ClassInfo; 12] = [
    ClassInfo {
        class: "城乡建设",
        weight: 22,
        departments: &["zj"],
        texts: &[
            (
                "反映{p}所购商品房逾期两年未交房，开发商拒不答复",
                "要求督促开发商尽快交房并支付违约金",
            ),
            (
                "反映{p}小区房屋外墙渗水、电梯长期停运，物业不予维修",
                "要求维修并动用专项维修资金",
            ),
            (
                "反映{p}旧城改造拆迁补偿标准低于周边项目",
                "要求重新评估并提高补偿",
            ),
        ],
    },
    ClassInfo {
        class: "劳动社保",
        weight: 20,
        departments: &["rs"],
        texts: &[
            (
                "反映在{p}某建筑工地务工，被拖欠工资三个月共计四万余元",
                "要求协调支付被拖欠的工资",
            ),
            (
                "反映原单位未足额缴纳养老保险，影响退休待遇",
                "要求补缴养老保险并核定待遇",
            ),
            ("反映工伤认定申请超过期限未作出决定", "要求尽快作出工伤认定"),
        ],
    },
    ClassInfo {
        class: "自然资源",
        weight: 10,
        departments: &["zr"],
        texts: &[
            (
                "反映{p}集体土地被征收后安置用地迟迟未落实",
                "要求落实安置用地",
            ),
            ("反映邻居在{p}违法占用耕地建房", "要求依法查处并恢复耕地"),
        ],
    },
    ClassInfo {
        class: "农业农村",
        weight: 6,
        departments: &["zr", "xfj"],
        texts: &[(
            "反映{p}土地承包经营权流转费用未按合同支付",
            "要求按合同支付流转费",
        )],
    },
    ClassInfo {
        class: "卫生健康",
        weight: 6,
        departments: &["wj"],
        texts: &[
            (
                "反映家属在{p}某医院手术后死亡，对诊疗过程有异议",
                "要求组织医疗事故鉴定并追究责任",
            ),
            ("反映{p}某诊所无证行医", "要求依法查处"),
        ],
    },
    ClassInfo {
        class: "教育",
        weight: 5,
        departments: &["jy"],
        texts: &[(
            "反映子女在{p}入学时被要求缴纳赞助费",
            "要求退还费用并按片区入学",
        )],
    },
    ClassInfo {
        class: "政法",
        weight: 10,
        departments: &["ga", "fy", "jcy", "sf"],
        texts: &[
            (
                "反映在{p}被他人殴打致伤，报案后迟迟未立案",
                "要求公安机关立案侦查",
            ),
            ("反映民事判决已生效一年仍未执行到位", "要求法院加大执行力度"),
            ("不服{p}法院作出的民事判决", "要求重新审理"),
        ],
    },
    ClassInfo {
        class: "纪检监察",
        weight: 5,
        departments: &["jw"],
        texts: &[
            ("举报{p}某村干部在低保评定中优亲厚友", "要求调查处理"),
            ("举报某单位负责人违规收受礼金", "要求查实并严肃处理"),
        ],
    },
    ClassInfo {
        class: "民政",
        weight: 6,
        departments: &["mz"],
        texts: &[(
            "反映家庭生活困难，申请低保被{p}街道拒绝",
            "要求重新审核低保申请",
        )],
    },
    ClassInfo {
        class: "生态环境",
        weight: 4,
        departments: &["xfj"],
        texts: &[(
            "反映{p}某工厂夜间排放刺鼻废气、噪声扰民",
            "要求查处并责令整改",
        )],
    },
    ClassInfo {
        class: "企业改制",
        weight: 3,
        departments: &["rs"],
        texts: &[("反映原国有企业改制时身份置换补偿未到位", "要求落实改制补偿")],
    },
    ClassInfo {
        class: "其他",
        weight: 3,
        departments: &["xfj"],
        texts: &[("反映{p}公交线路调整后出行不便", "要求恢复原线路")],
    },
];

const GENERIC: (&str, &str) = ("反映{p}的问题长期得不到解决", "要求有关部门依法处理");

/// A content class as the config names it, and where its matters go.
struct Class {
    name: String,
    departments: Vec<DeptCode>,
    texts: &'static [(&'static str, &'static str)],
}

/// What a new matter is about.
pub struct Subject {
    pub category: Category,
    pub content_class: String,
    pub department: DeptCode,
    pub summary: String,
    pub demands: String,
    /// Set for 检举控告类 subjects.
    pub accused: Option<Accused>,
}

/// The content classes of one config, weighted, with their departments.
pub struct Subjects {
    classes: Vec<Class>,
    weights: WeightedIndex<u32>,
    /// Where accusations go (纪委监委), and the class they are filed under.
    accusations: Option<(DeptCode, Option<usize>)>,
    departments: Vec<DeptCode>,
}

impl Subjects {
    pub fn new(config: &HallConfig) -> Subjects {
        let intake = config.intake_department().code.clone();
        let mut classes = Vec::new();
        let mut weights = Vec::new();
        for name in &config.content_classes {
            let info = CLASSES.iter().find(|c| c.class == name);
            let mut departments: Vec<DeptCode> = info
                .map(|i| i.departments)
                .unwrap_or_default()
                .iter()
                .map(|code| DeptCode::new(code))
                .filter(|code| config.department(code).is_some())
                .collect();
            if departments.is_empty() {
                departments.push(intake.clone());
            }
            weights.push(info.map_or(3, |i| i.weight));
            classes.push(Class {
                name: name.clone(),
                departments,
                texts: info.map_or(&[][..], |i| i.texts),
            });
        }
        let accusations = config.departments.iter().find(|d| d.accusations).map(|d| {
            let class = classes.iter().position(|c| c.departments.contains(&d.code));
            (d.code.clone(), class)
        });
        Subjects {
            weights: WeightedIndex::new(&weights)
                .unwrap_or_else(|_| unreachable!("the config has at least one content class")),
            classes,
            accusations,
            departments: config.departments.iter().map(|d| d.code.clone()).collect(),
        }
    }

    pub fn draw(&self, rng: &mut StdRng, place: &str) -> Subject {
        let category = match rng.gen_range(0..100) {
            0..=11 => Category::Suggestion,
            12..=19 if self.accusations.is_some() => Category::Accusation,
            _ => Category::Claim,
        };
        let class_index = match (&self.accusations, category) {
            (Some((_, Some(class))), Category::Accusation) => *class,
            _ => self.weights.sample(rng),
        };
        let class = &self.classes[class_index];
        let department = match (&self.accusations, category) {
            (Some((dept, _)), Category::Accusation) => dept.clone(),
            _ => class
                .departments
                .choose(rng)
                .cloned()
                .unwrap_or_else(|| self.departments[0].clone()),
        };
        let (summary, demands) = class.texts.choose(rng).copied().unwrap_or(GENERIC);
        Subject {
            category,
            content_class: class.name.clone(),
            department,
            summary: summary.replace("{p}", place),
            demands: demands.to_string(),
            accused: (category == Category::Accusation).then(|| Accused {
                party: format!("{place}某单位工作人员"),
                department: None,
            }),
        }
    }

    /// Another department than `from`, for routing (转送、交办).
    pub fn other_department(&self, rng: &mut StdRng, from: &DeptCode) -> Option<DeptCode> {
        let others: Vec<&DeptCode> = self
            .departments
            .iter()
            .filter(|d| *d != from && Some(*d) != self.accusations.as_ref().map(|a| &a.0))
            .collect();
        others.choose(rng).map(|d| (*d).clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_use_only_configured_departments_and_accusations_go_to_the_commission() {
        let config = HallConfig::embedded();
        let subjects = Subjects::new(&config);
        let mut rng = StdRng::seed_from_u64(11);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..2000 {
            let s = subjects.draw(&mut rng, "芙蓉区");
            assert!(config.department(&s.department).is_some());
            assert!(config.content_classes.contains(&s.content_class));
            if s.category == Category::Accusation {
                assert_eq!(s.department.as_str(), "jw");
                assert_eq!(s.content_class, "纪检监察");
            }
            assert!(!s.summary.contains("{p}"));
            seen.insert(s.department);
        }
        // Spread over (nearly) every department of the hall.
        assert!(seen.len() >= 10, "{seen:?}");
    }
}
