//! The board: open offers (published, not past their end) matching the filters and the words
//! typed, found by the search engine. Its order, unless the address asks for another: best fit
//! first for a visitor who said what they look for, nearest first around a commune, best match
//! first with words, newest first otherwise. The cards themselves are read from the database,
//! the source of truth.

use super::Offers;
use super::reads::{card, offers_by_id};
use crate::candidates::FactsRow;
use crate::db::rows::{table, typed};
use crate::search::{Collection, Facet, Near, SearchError, SearchQuery, SearchResults, Sort};
use crate::territory::queries::commune_around;
use app::domain::offers::{
    BoardEntry, BoardFacets, BoardOrder, BoardPage, BoardQuery, HousingWanted, OfferCard, OfferView, PER_PAGE,
};
use app::model::Around;

/// Most offers read at once when every match is needed (alerts, the fit order).
const ALL_AT_ONCE: usize = 5_000;

#[derive(Debug, thiserror::Error)]
pub enum BoardError {
    #[error("le service est momentanément indisponible, réessayez dans un instant")]
    Database(#[from] sqlx::Error),
    #[error("la recherche est momentanément indisponible, réessayez dans un instant")]
    Search(#[from] SearchError),
}

/// What the board says while it shows the database's answer rather than the engine's.
fn fallback_note(query: &BoardQuery) -> String {
    match query.text.as_deref().map(str::trim).filter(|text| !text.is_empty()) {
        Some(words) => format!(
            "La recherche par mots est momentanément indisponible : voici les offres qui suivent vos autres filtres, \
             des plus récentes aux plus anciennes, sans tenir compte de « {words} »."
        ),
        None => "La recherche est momentanément indisponible : voici les offres qui suivent vos filtres, des plus \
                 récentes aux plus anciennes."
            .to_owned(),
    }
}

/// The facets the board counts.
const BOARD_FACETS: [Facet; 6] =
    [Facet::Kind, Facet::Specialty, Facet::Departement, Facet::Zonage, Facet::Housing, Facet::Team];

/// The filters that take several values: their counts leave their own choice out.
const SEVERAL_VALUED: [Facet; 3] = [Facet::Kind, Facet::Departement, Facet::Housing];

/// The order the board takes without `tri`, for a visitor with or without wishes, around a
/// commune or not, with words or not.
fn default_order(has_wishes: bool, near: bool, words: bool) -> BoardOrder {
    if has_wishes {
        BoardOrder::Fit
    } else if near {
        BoardOrder::Nearest
    } else if words {
        BoardOrder::Words
    } else {
        BoardOrder::Newest
    }
}

/// The order asked for when it can be followed (the default otherwise, with a note when the
/// visitor can do something about it).
fn order(query: &BoardQuery, has_wishes: bool, near: bool, notes: &mut Vec<String>) -> BoardOrder {
    let words = !query.text.as_deref().unwrap_or_default().trim().is_empty();
    let default = default_order(has_wishes, near, words);
    match query.order {
        Some(BoardOrder::Fit) if !has_wishes => {
            notes.push(
                "Pour trier les offres selon ce qui vous correspond, dites ce que vous recherchez (Mon compte → Ce que je recherche)."
                    .to_owned(),
            );
            default
        }
        Some(BoardOrder::Nearest) if !near => {
            notes.push(
                "Pour voir les plus proches d'abord, indiquez une commune dans « Autour de la commune ».".to_owned(),
            );
            default
        }
        Some(BoardOrder::Words) if !words => default,
        Some(asked) => asked,
        None => default,
    }
}

/// The engine's order for the board's `order` (the fit is ours, ranked over the engine's
/// matches in the order it would have without wishes).
fn sort(order: BoardOrder, near: bool, words: bool) -> Sort {
    match order {
        BoardOrder::Nearest => Sort::Nearest,
        BoardOrder::Words => Sort::Relevance,
        BoardOrder::Newest => Sort::Newest,
        BoardOrder::Fit => sort(default_order(false, near, words), near, words),
    }
}

type Wishes = (app::domain::candidates::Wishes, Option<app::domain::candidates::Place>);

impl Offers {
    /// The ids of every open offer matching `query`, newest first (for alerts).
    pub async fn matching_ids(&self, query: &BoardQuery) -> Result<Vec<i64>, BoardError> {
        let (search, _, _) = self.search_query(query).await?;
        Ok(self
            .all_matches(SearchQuery { sort: Sort::Newest, ..search })
            .await?
            .into_iter()
            .map(|(id, _)| id)
            .collect())
    }

    /// The ids of the first `n` open offers matching `query`, newest first, and how many
    /// match in all (the map's list: it names a few and counts the rest).
    pub async fn first_ids(&self, query: &BoardQuery, n: usize) -> Result<(Vec<i64>, usize), BoardError> {
        let (search, _, _) = self.search_query(query).await?;
        let first = SearchQuery { sort: Sort::Newest, page: 1, per_page: n.max(1), facets: Vec::new(), ..search };
        let found = self.search.engine().search(Collection::Offers, &first).await?;
        Ok((found.hits.iter().filter_map(|hit| hit.id.parse().ok()).collect(), found.total))
    }

    /// The cards of the real open offers matching `query`, newest first: of the first `limit`,
    /// or of all of them (the feeds and the CSV export). Examples (`server exemples`) are left
    /// out: job engines read these, and would list them as real posts.
    pub async fn newest_cards(&self, query: &BoardQuery, limit: Option<usize>) -> Result<Vec<OfferCard>, BoardError> {
        let ids = match limit {
            Some(n) => self.first_ids(query, n).await?.0,
            None => self.matching_ids(query).await?,
        };
        let mut cards = Vec::with_capacity(ids.len());
        // In chunks: one query binds at most a few hundred parameters on either engine.
        for chunk in ids.chunks(500) {
            let shown: Vec<Shown> = chunk.iter().map(|id| (*id, None, None, None)).collect();
            cards.extend(self.cards(shown).await?.into_iter().map(|entry| entry.card).filter(|card| !card.example));
        }
        Ok(cards)
    }

    /// A page of the open offers matching `query` in the board's order (nearest first around a
    /// commune, best match first with words, newest first otherwise), as whole offers with their
    /// distance, and how many match in all; `page` past the end is empty. With a note when the
    /// commune to search around is unknown (and nothing is searched). For the open API.
    pub async fn open_views(
        &self,
        query: &BoardQuery,
        page: usize,
        per_page: usize,
    ) -> Result<(Vec<(OfferView, Option<f64>)>, usize, Option<String>), BoardError> {
        let (search, _, notes) = self.search_query(query).await?;
        if let Some(note) = notes.into_iter().next() {
            return Ok((Vec::new(), 0, Some(note)));
        }
        let found = self.engine_page(&SearchQuery { page, per_page, facets: Vec::new(), ..search }).await?;
        let hits: Vec<(i64, Option<f64>)> =
            found.hits.iter().filter_map(|hit| Some((hit.id.parse().ok()?, hit.distance_km))).collect();
        if hits.is_empty() {
            return Ok((Vec::new(), found.total, None));
        }
        let ids: Vec<i64> = hits.iter().map(|(id, _)| *id).collect();
        let mut views: Vec<OfferView> = offers_by_id(&self.db, &ids)
            .await?
            .into_iter()
            .map(|row| row.view(false, &self.public_url, self.clock.now()))
            .collect();
        // In the engine's order; an offer gone from the database meanwhile is left out.
        let ordered = hits
            .into_iter()
            .filter_map(|(id, km)| {
                let at = views.iter().position(|v| v.id == id)?;
                Some((views.swap_remove(at), km))
            })
            .collect();
        Ok((ordered, found.total, None))
    }

    /// One page of the board, as an anonymous visitor sees it.
    pub async fn read_board(&self, query: &BoardQuery) -> Result<BoardPage, BoardError> {
        self.read_board_for(None, query).await
    }

    /// The engine's question for `query`, with the name of the commune searched around and
    /// the notes on what the filters left out.
    async fn search_query(&self, query: &BoardQuery) -> Result<(SearchQuery, Option<String>, Vec<String>), BoardError> {
        let mut notes = Vec::new();
        let mut near = None;
        let mut around_name = None;
        if let Some(around) = &query.around {
            match commune_around(&self.db, around).await? {
                Some(commune) => {
                    let radius_km = f64::from(query.radius());
                    near = Some(Near { lat: commune.lat, lon: commune.lon, radius_km });
                    notes.extend(commune.note);
                    around_name = Some(commune.label);
                }
                None => notes.push(match around {
                    Around::Code(code) => {
                        format!("Aucune commune du portail n'a le code « {code} » : le filtre de distance est ignoré.")
                    }
                    Around::Named(place) => format!(
                        "Aucune commune d'Occitanie ne s'appelle « {place} » ni n'a ce code postal : vérifiez \
                         l'orthographe, ou choisissez parmi les suggestions. Le filtre de distance est ignoré."
                    ),
                }),
            }
        }
        let mut filters = Vec::new();
        let mut filter =
            |facet: Facet, values: Vec<&str>| filters.push((facet, values.into_iter().map(str::to_owned).collect()));
        if !query.kinds.is_empty() {
            filter(Facet::Kind, query.kinds.iter().map(|kind| kind.code()).collect());
        }
        if let Some(specialty) = query.specialty {
            filter(Facet::Specialty, vec![specialty.code()]);
        }
        if !query.departements.is_empty() {
            filter(Facet::Departement, query.departements.iter().map(|d| d.as_str()).collect());
        }
        if let Some(zonage) = query.zonage {
            filter(Facet::Zonage, vec![zonage.code()]);
        }
        if !query.housing.is_empty() {
            let values: Vec<String> = query.housing.iter().flat_map(|wanted| wanted.facet_values()).collect();
            filter(Facet::Housing, values.iter().map(String::as_str).collect());
        }
        if query.team {
            filter(Facet::Team, vec!["oui"]);
        }
        if let Some(station) = query.station {
            let facet = if station.major() { Facet::MajorStation } else { Facet::Station };
            filters.push((facet, station.buckets()));
        }
        let days = |day: Option<app::model::Day>| day.map(|d| d.unix().div_euclid(86_400));
        let overlap = (query.from.is_some() || query.to.is_some()).then(|| (days(query.from), days(query.to)));
        let text = query.text.clone().unwrap_or_default();
        // Without a viewer: the fit is asked for by `read_board_for`, which has one.
        let asked = order(query, false, near.is_some(), &mut Vec::new());
        let sort = sort(asked, near.is_some(), !text.trim().is_empty());
        let search = SearchQuery {
            text,
            // The same answer as the page typed into gives while typing: the last word may be unfinished.
            prefix: true,
            filters,
            near,
            within: query.zone,
            overlap,
            open_at: Some(self.clock.now()),
            sort,
            page: 1,
            per_page: PER_PAGE,
            facets: BOARD_FACETS.to_vec(),
        };
        Ok((search, around_name, notes))
    }

    /// Every match of `search` in its order, as (id, distance).
    async fn all_matches(&self, search: SearchQuery) -> Result<Vec<(i64, Option<f64>)>, BoardError> {
        let mut out = Vec::new();
        for page in 1.. {
            let found = self
                .search
                .engine()
                .search(
                    Collection::Offers,
                    &SearchQuery { page, per_page: ALL_AT_ONCE, facets: Vec::new(), ..search.clone() },
                )
                .await?;
            let count = found.hits.len();
            out.extend(found.hits.into_iter().filter_map(|hit| Some((hit.id.parse().ok()?, hit.distance_km))));
            if count < ALL_AT_ONCE || out.len() >= found.total {
                break;
            }
        }
        Ok(out)
    }

    /// One page of the board for `viewer`: with how each offer fits their wishes when they
    /// said what they look for, best fit first if the query asks.
    #[tracing::instrument(skip_all)]
    pub async fn read_board_for(&self, viewer: Option<i64>, query: &BoardQuery) -> Result<BoardPage, BoardError> {
        let wishes = match viewer {
            Some(user) => crate::candidates::wishes_of(&self.db, user).await?,
            None => None,
        };
        let (mut search, around_name, mut notes) = self.search_query(query).await?;
        let (near, words) = (search.near.is_some(), !search.text.trim().is_empty());
        let order = order(query, wishes.is_some(), near, &mut notes);
        let default_order = default_order(wishes.is_some(), near, words);
        let by_fit = order == BoardOrder::Fit;
        let (found, shown, page, pages) = match self.ranked(&mut search, query, wishes.as_ref(), by_fit).await {
            Err(BoardError::Search(error)) => {
                tracing::warn!(%error, "search engine unavailable: the board reads the database, without words");
                self.search.search_failed();
                notes.push(fallback_note(query));
                let page = self.database_page(&mut search, query, wishes.as_ref()).await?;
                let mut found = page.0;
                self.counts_apart(&search, &mut found, true).await?;
                (found, page.1, page.2, page.3)
            }
            Ok((mut found, shown, page, pages)) => {
                self.counts_apart(&search, &mut found, false).await?;
                (found, shown, page, pages)
            }
            Err(other) => return Err(other),
        };
        let entries = self.cards(shown).await?;
        let departements = crate::territory::queries::departement_names(&self.db).await?;
        Ok(BoardPage {
            entries,
            total: found.total,
            page,
            pages,
            around_name,
            notes,
            departements,
            facets: facets(&found),
            order,
            default_order,
            site_url: self.public_url.clone(),
        })
    }

    /// The counts of each several-valued filter chosen, without that filter: what ticking one
    /// more of its boxes would add (the other filters still apply). From the database when
    /// the engine is down.
    async fn counts_apart(
        &self,
        search: &SearchQuery,
        found: &mut SearchResults,
        database: bool,
    ) -> Result<(), BoardError> {
        for facet in SEVERAL_VALUED {
            if !search.filters.iter().any(|(f, _)| *f == facet) {
                continue;
            }
            let apart = SearchQuery {
                filters: search.filters.iter().filter(|(f, _)| *f != facet).cloned().collect(),
                page: 1,
                per_page: 1,
                facets: vec![facet],
                ..search.clone()
            };
            let counted = if database {
                crate::search::fallback::offers(&self.db, &apart).await?
            } else {
                self.engine_page(&apart).await?
            };
            let counts = counted.facets.into_iter().find(|(f, _)| *f == facet).map(|(_, counts)| counts);
            match found.facets.iter_mut().find(|(f, _)| *f == facet) {
                Some((_, old)) => *old = counts.unwrap_or_default(),
                None => found.facets.push((facet, counts.unwrap_or_default())),
            }
        }
        Ok(())
    }

    /// One page of the engine's matches for `search`, ranked by fit when `by_fit`.
    async fn ranked(
        &self,
        search: &mut SearchQuery,
        query: &BoardQuery,
        wishes: Option<&Wishes>,
        by_fit: bool,
    ) -> Result<(SearchResults, Vec<Shown>, usize, usize), BoardError> {
        // The fit is ours, not the engine's: every match is scored, then the page is cut.
        Ok(if by_fit {
            let found = self.engine_page(search).await?;
            let mut all = self.fitted(self.all_matches(search.clone()).await?, wishes).await?;
            all.sort_by_key(|(_, _, fit)| std::cmp::Reverse(fit.as_ref().map_or(0, |fit| fit.score)));
            let pages = all.len().div_ceil(PER_PAGE).max(1);
            let page = query.page.clamp(1, pages);
            let shown = all
                .into_iter()
                .skip((page - 1) * PER_PAGE)
                .take(PER_PAGE)
                .map(|(id, km, fit)| (id, km, fit, None))
                .collect();
            (found, shown, page, pages)
        } else {
            search.page = query.page.max(1);
            let mut found = self.engine_page(search).await?;
            let pages = found.total.div_ceil(PER_PAGE).max(1);
            if search.page > pages {
                search.page = pages;
                found = self.engine_page(search).await?;
            }
            let with_words = !query.text.as_deref().unwrap_or_default().trim().is_empty();
            let ids: Vec<(i64, Option<f64>)> =
                found.hits.iter().filter_map(|hit| Some((hit.id.parse().ok()?, hit.distance_km))).collect();
            let fitted = self.fitted(ids, wishes).await?;
            let shown = fitted
                .into_iter()
                .zip(found.hits.iter())
                .map(|((id, km, fit), hit)| {
                    let marks = with_words.then(|| (hit.title.clone(), hit.snippet.clone()));
                    (id, km, fit, marks)
                })
                .collect();
            (found.clone(), shown, search.page, pages)
        })
    }

    /// One page of what the database gives for `search` without its words, newest first,
    /// while the engine cannot answer (`search::fallback`).
    async fn database_page(
        &self,
        search: &mut SearchQuery,
        query: &BoardQuery,
        wishes: Option<&Wishes>,
    ) -> Result<(SearchResults, Vec<Shown>, usize, usize), BoardError> {
        if search.sort == Sort::Relevance {
            search.sort = Sort::Newest;
        }
        search.page = query.page.max(1);
        let mut found = crate::search::fallback::offers(&self.db, search).await?;
        let pages = found.total.div_ceil(PER_PAGE).max(1);
        if search.page > pages {
            search.page = pages;
            found = crate::search::fallback::offers(&self.db, search).await?;
        }
        let ids: Vec<(i64, Option<f64>)> =
            found.hits.iter().filter_map(|hit| Some((hit.id.parse().ok()?, hit.distance_km))).collect();
        let shown = self.fitted(ids, wishes).await?.into_iter().map(|(id, km, fit)| (id, km, fit, None)).collect();
        Ok((found, shown, search.page, pages))
    }

    async fn engine_page(&self, search: &SearchQuery) -> Result<SearchResults, BoardError> {
        Ok(self.search.engine().search(Collection::Offers, search).await?)
    }

    /// `found` with how each offer fits `wishes` (None without wishes).
    async fn fitted(
        &self,
        found: Vec<(i64, Option<f64>)>,
        wishes: Option<&Wishes>,
    ) -> Result<Vec<(i64, Option<f64>, Option<app::domain::candidates::Match>)>, sqlx::Error> {
        let Some((wishes, place)) = wishes else {
            return Ok(found.into_iter().map(|(id, km)| (id, km, None)).collect());
        };
        let mut facts = std::collections::HashMap::new();
        for chunk in found.chunks(500) {
            let ids: Vec<String> = chunk.iter().map(|(id, _)| id.to_string()).collect();
            let sql = format!(
                "SELECT o.id, {} FROM offers o JOIN communes c ON c.code = o.commune_code
                     JOIN organisations g ON g.id = o.organisation_id JOIN departements d ON d.code = c.departement_code
                 WHERE o.id IN ({})",
                crate::candidates::FACT_COLUMNS,
                ids.join(", ")
            );
            for row in sqlx::query(sqlx::AssertSqlSafe(sql)).try_map(typed::<IdFacts>).fetch_all(&self.db.pool).await? {
                facts.insert(row.id, row.facts.facts());
            }
        }
        Ok(found
            .into_iter()
            .map(|(id, km)| {
                let fit = facts.get(&id).map(|f| app::domain::candidates::score(f, wishes, place.as_ref()));
                (id, km, fit)
            })
            .collect())
    }

    /// The cards of `shown`, in its order; an offer gone from the database meanwhile is left out.
    async fn cards(&self, shown: Vec<Shown>) -> Result<Vec<BoardEntry>, sqlx::Error> {
        let ids: Vec<i64> = shown.iter().map(|(id, ..)| *id).collect();
        let mut cards: Vec<_> = offers_by_id(&self.db, &ids)
            .await?
            .into_iter()
            .map(|row| card(&row.view(false, &self.public_url, self.clock.now())))
            .collect();
        Ok(shown
            .into_iter()
            .filter_map(|(id, distance, fit, marks)| {
                let at = cards.iter().position(|c| c.id == id)?;
                let (title_marks, snippet) = marks.unwrap_or_default();
                Some(BoardEntry { card: cards.swap_remove(at), distance_km: distance, fit, title_marks, snippet })
            })
            .collect())
    }
}

/// An offer to show: id, distance, fit, and its highlighted title and snippet.
type Shown =
    (i64, Option<f64>, Option<app::domain::candidates::Match>, Option<(crate::search::Marked, crate::search::Marked)>);

fn facets(found: &SearchResults) -> BoardFacets {
    let of = |facet: Facet| {
        found.facets.iter().find(|(f, _)| *f == facet).map(|(_, counts)| counts.clone()).unwrap_or_default()
    };
    BoardFacets {
        kind: of(Facet::Kind),
        specialty: of(Facet::Specialty),
        departement: of(Facet::Departement),
        zonage: of(Facet::Zonage),
        housing: {
            let values = of(Facet::Housing);
            HousingWanted::ALL
                .iter()
                .map(|wanted| (wanted.code().to_owned(), wanted.count(&values)))
                .filter(|(_, n)| *n > 0)
                .collect()
        },
        team: found.count(Facet::Team, "oui"),
    }
}
/// An offer's id with what matching needs of it.
#[derive(sqlx::FromRow)]
struct IdFacts {
    id: i64,
    #[sqlx(flatten)]
    facts: FactsRow,
}

table!(IdFacts, "offers");
