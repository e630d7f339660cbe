//! How instants are written for people: always in UTC, so the text rendered on the server is the
//! text the browser renders when it hydrates, whatever its time zone.

use chrono::{DateTime, Utc};

/// `2026-12-01 14:05 UTC`
pub fn minute(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// `2026-12-01 14:05:09` (in tables whose header says UTC)
pub fn second(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_written_in_utc() {
        let t = DateTime::from_timestamp(1_764_597_909, 0).expect("valid");
        assert_eq!(minute(t), "2025-12-01 14:05 UTC");
        assert_eq!(second(t), "2025-12-01 14:05:09");
    }
}
