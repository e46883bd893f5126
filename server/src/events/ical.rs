//! iCalendar (RFC 5545) for events: one VEVENT each, times in UTC, text escaped and lines
//! folded at 75 octets, CRLF line ends.

use app::domain::events::EventRow;

/// "20270315T170000Z".
fn utc(unix: i64) -> String {
    let day = app::model::Day::of_unix(unix).to_string().replace('-', "");
    let seconds = unix.rem_euclid(86_400);
    format!("{day}T{:02}{:02}{:02}Z", seconds / 3600, seconds % 3600 / 60, seconds % 60)
}

/// Text as a property value: backslash, semicolon, comma and line ends escaped.
fn text(value: &str) -> String {
    value.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace("\r\n", "\\n").replace('\n', "\\n")
}

/// A content line folded at 75 octets (never inside a UTF-8 character).
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// One event as iCalendar data: the row, its place and description, and its public address.
pub struct Entry<'a> {
    pub row: &'a EventRow,
    pub place: &'a str,
    pub description: &'a str,
    pub url: String,
}

pub fn calendar(entries: &[Entry], host: &str, now: i64) -> String {
    let mut out = String::new();
    for line in
        ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Medecins et Territoires//Evenements//FR", "CALSCALE:GREGORIAN"]
    {
        fold(line, &mut out);
    }
    for e in entries {
        fold("BEGIN:VEVENT", &mut out);
        fold(&format!("UID:evenement-{}@{host}", e.row.id), &mut out);
        fold(&format!("DTSTAMP:{}", utc(now)), &mut out);
        fold(&format!("DTSTART:{}", utc(e.row.starts_at)), &mut out);
        fold(&format!("DTEND:{}", utc(e.row.ends_at)), &mut out);
        fold(&format!("SUMMARY:{}", text(&e.row.title)), &mut out);
        fold(&format!("LOCATION:{}", text(&format!("{}, {}", e.place, e.row.commune.name))), &mut out);
        fold(&format!("DESCRIPTION:{}", text(e.description)), &mut out);
        fold(&format!("ORGANIZER;CN={}:noreply@{host}", text(&e.row.organisation_name).replace(':', " ")), &mut out);
        fold(&format!("URL:{}", e.url), &mut out);
        if e.row.cancelled {
            fold("STATUS:CANCELLED", &mut out);
        }
        fold("END:VEVENT", &mut out);
    }
    fold("END:VCALENDAR", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::events::EventKind;
    use app::domain::territory::TerritoryRef;

    #[test]
    fn events_are_valid_icalendar_with_escaped_text_and_folded_lines() {
        let row = EventRow {
            id: 7,
            kind: EventKind::Forum,
            title: "Forum; installation, remplacement".into(),
            organisation_name: "Mairie de Rodez".into(),
            commune: TerritoryRef { name: "Rodez".into(), path: "/communes/12202-rodez".into() },
            starts_at: 1_805_130_000,
            ends_at: 1_805_140_800,
            places_left: 3,
            cancelled: false,
            example: false,
        };
        let long = "Une journée pour découvrir le territoire, ses maisons de santé, ses écoles et ses chemins de randonnée.\nVenez nombreux.";
        let entry = Entry {
            row: &row,
            place: "Salle des fêtes",
            description: long,
            url: "https://exemple.fr/evenements/7".into(),
        };
        let ics = calendar(&[entry], "exemple.fr", 1_796_169_600);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(ics.contains("SUMMARY:Forum\\; installation\\, remplacement\r\n"));
        assert!(ics.contains("DTSTART:20270315T170000Z\r\n") && ics.contains("DTSTAMP:20261202T000000Z\r\n"));
        assert!(ics.contains("UID:evenement-7@exemple.fr\r\n"));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
        // Unfolded, the description is whole, its line end escaped.
        assert!(ics.replace("\r\n ", "").contains("randonnée.\\nVenez nombreux."));
    }
}
