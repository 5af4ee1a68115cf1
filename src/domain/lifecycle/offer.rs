//! The steps a desk offers on a matter today: what the state allows, less what its clocks
//! already rule out, so the action panel never lists a step bound to be refused.

use chrono::NaiveDate;

use super::{DeadlineKind, Lifecycle, TimeLimits, TransitionKind};

impl Lifecycle {
    /// A request window that ended offers only its lapse and an open one no lapse; a receiving
    /// body past its objection period may no longer return the matter; a handling limit that
    /// ran out can no longer be extended (Arts 23, 34–36).
    pub fn offered(&self, today: NaiveDate, limits: &TimeLimits) -> Vec<TransitionKind> {
        use TransitionKind as T;
        let lapsed = self.status_on(today, limits) != self.state;
        let past = |kind| self.running(kind, limits).is_some_and(|d| today > d.due);
        self.allowed()
            .iter()
            .copied()
            .filter(|k| match k {
                T::Lapse => lapsed,
                T::RequestReview | T::RequestRecheck => !lapsed,
                T::ReturnToSender => !past(DeadlineKind::Objection),
                T::Extend => !past(DeadlineKind::Handle),
                _ => true,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::Calendar;
    use crate::domain::department::DeptCode;
    use crate::domain::lifecycle::{DeadlineRules, Transition};
    use TransitionKind as T;

    fn limits() -> TimeLimits {
        TimeLimits::new(DeadlineRules::default(), Calendar::embedded())
    }

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).expect("a valid test date")
    }

    #[test]
    fn a_request_window_offers_the_request_until_it_ends_then_only_the_lapse() {
        let l = limits();
        let replied = Lifecycle::new(day(3, 2))
            .apply(Transition::TakeUp, day(3, 2), &l)
            .and_then(|lc| lc.apply(Transition::Accept, day(3, 2), &l))
            .and_then(|lc| lc.apply(Transition::Reply, day(3, 2), &l))
            .expect("replied");
        // 复查 may be asked for 30 days after the reply: until 04-01.
        assert_eq!(replied.offered(day(4, 1), &l), vec![T::RequestReview]);
        assert_eq!(replied.offered(day(4, 2), &l), vec![T::Lapse]);
    }

    #[test]
    fn return_and_extension_are_offered_only_within_their_limits() {
        let l = limits();
        // Routed on Monday 03-02: five working days to object, until 03-09.
        let routed = Lifecycle::new(day(3, 2))
            .apply(
                Transition::Route {
                    to: DeptCode::new("rs"),
                    assigned: false,
                },
                day(3, 2),
                &l,
            )
            .expect("routed");
        assert!(routed.offered(day(3, 9), &l).contains(&T::ReturnToSender));
        assert!(!routed.offered(day(3, 10), &l).contains(&T::ReturnToSender));
        assert!(routed.offered(day(3, 10), &l).contains(&T::Accept));
        let accepted = routed
            .apply(Transition::Accept, day(3, 3), &l)
            .expect("accepted");
        // 60 days from 03-03 end on 05-02.
        assert_eq!(accepted.offered(day(5, 2), &l), vec![T::Extend, T::Reply]);
        assert_eq!(accepted.offered(day(5, 3), &l), vec![T::Reply]);
    }
}
