//! A calendar day, as typed in a date field (`YYYY-MM-DD`) and stored as ISO text, which
//! sorts as dates do. Offers are about days (a replacement from the 3rd to the 17th), not
//! instants, so no time zone comes in.

use crate::format::{MONTHS, civil, days_from_civil};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A day of the proleptic Gregorian calendar, as days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Day(i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("« {0} » n'est pas une date (attendu : AAAA-MM-JJ, par exemple 2027-03-15)")]
pub struct DayError(pub String);

impl Day {
    /// Parses `YYYY-MM-DD` (what `<input type=date>` sends), years 2000 to 2199.
    pub fn parse(raw: &str) -> Result<Self, DayError> {
        let raw = raw.trim();
        let fail = || DayError(raw.to_owned());
        let bytes = raw.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return Err(fail());
        }
        let number = |range: std::ops::Range<usize>| -> Result<u32, DayError> {
            let part = &raw[range];
            if !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(fail());
            }
            part.parse().map_err(|_| fail())
        };
        let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
        if !(2000..2200).contains(&year) || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(fail());
        }
        Ok(Self(days_from_civil(i64::from(year), month, day)))
    }

    /// The day of a unix time, in UTC (close enough for "today" on a board).
    pub fn of_unix(seconds: i64) -> Self {
        Self(seconds.div_euclid(86_400))
    }

    pub fn plus_days(self, days: i64) -> Self {
        Self(self.0 + days)
    }

    /// Days from `self` to `later` (negative when `later` is before).
    pub fn days_until(self, later: Day) -> i64 {
        later.0 - self.0
    }

    /// Midnight UTC of this day, in unix seconds.
    pub fn unix(self) -> i64 {
        self.0 * 86_400
    }

    /// Its year.
    pub fn year(self) -> i64 {
        civil(self.0).0
    }

    /// The first day of the month `months` months after this day's (before, when negative).
    pub fn month_start(self, months: i64) -> Self {
        let (year, month, _) = civil(self.0);
        let index = year * 12 + i64::from(month) - 1 + months;
        Self(days_from_civil(index.div_euclid(12), (index.rem_euclid(12) + 1) as u32, 1))
    }

    /// "décembre 2026".
    pub fn month_name(self) -> String {
        let (year, month, _) = civil(self.0);
        format!("{} {year}", MONTHS[month as usize - 1])
    }

    /// "15 mars 2027", "1er mai 2027".
    pub fn french(self) -> String {
        let (year, month, day) = civil(self.0);
        let day = if day == 1 { "1er".to_owned() } else { day.to_string() };
        format!("{day} {} {year}", MONTHS[month as usize - 1])
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// ISO `YYYY-MM-DD`.
impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = civil(self.0);
        write!(f, "{year:04}-{month:02}-{day:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_start_on_their_first_day_across_years() {
        let day = Day::parse("2026-12-02").unwrap();
        assert_eq!(day.month_start(0).to_string(), "2026-12-01");
        assert_eq!(day.month_start(-11).to_string(), "2026-01-01");
        assert_eq!(day.month_start(-12).to_string(), "2025-12-01");
        assert_eq!(day.month_start(1).to_string(), "2027-01-01");
        assert_eq!(day.month_start(0).month_name(), "décembre 2026");
    }

    #[test]
    fn reads_and_writes_iso_days() {
        let day = Day::parse("2027-03-15").unwrap();
        assert_eq!(day.to_string(), "2027-03-15");
        assert_eq!(day.french(), "15 mars 2027");
        assert_eq!(Day::parse(" 2028-02-29 ").unwrap().plus_days(1).to_string(), "2028-03-01");
        assert_eq!(Day::parse("2027-05-01").unwrap().french(), "1er mai 2027");
        assert_eq!(Day::of_unix(0).to_string(), "1970-01-01");
        assert_eq!(Day::parse("2027-01-01").unwrap().days_until(Day::parse("2027-03-01").unwrap()), 59);
    }

    #[test]
    fn refuses_what_is_not_a_day() {
        for raw in [
            "",
            "2027-3-15",
            "15/03/2027",
            "2027-02-29",
            "2027-13-01",
            "2027-04-31",
            "1999-12-31",
            "2027-0a-01",
            "+027-01-01",
        ] {
            assert!(Day::parse(raw).is_err(), "{raw}");
        }
    }
}
