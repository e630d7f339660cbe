//! "As of" a past day (design §3.5): the instant whose states a day shows — the end of the
//! day (UTC), or now for today.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

/// Why a day cannot be shown.
pub const NOT_A_DAY: &str = "Enter a day as YYYY-MM-DD, up to today.";

/// The instant `day` (YYYY-MM-DD) is shown at, given `now`; none for text that is not a day,
/// or a day after today. A browser east of UTC may already be on tomorrow's date: that day,
/// like today, shows now.
pub fn instant(day: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let day = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").ok()?;
    if day > now.date_naive().succ_opt()? {
        return None;
    }
    let end = day.succ_opt()?.and_hms_opt(0, 0, 0)?.and_utc() - TimeDelta::microseconds(1);
    Some(end.min(now))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).expect("time").to_utc()
    }

    #[test]
    fn a_past_day_is_shown_at_its_end_today_at_now() {
        let now = at("2026-12-07T10:30:00Z");
        assert_eq!(
            instant("2026-06-01", now),
            Some(at("2026-06-01T23:59:59.999999Z"))
        );
        assert_eq!(instant(" 2026-12-07 ", now), Some(now));
        assert_eq!(
            instant("2026-12-08", now),
            Some(now),
            "tomorrow east of UTC"
        );
    }

    #[test]
    fn the_future_and_what_is_not_a_day_are_refused() {
        let now = at("2026-12-07T10:30:00Z");
        for bad in [
            "2026-12-09",
            "2026-13-01",
            "yesterday",
            "",
            "2026-02-30",
            "9999-12-31",
        ] {
            assert_eq!(instant(bad, now), None, "{bad}");
        }
    }
}
