//! What intake records about a visit beyond the visitor and the matter: the level the visitor
//! has already taken the matter to (越级访 is counted from it), whether a letter or call is
//! anonymous, and a lower level's acceptance of the same matter (Art 19).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::lifecycle::Lifecycle;
use super::matter::Matter;
use super::registration::{text_field, Field, FieldError};
use super::time::Timestamp;
use super::visit::{Channel, Visit};

/// An index into the hall's configured visit levels (`本级 / 到市 / 到省 / 进京`): 0 is the
/// hall's own level, each next one a level higher.
pub type VisitLevel = u8;

/// The name an anonymous letter or call is registered and shown under.
pub const ANONYMOUS_NAME: &str = "匿名";

pub const MAX_LOWER_BODY: usize = 50;

/// A lower level that has already accepted the matter or is handling it, and the last day of
/// its time limit (Art 19).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LowerLevel {
    /// The lower body (`某某区信访局`).
    pub body: String,
    /// The last day of that body's time limit.
    pub until: NaiveDate,
}

impl LowerLevel {
    /// The lower body's time limit still runs on `today` (its last day included): a higher
    /// level does not accept the matter again (Art 19).
    pub fn pending_on(&self, today: NaiveDate) -> bool {
        today <= self.until
    }
}

/// The intake form's answers about the visit itself.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitFacts {
    /// The highest level the visitor has already gone to with this matter.
    pub level: VisitLevel,
    /// An anonymous letter or call: no name, identity number, phone or address.
    pub anonymous: bool,
    /// Set when the matter is already accepted or in progress at a lower level.
    pub lower_level: Option<LowerLevel>,
}

/// Checks the facts against the channel and the configured number of levels. An anonymous
/// registration must leave the personal fields blank: nobody typed them, so nothing is lost.
pub fn validate(
    facts: &VisitFacts,
    channel: Channel,
    personal_fields: [&str; 4],
    levels: usize,
) -> Result<VisitFacts, FieldError> {
    if usize::from(facts.level) >= levels {
        return Err(FieldError::new(
            Field::Level,
            "来访层级不在配置的层级中，请从列表中选择",
        ));
    }
    if facts.anonymous {
        if !matches!(channel, Channel::Letter | Channel::Phone) {
            return Err(FieldError::new(
                Field::Anonymous,
                format!(
                    "只有来信、来电可以匿名登记；{}的来访人须登记姓名，请取消“匿名”",
                    channel.label()
                ),
            ));
        }
        if personal_fields.iter().any(|f| !f.trim().is_empty()) {
            return Err(FieldError::new(
                Field::Anonymous,
                "匿名登记不填写姓名、身份证号码、电话和住址，请清空这些栏目，或取消“匿名”",
            ));
        }
    }
    let lower_level = match &facts.lower_level {
        None => None,
        Some(l) => Some(LowerLevel {
            body: text_field(
                Field::LowerLevel,
                "已受理或正在办理的下级机关",
                &l.body,
                MAX_LOWER_BODY,
                true,
            )?,
            until: l.until,
        }),
    };
    Ok(VisitFacts {
        level: facts.level,
        anonymous: facts.anonymous,
        lower_level,
    })
}

/// How many levels above the hall's own a visitor may lawfully have taken the matter by `day`:
/// none before the written reply, one (复查 by the next level up, Art 35) after it, two (复核,
/// Art 36) after the 复查 opinion.
pub fn lawful_levels(status: &Lifecycle, day: NaiveDate) -> VisitLevel {
    let by = |d: Option<NaiveDate>| d.is_some_and(|d| d <= day);
    if by(status.review_answered) {
        2
    } else if by(status.replied) {
        1
    } else {
        0
    }
}

/// 越级访: the visitor had already taken the matter higher than the 复查 / 复核 procedure
/// allowed on the day of the visit — above the hall's own level before any written reply, more
/// than one level up before the 复查 opinion, more than two after it (see [`lawful_levels`]).
pub fn is_skip_level(reached: VisitLevel, status: &Lifecycle, day: NaiveDate) -> bool {
    reached > lawful_levels(status, day)
}

impl Visit {
    /// Whether this visit on `matter` is a 越级访 (see [`is_skip_level`]); `day_of` turns the
    /// visit's time into the hall's local date.
    pub fn is_skip_level(&self, matter: &Matter, day_of: impl Fn(Timestamp) -> NaiveDate) -> bool {
        is_skip_level(self.level, &matter.status, day_of(self.at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lifecycle::Lifecycle;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    #[test]
    fn a_lower_level_limit_runs_through_its_last_day() {
        let lower = LowerLevel {
            body: "东城区信访局".into(),
            until: day(20),
        };
        assert!(lower.pending_on(day(19)));
        assert!(lower.pending_on(day(20)));
        assert!(!lower.pending_on(day(21)));
    }

    #[test]
    fn skip_level_counts_levels_above_what_the_procedure_allowed_that_day() {
        let mut status = Lifecycle::new(day(1));
        // Before any reply, anything above the hall's own level skipped it.
        assert!(!is_skip_level(0, &status, day(5)));
        assert!(is_skip_level(1, &status, day(5)));
        status.replied = Some(day(10));
        // A visit before the reply still counts as skipping; from the reply on, one level
        // up is the 复查 route.
        assert!(is_skip_level(1, &status, day(9)));
        assert!(!is_skip_level(1, &status, day(10)));
        assert!(is_skip_level(2, &status, day(10)));
        status.review_answered = Some(day(20));
        assert!(!is_skip_level(2, &status, day(20)));
        assert!(is_skip_level(3, &status, day(25)));
    }

    fn facts(anonymous: bool) -> VisitFacts {
        VisitFacts {
            level: 0,
            anonymous,
            lower_level: None,
        }
    }

    #[test]
    fn only_blank_letters_and_calls_may_be_anonymous() {
        let blank = ["", " ", "", ""];
        for channel in [Channel::Letter, Channel::Phone] {
            assert!(validate(&facts(true), channel, blank, 4).unwrap().anonymous);
        }
        let err = validate(&facts(true), Channel::Walkin, blank, 4).unwrap_err();
        assert_eq!(err.field, Field::Anonymous);
        assert!(err.message.contains("走访"), "{}", err.message);
        let named = ["", "张三", "", ""];
        assert_eq!(
            validate(&facts(true), Channel::Letter, named, 4)
                .unwrap_err()
                .field,
            Field::Anonymous
        );
        assert!(validate(&facts(false), Channel::Walkin, named, 4).is_ok());
    }

    #[test]
    fn levels_and_lower_bodies_are_checked() {
        let mut f = facts(false);
        f.level = 3;
        assert!(validate(&f, Channel::Walkin, [""; 4], 4).is_ok());
        f.level = 4;
        assert_eq!(
            validate(&f, Channel::Walkin, [""; 4], 4).unwrap_err().field,
            Field::Level
        );
        f.level = 0;
        f.lower_level = Some(LowerLevel {
            body: "  ".into(),
            until: day(1),
        });
        assert_eq!(
            validate(&f, Channel::Walkin, [""; 4], 4).unwrap_err().field,
            Field::LowerLevel
        );
    }
}
