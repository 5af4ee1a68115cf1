//! Time as the hall stores it: UTC seconds, shown in the hall's fixed offset.
//!
//! A plain `i64` keeps stored records small and bincode-friendly; the service
//! passes "now" in, so domain rules stay pure and tests can fix the clock.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn now() -> Timestamp {
        Timestamp(Utc::now().timestamp())
    }

    pub fn local(self, tz: FixedOffset) -> DateTime<FixedOffset> {
        tz.timestamp_opt(self.0, 0)
            .single()
            .unwrap_or_else(|| tz.from_utc_datetime(&DateTime::UNIX_EPOCH.naive_utc()))
    }

    pub fn local_date(self, tz: FixedOffset) -> NaiveDate {
        self.local(tz).date_naive()
    }

    /// `20261127`: the day part of ticket counters.
    pub fn day_number(self, tz: FixedOffset) -> u32 {
        let d = self.local_date(tz);
        d.year() as u32 * 10_000 + d.month() * 100 + d.day()
    }

    pub fn minutes_since(self, earlier: Timestamp) -> i64 {
        (self.0 - earlier.0).max(0) / 60
    }

    /// `2026-11-27 09:30`
    pub fn format(self, tz: FixedOffset) -> String {
        self.local(tz).format("%Y-%m-%d %H:%M").to_string()
    }

    pub fn format_date(self, tz: FixedOffset) -> String {
        self.local(tz).format("%Y-%m-%d").to_string()
    }

    /// Local midnight at the start of `date`.
    pub fn start_of(date: NaiveDate, tz: FixedOffset) -> Timestamp {
        let naive = date.and_hms_opt(0, 0, 0).unwrap_or_default();
        Timestamp(naive.and_utc().timestamp() - i64::from(tz.local_minus_utc()))
    }
}

/// Parses `+08:00` / `-05:30`.
pub fn parse_offset(text: &str) -> Option<FixedOffset> {
    let text = text.trim();
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    let h: i32 = h.parse().ok()?;
    let m: i32 = m.parse().ok()?;
    if !(0..=14).contains(&h) || !(0..60).contains(&m) {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_parse_and_days_roll_at_local_midnight() {
        let tz = parse_offset("+08:00").unwrap();
        assert_eq!(parse_offset("08:00"), None);
        assert_eq!(parse_offset("+15:00"), None);
        // 2026-11-26 16:30 UTC is 2026-11-27 00:30 in Beijing.
        let t = Timestamp(
            NaiveDate::from_ymd_opt(2026, 11, 26)
                .unwrap()
                .and_hms_opt(16, 30, 0)
                .unwrap()
                .and_utc()
                .timestamp(),
        );
        assert_eq!(t.day_number(tz), 20261127);
        assert_eq!(t.format(tz), "2026-11-27 00:30");
        let midnight = Timestamp::start_of(NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(), tz);
        assert_eq!(t.minutes_since(midnight), 30);
    }
}
