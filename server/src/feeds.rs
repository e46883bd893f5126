//! Feeds and exports for reuse elsewhere: Atom and RSS 2.0 feeds of the newest open offers with
//! the board's filters (global, by département, by kind, any saved search's address), of the
//! newest stage sites and interns' housing, and CSV exports of the offers and of the aids. Pure
//! writers here; `http::feeds` serves them.

use crate::housing::records::HousingRecord;
use crate::stages::records::StageSiteRecord;
use app::domain::aids::Aid;
use app::domain::offers::OfferCard;

/// Text for XML: the five special characters escaped, control characters dropped.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() && !matches!(c, '\n' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

/// RFC 3339 in UTC: "2026-12-02T10:30:00Z".
pub fn rfc3339(unix: i64) -> String {
    let seconds = unix.rem_euclid(86_400);
    format!("{}T{:02}:{:02}:{:02}Z", app::model::Day::of_unix(unix), seconds / 3600, seconds % 3600 / 60, seconds % 60)
}

/// RFC 822 as RSS writes it, in UTC: "Wed, 02 Dec 2026 10:30:00 +0000".
pub fn rfc822(unix: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let day = app::model::Day::of_unix(unix).to_string();
    let (year, rest) = day.split_at(4);
    let month: usize = rest[1..3].parse().unwrap_or(1);
    let seconds = unix.rem_euclid(86_400);
    format!(
        "{}, {} {} {year} {:02}:{:02}:{:02} +0000",
        DAYS[unix.div_euclid(86_400).rem_euclid(7) as usize],
        &rest[4..6],
        MONTHS[month.clamp(1, 12) - 1],
        seconds / 3600,
        seconds % 3600 / 60,
        seconds % 60
    )
}

/// One entry of a feed: an offer, a stage site, a housing.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub title: String,
    /// Its stable identifier (`{site}/offres/{id}`), which an address's slug may not be.
    pub id: String,
    /// Its page.
    pub url: String,
    /// When it was published (unix seconds).
    pub published: i64,
    /// Its kind: (code, label).
    pub category: (&'static str, &'static str),
    /// One line, as the lists show it.
    pub summary: String,
}

/// What a feed is of, and where: `self_url` is the feed's own address, `page_url` the page it
/// follows.
#[derive(Debug, Clone, Copy)]
pub struct Channel<'a> {
    pub title: &'a str,
    /// One sentence, for RSS readers.
    pub description: &'a str,
    pub self_url: &'a str,
    pub page_url: &'a str,
}

/// The one-line summary of an offer, as the board shows it.
fn summary(card: &OfferCard) -> String {
    let mut parts = vec![card.kind.label().to_owned(), card.specialty.label().to_owned()];
    parts.push(format!("{} ({})", card.commune_name, card.departement_code));
    parts.push(card.pay.text());
    parts.push(format!("logement : {}", card.housing.label().to_lowercase()));
    format!("{} — publiée par {}", parts.join(" · "), card.publisher)
}

/// An offer's entry.
pub fn offer_entry(card: &OfferCard, site: &str, now: i64) -> Entry {
    Entry {
        title: card.title.clone(),
        id: format!("{site}/offres/{}", card.id),
        url: format!("{site}{}", card.path),
        published: card.published_at.unwrap_or(now),
        category: (card.kind.code(), card.kind.label()),
        summary: summary(card),
    }
}

/// A stage site's entry: where, what, for which faculty and levels, and who declared it.
pub fn stage_site_entry(s: &StageSiteRecord, site: &str) -> Entry {
    let levels: Vec<&str> = s.levels.0.iter().map(|l| l.short()).collect();
    let places = match s.capacity {
        1 => "1 interne par semestre".to_owned(),
        n => format!("{n} internes par semestre"),
    };
    let rating = s.rating().map(|r| format!(" · avis des internes : {}", r.text())).unwrap_or_default();
    Entry {
        title: s.name.clone(),
        id: format!("{site}/terrains-de-stage/{}", s.id),
        url: format!("{site}{}", app::domain::stages::paths::SITE.of(s.id)),
        published: s.created_at,
        category: (s.specialty.0.code(), s.specialty.0.label()),
        summary: format!(
            "{} ({}) · faculté {} · {} · {places}{rating} — déclaré par {}",
            s.commune,
            s.departement_code,
            s.faculty.0.short(),
            levels.join(", "),
            s.organisation
        ),
    }
}

/// A housing's entry: its commune and area, never more; what, for how much, from when.
pub fn housing_entry(record: &HousingRecord, site: &str, today: app::model::Day) -> Entry {
    let row = record.row(today);
    Entry {
        title: record.title.clone(),
        id: format!("{site}/logements-internes/{}", record.id),
        url: format!("{site}{}", app::domain::housing::paths::HOUSING.of(record.id)),
        published: record.created_at,
        category: (row.kind.code(), row.kind.label()),
        summary: format!(
            "{} ({}), {} · {} · {} · {} — publié par {}",
            record.commune,
            record.departement_code,
            record.area,
            row.rent_text(),
            row.places_text(),
            row.dates_text(),
            record.organisation
        ),
    }
}

/// An Atom feed (RFC 4287) of `entries`, newest first.
pub fn atom(channel: Channel<'_>, entries: &[Entry], now: i64) -> String {
    let updated = entries.iter().map(|e| e.published).max().unwrap_or(now);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fr\">\n",
    );
    out.push_str(&format!("  <title>{}</title>\n", xml(channel.title)));
    out.push_str(&format!("  <id>{}</id>\n", xml(channel.self_url)));
    out.push_str(&format!("  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n", xml(channel.self_url)));
    out.push_str(&format!("  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", xml(channel.page_url)));
    out.push_str(&format!("  <updated>{}</updated>\n", rfc3339(updated)));
    out.push_str("  <author><name>Médecins &amp; Territoires</name></author>\n");
    for entry in entries {
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>{}</title>\n", xml(&entry.title)));
        out.push_str(&format!("    <id>{}</id>\n", xml(&entry.id)));
        out.push_str(&format!("    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", xml(&entry.url)));
        out.push_str(&format!("    <updated>{}</updated>\n", rfc3339(entry.published)));
        let (term, label) = entry.category;
        out.push_str(&format!("    <category term=\"{term}\" label=\"{}\"/>\n", xml(label)));
        out.push_str(&format!("    <summary>{}</summary>\n", xml(&entry.summary)));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// An RSS 2.0 feed of `entries`, newest first: the same entries as the Atom feed, for the
/// readers and the sites that only take RSS.
pub fn rss(channel: Channel<'_>, entries: &[Entry], now: i64) -> String {
    let updated = entries.iter().map(|e| e.published).max().unwrap_or(now);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n",
    );
    out.push_str(&format!("  <title>{}</title>\n", xml(channel.title)));
    out.push_str(&format!("  <link>{}</link>\n", xml(channel.page_url)));
    out.push_str(&format!(
        "  <atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        xml(channel.self_url)
    ));
    out.push_str(&format!("  <description>{}</description>\n", xml(channel.description)));
    out.push_str("  <language>fr</language>\n");
    out.push_str(&format!("  <lastBuildDate>{}</lastBuildDate>\n", rfc822(updated)));
    for entry in entries {
        out.push_str("  <item>\n");
        out.push_str(&format!("    <title>{}</title>\n", xml(&entry.title)));
        out.push_str(&format!("    <link>{}</link>\n", xml(&entry.url)));
        out.push_str(&format!("    <guid isPermaLink=\"false\">{}</guid>\n", xml(&entry.id)));
        out.push_str(&format!("    <pubDate>{}</pubDate>\n", rfc822(entry.published)));
        out.push_str(&format!("    <category>{}</category>\n", xml(entry.category.1)));
        out.push_str(&format!("    <description>{}</description>\n", xml(&entry.summary)));
        out.push_str("  </item>\n");
    }
    out.push_str("</channel>\n</rss>\n");
    out
}

/// The byte order mark that tells spreadsheet software the file is UTF-8 (without it, French
/// versions read it in their own code page and garble every accent).
pub const BOM: char = '\u{feff}';
/// The separator French spreadsheet software expects: the comma is its decimal point.
pub const SEPARATOR: u8 = b';';

/// The rows as a CSV file that opens in a French spreadsheet as it reads: UTF-8 with its byte
/// order mark, `;` between fields, quotes where a field holds one, a `;` or a line break.
fn csv_text(rows: Vec<Vec<String>>) -> String {
    let mut writer = csv::WriterBuilder::new().delimiter(SEPARATOR).from_writer(Vec::new());
    for row in rows {
        // Writing to memory cannot fail but for a broken row, which our own rows never are.
        let _ = writer.write_record(&row);
    }
    let body = String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default();
    format!("{BOM}{body}")
}

/// The open offers as CSV, one row each, with a header.
pub fn offers_csv(cards: &[OfferCard], site: &str) -> String {
    let header = [
        "id",
        "titre",
        "type",
        "modalite",
        "specialite",
        "commune",
        "departement",
        "zonage",
        "publiee_par",
        "debut",
        "fin",
        "remuneration",
        "logement",
        "publiee_le",
        "adresse",
    ];
    let mut rows = vec![header.iter().map(|h| h.to_string()).collect()];
    for c in cards {
        rows.push(vec![
            c.id.to_string(),
            c.title.clone(),
            c.kind.code().to_owned(),
            c.mode.map(|m| m.code().to_owned()).unwrap_or_default(),
            c.specialty.code().to_owned(),
            c.commune_name.clone(),
            c.departement_code.clone(),
            c.zonage.map(|z| z.code().to_owned()).unwrap_or_default(),
            c.publisher.clone(),
            c.start.map(|d| d.to_string()).unwrap_or_default(),
            c.end.map(|d| d.to_string()).unwrap_or_default(),
            c.pay.text().replace(['\u{202f}', '\u{a0}'], " "),
            c.housing.code().to_owned(),
            c.published_at.map(|at| app::model::Day::of_unix(at).to_string()).unwrap_or_default(),
            format!("{site}{}", c.path),
        ]);
    }
    csv_text(rows)
}

/// Every aid as CSV (withdrawn ones left out; expired ones kept, with their end date).
pub fn aids_csv(aids: &[Aid]) -> String {
    let header = [
        "identifiant",
        "nom",
        "financeur",
        "categorie",
        "montant_eur",
        "unite",
        "montant",
        "zones",
        "departements",
        "profils",
        "objets",
        "exercice",
        "non_cumulable_avec",
        "engagement",
        "engagement_annees",
        "portee",
        "territoire",
        "debut",
        "fin",
        "verifiee_le",
        "source",
    ];
    let mut rows = vec![header.iter().map(|h| h.to_string()).collect()];
    for a in aids.iter().filter(|a| !a.withdrawn) {
        let join = |codes: Vec<&str>| codes.join("|");
        rows.push(vec![
            a.slug.clone(),
            a.name.clone(),
            a.funder.code().to_owned(),
            a.category.code().to_owned(),
            a.amount_eur.map(|n| n.to_string()).unwrap_or_default(),
            a.amount_unit.code().to_owned(),
            a.amount_text.clone(),
            join(a.zones.iter().map(|z| z.code()).collect()),
            join(a.departements.iter().map(|d| d.code.as_str()).collect()),
            join(a.profiles.iter().map(|p| p.code()).collect()),
            join(a.purposes.iter().map(|p| p.code()).collect()),
            join(a.exercise.iter().map(|e| e.code()).collect()),
            join(a.excludes.iter().map(|x| x.slug.as_str()).collect()),
            a.commitment.clone().unwrap_or_default(),
            a.commitment_years.map(|y| y.to_string()).unwrap_or_default(),
            a.scope.kind.code().to_owned(),
            a.scope.name.clone(),
            a.valid_from.map(|d| d.to_string()).unwrap_or_default(),
            a.valid_to.map(|d| d.to_string()).unwrap_or_default(),
            a.checked_on.to_string(),
            a.source_url.clone(),
        ]);
    }
    csv_text(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_files_open_in_a_french_spreadsheet() {
        let text = csv_text(vec![
            vec!["nom".into(), "note".into()],
            vec!["Saint-Geniez-d'Olt-et-d'Aubrac".into(), "3,5 ; « très bien »\nà revoir".into()],
        ]);
        assert!(text.starts_with(BOM));
        let mut reader =
            csv::ReaderBuilder::new().delimiter(SEPARATOR).from_reader(text.strip_prefix(BOM).unwrap().as_bytes());
        assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), ["nom", "note"]);
        let row = reader.records().next().unwrap().unwrap();
        assert_eq!(row.iter().collect::<Vec<_>>(), ["Saint-Geniez-d'Olt-et-d'Aubrac", "3,5 ; « très bien »\nà revoir"]);
    }

    #[test]
    fn xml_text_is_escaped_and_times_are_rfc3339() {
        assert_eq!(xml("Rodez & <Millau> \"l'été\"\u{7}"), "Rodez &amp; &lt;Millau&gt; &quot;l&apos;été&quot;");
        assert_eq!(rfc3339(1_796_169_600 + 3_723), "2026-12-02T01:02:03Z");
        // 2 December 2026 is a Wednesday; 1 January 1970 a Thursday.
        assert_eq!(rfc822(1_796_169_600 + 3_723), "Wed, 02 Dec 2026 01:02:03 +0000");
        assert_eq!(rfc822(0), "Thu, 01 Jan 1970 00:00:00 +0000");
    }
}
