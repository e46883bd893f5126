//! The communes of a département or an EPCI as their page lists them: kept by zoning, ordered
//! by name, population or APL, fifty to a page. A département holds up to some 600 communes;
//! one table of all of them was 116 KB of HTML, too long to read and too heavy for a phone.
//! The choice travels in the address (`?zonage=ZIP&tri=apl&page=2`), so it works as a plain
//! GET form, can be bookmarked, and each choice is a page the cache keeps.

use super::CommuneRow;
use crate::model::Zonage;
use std::cmp::Ordering;

/// The query parameters, in one place.
pub mod params {
    pub const ZONAGE: &str = "zonage";
    pub const ORDER: &str = "tri";
    pub const PAGE: &str = "page";
}

/// The id of the section holding the table: forms and page links come back to it.
pub const ANCHOR: &str = "communes";

/// Which communes to keep, by zoning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ZonageFilter {
    #[default]
    All,
    Zone(Zonage),
    /// Communes outside the ARS's zoning file.
    Unclassified,
}

impl ZonageFilter {
    pub const CHOICES: [ZonageFilter; 5] = [
        ZonageFilter::All,
        ZonageFilter::Zone(Zonage::Zip),
        ZonageFilter::Zone(Zonage::Zac),
        ZonageFilter::Zone(Zonage::Zar),
        ZonageFilter::Unclassified,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ZonageFilter::All => "",
            ZonageFilter::Zone(z) => z.code(),
            ZonageFilter::Unclassified => "aucun",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::CHOICES.into_iter().find(|f| f.code().eq_ignore_ascii_case(code.trim()))
    }

    pub fn label(self) -> &'static str {
        match self {
            ZonageFilter::All => "Toutes les communes",
            ZonageFilter::Zone(z) => z.label(),
            ZonageFilter::Unclassified => "Non classées",
        }
    }

    fn keeps(self, row: &CommuneRow) -> bool {
        match self {
            ZonageFilter::All => true,
            ZonageFilter::Zone(z) => row.zonage == Some(z),
            ZonageFilter::Unclassified => row.zonage.is_none(),
        }
    }
}

/// The order of the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CommuneOrder {
    #[default]
    Name,
    /// Most inhabitants first.
    Population,
    /// Lowest APL first: the least served communes, where a doctor is most awaited.
    AplAscending,
    AplDescending,
}

impl CommuneOrder {
    pub const ALL: [CommuneOrder; 4] =
        [CommuneOrder::Name, CommuneOrder::Population, CommuneOrder::AplAscending, CommuneOrder::AplDescending];

    pub fn code(self) -> &'static str {
        match self {
            CommuneOrder::Name => "nom",
            CommuneOrder::Population => "habitants",
            CommuneOrder::AplAscending => "apl",
            CommuneOrder::AplDescending => "apl-desc",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == code.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            CommuneOrder::Name => "Nom",
            CommuneOrder::Population => "Habitants, les plus peuplées d'abord",
            CommuneOrder::AplAscending => "APL, les moins bien servies d'abord",
            CommuneOrder::AplDescending => "APL, les mieux servies d'abord",
        }
    }

    /// Rows come ordered by name; a stable sort keeps that order among equals, and communes
    /// without an APL figure come last whichever way APL is sorted.
    fn sort(self, rows: &mut [CommuneRow]) {
        let apl = |a: &CommuneRow, b: &CommuneRow, rising: bool| match (a.apl_2023, b.apl_2023) {
            (Some(x), Some(y)) => {
                let order = x.total_cmp(&y);
                if rising { order } else { order.reverse() }
            }
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        match self {
            CommuneOrder::Name => {}
            CommuneOrder::Population => rows.sort_by_key(|r| std::cmp::Reverse(r.population)),
            CommuneOrder::AplAscending => rows.sort_by(|a, b| apl(a, b, true)),
            CommuneOrder::AplDescending => rows.sort_by(|a, b| apl(a, b, false)),
        }
    }
}

/// What the visitor asked for, read from the address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommuneListing {
    pub zonage: ZonageFilter,
    pub order: CommuneOrder,
    /// From 1.
    pub page: usize,
}

impl Default for CommuneListing {
    fn default() -> Self {
        Self { zonage: ZonageFilter::All, order: CommuneOrder::Name, page: 1 }
    }
}

/// One page of the table, and what the visitor should be told about their address.
#[derive(Debug, Clone, PartialEq)]
pub struct CommunePage {
    pub rows: Vec<CommuneRow>,
    /// Communes kept by the filter, on every page.
    pub matching: usize,
    /// Communes of the territory.
    pub total: usize,
    /// The page shown (from 1) and how many there are (at least 1).
    pub page: usize,
    pub pages: usize,
    /// French sentences about values of the address that could not be used.
    pub problems: Vec<&'static str>,
}

impl CommuneListing {
    pub const PER_PAGE: usize = 50;

    /// Reads the address's parameters; a value that cannot be used is set aside with a French
    /// sentence saying what is shown instead.
    pub fn read(get: impl Fn(&str) -> Option<String>) -> (Self, Vec<&'static str>) {
        let mut problems = Vec::new();
        let given = |name| get(name).filter(|v: &String| !v.trim().is_empty());
        let zonage = match given(params::ZONAGE) {
            None => ZonageFilter::All,
            Some(code) => ZonageFilter::from_code(&code).unwrap_or_else(|| {
                problems.push("Ce zonage n'existe pas : toutes les communes sont affichées.");
                ZonageFilter::All
            }),
        };
        let order = match given(params::ORDER) {
            None => CommuneOrder::Name,
            Some(code) => CommuneOrder::from_code(&code).unwrap_or_else(|| {
                problems.push("Cet ordre n'existe pas : les communes sont rangées par nom.");
                CommuneOrder::Name
            }),
        };
        let page = match given(params::PAGE) {
            None => 1,
            Some(text) => match text.trim().parse::<usize>() {
                Ok(n) if n >= 1 => n,
                _ => {
                    problems.push("Ce numéro de page n'existe pas : voici la première page.");
                    1
                }
            },
        };
        (Self { zonage, order, page }, problems)
    }

    /// The page of `rows` (ordered by name) this listing asks for. A page past the last shows
    /// the last one, and says so.
    pub fn apply(&self, rows: Vec<CommuneRow>, mut problems: Vec<&'static str>) -> CommunePage {
        let total = rows.len();
        let mut kept: Vec<CommuneRow> = rows.into_iter().filter(|r| self.zonage.keeps(r)).collect();
        self.order.sort(&mut kept);
        let matching = kept.len();
        let pages = matching.div_ceil(Self::PER_PAGE).max(1);
        let page = if self.page > pages {
            problems.push("Cette page dépasse la dernière : voici la dernière page.");
            pages
        } else {
            self.page
        };
        let rows = kept.into_iter().skip((page - 1) * Self::PER_PAGE).take(Self::PER_PAGE).collect();
        CommunePage { rows, matching, total, page, pages, problems }
    }

    /// The address of `page` of this listing on the territory page at `path`, back at the table.
    /// Parameters at their default are left out, so the first page by name is `path` itself.
    pub fn href(&self, path: &str, page: usize) -> String {
        let mut query = Vec::new();
        if self.zonage != ZonageFilter::All {
            query.push(format!("{}={}", params::ZONAGE, self.zonage.code()));
        }
        if self.order != CommuneOrder::Name {
            query.push(format!("{}={}", params::ORDER, self.order.code()));
        }
        if page > 1 {
            query.push(format!("{}={page}", params::PAGE));
        }
        if query.is_empty() { format!("{path}#{ANCHOR}") } else { format!("{path}?{}#{ANCHOR}", query.join("&")) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::territory::TerritoryRef;

    fn row(name: &str, population: i64, zonage: Option<Zonage>, apl: Option<f64>) -> CommuneRow {
        CommuneRow {
            code: name.to_owned(),
            link: TerritoryRef {
                name: name.to_owned(),
                path: crate::domain::territory::paths::commune(name, "commune"),
            },
            population,
            zonage,
            apl_2023: apl,
        }
    }

    fn read(pairs: &[(&str, &str)]) -> (CommuneListing, Vec<&'static str>) {
        CommuneListing::read(|name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned()))
    }

    fn names(page: &CommunePage) -> Vec<&str> {
        page.rows.iter().map(|r| r.link.name.as_str()).collect()
    }

    fn sample() -> Vec<CommuneRow> {
        vec![
            row("Agen-d'Aveyron", 1_000, Some(Zonage::Zac), Some(3.1)),
            row("Balsac", 300, None, None),
            row("Camjac", 600, Some(Zonage::Zip), Some(1.2)),
            row("Druelle", 2_500, Some(Zonage::Zip), Some(2.4)),
            row("Espalion", 4_500, Some(Zonage::Zar), Some(4.0)),
        ]
    }

    #[test]
    fn an_empty_address_lists_every_commune_by_name() {
        let (listing, problems) = read(&[]);
        assert_eq!(listing, CommuneListing::default());
        assert!(problems.is_empty());
        let page = listing.apply(sample(), problems);
        assert_eq!(names(&page), ["Agen-d'Aveyron", "Balsac", "Camjac", "Druelle", "Espalion"]);
        assert_eq!((page.matching, page.total, page.page, page.pages), (5, 5, 1, 1));
    }

    #[test]
    fn zoning_keeps_its_communes_and_unclassified_keeps_the_others() {
        let (listing, _) = read(&[("zonage", "zip")]);
        assert_eq!(listing.zonage, ZonageFilter::Zone(Zonage::Zip));
        let page = listing.apply(sample(), vec![]);
        assert_eq!(names(&page), ["Camjac", "Druelle"]);
        assert_eq!((page.matching, page.total), (2, 5));
        let (listing, _) = read(&[("zonage", "aucun")]);
        assert_eq!(names(&listing.apply(sample(), vec![])), ["Balsac"]);
    }

    #[test]
    fn apl_orders_put_communes_without_a_figure_last_both_ways() {
        let (up, _) = read(&[("tri", "apl")]);
        assert_eq!(names(&up.apply(sample(), vec![])), ["Camjac", "Druelle", "Agen-d'Aveyron", "Espalion", "Balsac"]);
        let (down, _) = read(&[("tri", "apl-desc")]);
        assert_eq!(names(&down.apply(sample(), vec![])), ["Espalion", "Agen-d'Aveyron", "Druelle", "Camjac", "Balsac"]);
        let (people, _) = read(&[("tri", "habitants")]);
        assert_eq!(
            names(&people.apply(sample(), vec![])),
            ["Espalion", "Druelle", "Agen-d'Aveyron", "Camjac", "Balsac"]
        );
    }

    #[test]
    fn rows_come_fifty_to_a_page_and_a_page_past_the_end_shows_the_last() {
        let many: Vec<CommuneRow> = (0..120).map(|i| row(&format!("C{i:03}"), i, None, None)).collect();
        let (listing, problems) = read(&[("page", "2")]);
        let page = listing.apply(many.clone(), problems);
        assert_eq!((page.page, page.pages, page.rows.len()), (2, 3, 50));
        assert_eq!(page.rows[0].link.name, "C050");
        assert!(page.problems.is_empty());

        let (listing, problems) = read(&[("page", "9")]);
        let page = listing.apply(many, problems);
        assert_eq!((page.page, page.rows.len()), (3, 20));
        assert_eq!(page.problems.len(), 1);
    }

    #[test]
    fn unusable_values_are_set_aside_with_a_french_sentence() {
        let (listing, problems) = read(&[("zonage", "ZXX"), ("tri", "' OR 1=1"), ("page", "-3")]);
        assert_eq!(listing, CommuneListing::default());
        assert_eq!(problems.len(), 3);
        let (_, problems) = read(&[("page", "0")]);
        assert_eq!(problems.len(), 1);
        // Blank values are the defaults, not mistakes (an untouched form sends them).
        let (listing, problems) = read(&[("zonage", ""), ("tri", " "), ("page", "")]);
        assert_eq!(listing, CommuneListing::default());
        assert!(problems.is_empty());
    }

    #[test]
    fn links_leave_defaults_out_and_come_back_to_the_table() {
        let path = "/departements/12-aveyron";
        assert_eq!(CommuneListing::default().href(path, 1), "/departements/12-aveyron#communes");
        let listing =
            CommuneListing { zonage: ZonageFilter::Zone(Zonage::Zip), order: CommuneOrder::AplAscending, page: 1 };
        assert_eq!(listing.href(path, 3), "/departements/12-aveyron?zonage=ZIP&tri=apl&page=3#communes");
        let (read_back, problems) = read(&[("zonage", "ZIP"), ("tri", "apl"), ("page", "3")]);
        assert!(problems.is_empty());
        assert_eq!(read_back, CommuneListing { page: 3, ..listing });
    }
}
