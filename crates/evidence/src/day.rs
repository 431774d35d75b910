//! Calendar days (UTC): `YYYY-MM-DD` parsed to and from days since 1970-01-01.

use crate::error::{EvidenceError, Result};

/// Days since 1970-01-01 of a `YYYY-MM-DD` date, or an error naming what is wrong.
pub fn parse(date: &str) -> Result<i64> {
    let bad = || EvidenceError::Invalid(format!("invalid date {date:?} (expected YYYY-MM-DD)"));
    let b = date.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let num = |s: &str| s.parse::<i64>().map_err(|_| bad());
    let (y, m, d) = (num(&date[..4])?, num(&date[5..7])?, num(&date[8..])?);
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return Err(bad());
    }
    Ok(from_civil(y, m, d))
}

/// The day (days since 1970-01-01) of an RFC 3339 UTC time (`2026-03-01T09:30:00Z`).
pub fn of_time(time: &str) -> Result<i64> {
    parse(time.get(..10).unwrap_or(time))
}

/// `YYYY-MM-DD` of a day number.
pub fn format(day: i64) -> String {
    soc2scan_core::time::civil_from_days(day)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        assert_eq!(parse("1970-01-01").unwrap(), 0);
        assert_eq!(parse("2026-01-01").unwrap(), 20_454);
        for d in [-800, 0, 59, 60, 11_016, 20_454, 20_513, 40_000] {
            assert_eq!(parse(&format(d)).unwrap(), d);
        }
        assert_eq!(
            of_time("2026-03-01T09:30:00Z").unwrap(),
            parse("2026-03-01").unwrap()
        );
    }

    #[test]
    fn rejects_bad_dates() {
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-1-01",
            "yesterday",
            "2024-02-30",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert!(parse("2024-02-29").is_ok());
    }
}
