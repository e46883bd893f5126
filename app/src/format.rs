//! Numbers and dates the French way: "6 124 653", "3,92", "23,4 %", "1er décembre 2026 à 00 h 30";
//! and the French spacing of a text someone typed.

/// Thousands separated by a narrow no-break space, as French typography wants.
pub fn int(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

/// A decimal with a comma and a fixed number of digits.
pub fn dec(x: f64, digits: usize) -> String {
    format!("{x:.digits$}").replace('.', ",")
}

pub fn percent(x: f64) -> String {
    format!("{}\u{a0}%", dec(x, 1))
}

/// French spacing in a text someone typed: the plain spaces before « ; », « : », « ! », « ? » and
/// « » », and after « « », become one non-breaking space, so that a phone never starts a line
/// with the sign (the portal's own texts are written so). Nothing else changes.
pub fn spaced(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    spaced_into(&mut out, text);
    out
}

/// `spaced(text)` written at the end of `out` (a space right after « « » in `out` counts).
pub fn spaced_into(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(at) = rest.find(' ') {
        out.push_str(&rest[..at]);
        let run = &rest[at..];
        let after = run.trim_start_matches(' ');
        if out.ends_with('«') || after.starts_with([';', ':', '!', '?', '»']) {
            out.push('\u{a0}');
        } else {
            out.push_str(&run[..run.len() - after.len()]);
        }
        rest = after;
    }
    out.push_str(rest);
}

pub(crate) const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// (year, month 1–12, day 1–31) of a count of days since 1970-01-01 (proleptic Gregorian,
/// H. Hinnant's algorithm).
pub(crate) fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The count of days since 1970-01-01 of a date (the inverse of `civil`).
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

/// The last Sunday of a 31-day month, in days since 1970-01-01 (a Thursday).
fn last_sunday(year: i64, month: u32) -> i64 {
    let last = days_from_civil(year, month, 31);
    last - (last + 4).rem_euclid(7)
}

/// Seconds to add to UTC for the time in metropolitan France: one hour, two in summer time
/// (from the last Sunday of March to the last Sunday of October, at 01:00 UTC).
fn paris_offset(unix: i64) -> i64 {
    let (year, _, _) = civil(unix.div_euclid(86_400));
    let summer = last_sunday(year, 3) * 86_400 + 3600..last_sunday(year, 10) * 86_400 + 3600;
    if summer.contains(&unix) { 7200 } else { 3600 }
}

fn local(unix: i64) -> (i64, u32, u32, i64) {
    let local = unix + paris_offset(unix);
    let (year, month, day) = civil(local.div_euclid(86_400));
    (year, month, day, local.rem_euclid(86_400))
}

/// A date in French, in metropolitan France's time: "1er décembre 2026".
pub fn date(unix: i64) -> String {
    let (year, month, day, _) = local(unix);
    let day = if day == 1 { "1er".to_owned() } else { day.to_string() };
    format!("{day} {} {year}", MONTHS[month as usize - 1])
}

/// A date and time in French, in metropolitan France's time: "1er décembre 2026 à 00 h 30".
pub fn date_time(unix: i64) -> String {
    let (_, _, _, seconds) = local(unix);
    format!("{} à {:02}\u{a0}h\u{a0}{:02}", date(unix), seconds / 3600, seconds % 3600 / 60)
}

/// A `<input type=datetime-local>` value ("2027-03-15T18:00"), read in metropolitan France's
/// time, as unix seconds; None when it is not one. In the hour that summer time repeats, the
/// first of the two instants.
pub fn parse_local(raw: &str) -> Option<i64> {
    let (date, time) = raw.trim().split_once('T')?;
    let day = crate::model::Day::parse(date).ok()?;
    let (hours, minutes) = time.get(..5)?.split_once(':')?;
    let (hours, minutes): (i64, i64) = (hours.parse().ok()?, minutes.parse().ok()?);
    if !(0..24).contains(&hours) || !(0..60).contains(&minutes) || hours.to_string().len() > 2 {
        return None;
    }
    let local = day.unix() + hours * 3600 + minutes * 60;
    // The offset at the instant itself: try summer time first, then winter time.
    [7200, 3600].into_iter().map(|offset| local - offset).find(|utc| paris_offset(*utc) == local - utc)
}

/// `text` with its first letter in upper case (sentence case, whichever word comes first).
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_gets_french_spacing_and_nothing_else() {
        assert_eq!(
            spaced("Logement : fourni ; voiture ? Oui !"),
            "Logement\u{a0}: fourni\u{a0}; voiture\u{a0}? Oui\u{a0}!"
        );
        assert_eq!(spaced("« Très  bien  »  dit-il"), "«\u{a0}Très  bien\u{a0}»  dit-il");
        assert_eq!(spaced("https://exemple.fr/?a=1 à 10:30, 2 + 2"), "https://exemple.fr/?a=1 à 10:30, 2 + 2");
        assert_eq!(spaced("Déjà\u{a0}: bien"), "Déjà\u{a0}: bien");
        assert_eq!(spaced("  fin  "), "  fin  ");
    }

    #[test]
    fn french_numbers() {
        assert_eq!(int(6_124_653), "6\u{202f}124\u{202f}653");
        assert_eq!(int(999), "999");
        assert_eq!(int(1000), "1\u{202f}000");
        assert_eq!(int(-1500), "-1\u{202f}500");
        assert_eq!(dec(3.9234, 2), "3,92");
        assert_eq!(percent(23.44), "23,4\u{a0}%");
    }

    #[test]
    fn dates_in_french_in_paris_time() {
        assert_eq!(date(1_767_225_600), "1er janvier 2026");
        assert_eq!(date_time(1_767_225_600), "1er janvier 2026 à 01\u{a0}h\u{a0}00");
        assert_eq!(date_time(1_784_030_400), "14 juillet 2026 à 14\u{a0}h\u{a0}00");
        assert_eq!(date_time(1_796_167_800), "2 décembre 2026 à 00\u{a0}h\u{a0}30");
        assert_eq!(date(1_709_200_800), "29 février 2024");
        assert_eq!(date(0), "1er janvier 1970");
    }

    #[test]
    fn local_times_are_read_in_paris_time() {
        assert_eq!(parse_local("2026-07-14T14:00"), Some(1_784_030_400));
        assert_eq!(parse_local("2026-01-01T01:00"), Some(1_767_225_600));
        assert_eq!(date_time(parse_local("2027-03-15T18:00").unwrap()), "15 mars 2027 à 18\u{a0}h\u{a0}00");
        for bad in ["", "2026-07-14", "2026-07-14T25:00", "2026-13-01T10:00", "demain"] {
            assert_eq!(parse_local(bad), None, "{bad}");
        }
    }

    #[test]
    fn summer_time_starts_and_ends_at_one_in_the_morning_utc() {
        // 29 March 2026 and 25 October 2026, the last Sundays of March and October.
        assert_eq!(date_time(1_774_745_999), "29 mars 2026 à 01\u{a0}h\u{a0}59");
        assert_eq!(date_time(1_774_746_000), "29 mars 2026 à 03\u{a0}h\u{a0}00");
        assert_eq!(date_time(1_792_889_999), "25 octobre 2026 à 02\u{a0}h\u{a0}59");
        assert_eq!(date_time(1_792_890_000), "25 octobre 2026 à 02\u{a0}h\u{a0}00");
        for days in [-1, 0, 59, 10_000, 20_000, 100_000] {
            let (y, m, d) = civil(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
