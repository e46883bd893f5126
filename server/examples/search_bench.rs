//! The search benchmark (a measurement, not a test; run by `.ci/bench-search`).
//!
//! Imports the reference data into a fresh SQLite database, makes the example offers
//! (`server exemples`) and copies them onto real communes of the whole region until there are
//! BENCH_OFFERS (50,000) published offers, rebuilds the index from the database as `server
//! reindex` does (the indexing throughput), then runs BENCH_QUERIES (1,000) mixed queries as
//! the board asks them, facet counts included: words with typos, facet filters, a radius
//! around a commune, the same queries on each engine: tantivy, and the Meilisearch server at
//! MEILI_URL (required: `.ci/bench-search` starts one). Prints p50 / p95 / p99 per engine, then
//! both side by side with their indexing times.

use server::accounts::Accounts;
use server::config::{DatabaseUrl, Secret};
use server::db::Database;
use server::demo::Draw;
use server::search::{Collection, Facet, Indexer, MeiliSettings, Near, SearchEngine, SearchQuery, Sort};
use sqlx::Row;
use std::time::{Duration, Instant};

type Error = Box<dyn std::error::Error>;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

struct Commune {
    code: String,
    name: String,
    lat: f64,
    lon: f64,
}

/// Copies the example offers onto communes drawn from the whole region until `total`.
async fn fill(db: &Database, total: usize, communes: &[Commune], draw: &mut Draw) -> Result<(), Error> {
    let sources: Vec<(i64, String, String)> = sqlx::query(
        "SELECT o.id, o.title, c.name FROM offers o JOIN communes c ON c.code = o.commune_code WHERE o.example = 1 ORDER BY o.id",
    )
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
    .collect::<Result<_, sqlx::Error>>()?;
    let now = server::clock::Clock::system().now();
    let mut tx = db.begin_write().await?;
    for i in sources.len()..total {
        let (source, title, town) = &sources[i % sources.len()];
        let commune = draw.pick(communes);
        // The title names the town of the offer: the new one.
        let title = title.replace(town.as_str(), &commune.name);
        let published = now - (draw.below(45 * 86_400) as i64);
        sqlx::query(
            "INSERT INTO offers (organisation_id, kind, mode, title, description, specialty, commune_code, finess,
                 start_date, end_date, days_per_week, patient_count, handover_plan, half_days_liberal, half_days_salaried,
                 semester, semester_year, supervisors, faculty, transport, pay_kind, pay_min, pay_max, on_call,
                 secretariat, software, housing, practice_provided, equipment_provided, perks, status, example,
                 created_by, created_at, updated_at, published_at, expires_at)
             SELECT organisation_id, kind, mode, $1, description, specialty, $2, NULL, start_date, end_date,
                 days_per_week, patient_count, handover_plan, half_days_liberal, half_days_salaried, semester,
                 semester_year, supervisors, faculty, transport, pay_kind, pay_min, pay_max, on_call, secretariat,
                 software, housing, practice_provided, equipment_provided, perks, status, example, created_by,
                 created_at, updated_at, $3, expires_at
             FROM offers WHERE id = $4",
        )
        .bind(title)
        .bind(commune.code.clone())
        .bind(published)
        .bind(*source)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    // The bench measures the rebuild, not the outbox of the copies.
    sqlx::query("DELETE FROM search_outbox").execute(&db.pool).await?;
    Ok(())
}

/// Some letters of `word` changed as a hurried hand does: a letter dropped, doubled or two swapped.
fn typo(word: &str, draw: &mut Draw) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    if chars.len() < 5 {
        return word.to_owned();
    }
    let at = 1 + draw.below(chars.len() - 2);
    match draw.below(3) {
        0 => {
            chars.remove(at);
        }
        1 => chars.insert(at, chars[at]),
        _ => chars.swap(at, at + 1),
    }
    chars.into_iter().collect()
}

const PHRASES: &[&str] = &[
    "medecin generaliste",
    "remplacement",
    "remplacement ete",
    "installation",
    "succession patientele",
    "maison de sante",
    "centre de sante",
    "stage saspas",
    "docteur junior",
    "pediatre",
    "psychiatrie",
    "salariat hopital",
    "collaboration cabinet",
    "logement",
    "secretariat",
    "assistanat",
    "exercice mixte",
    "geriatrie",
];
const KINDS: &[&str] = &["installation", "salariat", "exercice_mixte", "remplacement", "stage", "assistanat"];
const ZONAGES: &[&str] = &["ZIP", "ZAC", "ZAR"];
const BOARD_FACETS: [Facet; 5] = [Facet::Kind, Facet::Specialty, Facet::Departement, Facet::Zonage, Facet::Housing];

/// The three kinds of board queries, and one of them drawn.
fn query(kind: usize, communes: &[Commune], departements: &[String], draw: &mut Draw) -> SearchQuery {
    let mut query = SearchQuery {
        prefix: true,
        open_at: Some(server::clock::Clock::system().now()),
        page: 1,
        per_page: 20,
        facets: BOARD_FACETS.to_vec(),
        sort: Sort::Newest,
        ..SearchQuery::default()
    };
    match kind {
        // Words, one of them misspelt half of the time, sometimes with a town.
        0 => {
            let mut words: Vec<String> = draw.pick(PHRASES).split(' ').map(str::to_owned).collect();
            if draw.below(3) == 0 {
                words.push(draw.pick(communes).name.to_lowercase());
            }
            if draw.below(2) == 0 {
                let at = draw.below(words.len());
                words[at] = typo(&words[at], draw);
            }
            query.text = words.join(" ");
            query.sort = Sort::Relevance;
        }
        // Facets only, one to three of them.
        1 => {
            query.filters.push((Facet::Kind, vec![draw.pick(KINDS).to_string()]));
            if draw.below(2) == 0 {
                query.filters.push((Facet::Departement, vec![draw.pick(departements).clone()]));
            }
            if draw.below(3) == 0 {
                query.filters.push((Facet::Zonage, vec![draw.pick(ZONAGES).to_string()]));
            }
            if draw.below(4) == 0 {
                query.filters.push((Facet::Housing, vec!["oui".to_owned(), "aide".to_owned()]));
            }
        }
        // Around a commune, nearest first, half of the time for one kind.
        _ => {
            let center = draw.pick(communes);
            let radius_km = *draw.pick(&[10.0, 20.0, 30.0, 50.0]);
            query.near = Some(Near { lat: center.lat, lon: center.lon, radius_km });
            query.sort = Sort::Nearest;
            if draw.below(2) == 0 {
                query.filters.push((Facet::Kind, vec![draw.pick(KINDS).to_string()]));
            }
        }
    }
    query
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let at = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[at].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let total = env_number("BENCH_OFFERS", 50_000);
    let queries = env_number("BENCH_QUERIES", 1_000);
    let work = tempfile::tempdir()?;
    let url = DatabaseUrl(format!("sqlite://{}?mode=rwc", work.path().join("bench.db").display()));
    let db = Database::connect(&url).await?;
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    server::import::run(&db, &data, server::import::Progress::Hidden).await?;
    server::demo::seed(&db, &Accounts::new(db.clone(), "http://bench.localhost".to_owned()), false, 200).await?;

    let communes: Vec<Commune> = sqlx::query("SELECT code, name, lat, lon FROM communes ORDER BY code")
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| Ok(Commune { code: r.try_get(0)?, name: r.try_get(1)?, lat: r.try_get(2)?, lon: r.try_get(3)? }))
        .collect::<Result<_, sqlx::Error>>()?;
    let departements: Vec<String> =
        sqlx::query_scalar("SELECT code FROM departements ORDER BY code").fetch_all(&db.pool).await?;
    let mut draw = Draw(0x005e_ed0f_bea7);
    let started = Instant::now();
    fill(&db, total, &communes, &mut draw).await?;
    println!(
        "{total} offres publiées sur {} communes réelles en {:.1} s",
        communes.len(),
        started.elapsed().as_secs_f64()
    );

    let url = std::env::var("MEILI_URL")
        .ok()
        .filter(|url| !url.is_empty())
        .ok_or("MEILI_URL n'est pas définie : les deux moteurs sont mesurés (.ci/bench-search démarre Meilisearch)")?;
    let settings = MeiliSettings {
        url,
        key: std::env::var("MEILI_MASTER_KEY").ok().map(Secret::new),
        prefix: format!("bench_{}", std::process::id()),
    };
    let engines = [SearchEngine::open(work.path(), None)?, SearchEngine::open(work.path(), Some(&settings))?];
    // Per engine: its name, the indexing time, p50 / p95 / p99 of all queries.
    let mut summary: Vec<(&str, f64, [f64; 3])> = Vec::new();
    for engine in engines {
        let indexer = Indexer::new(db.clone(), engine.clone());
        let started = Instant::now();
        let built = indexer.rebuild(false).await?;
        let seconds = started.elapsed().as_secs_f64();
        let documents = built.offers + built.structures + built.communes;
        println!(
            "\n{} : index construit depuis la base en {seconds:.1} s — {documents} documents ({} offres), {:.0} documents/s",
            engine.kind(),
            built.offers,
            documents as f64 / seconds
        );
        let mut draw = Draw(0x00c0_ffee);
        for _ in 0..50 {
            let q = query(draw.below(3), &communes, &departements, &mut draw);
            engine.search(Collection::Offers, &q).await?;
        }
        let mut by_kind: [Vec<Duration>; 3] = Default::default();
        let mut hits = 0usize;
        for _ in 0..queries {
            let kind = draw.below(3);
            let q = query(kind, &communes, &departements, &mut draw);
            let started = Instant::now();
            let found = engine.search(Collection::Offers, &q).await?;
            by_kind[kind].push(started.elapsed());
            hits += found.total;
        }
        let mut all: Vec<Duration> = by_kind.iter().flatten().copied().collect();
        all.sort();
        println!("{:<36} {:>7} {:>9} {:>9} {:>9}", "requêtes (ms)", "nombre", "p50", "p95", "p99");
        let labels = ["mots avec fautes de frappe", "facettes", "rayon autour d'une commune"];
        for (label, mut times) in labels.into_iter().zip(by_kind) {
            times.sort();
            if times.is_empty() {
                continue;
            }
            println!(
                "{label:<36} {:>7} {:>9.2} {:>9.2} {:>9.2}",
                times.len(),
                percentile(&times, 0.50),
                percentile(&times, 0.95),
                percentile(&times, 0.99)
            );
        }
        println!(
            "{:<36} {:>7} {:>9.2} {:>9.2} {:>9.2}",
            "toutes",
            all.len(),
            percentile(&all, 0.50),
            percentile(&all, 0.95),
            percentile(&all, 0.99)
        );
        println!("offres trouvées par requête, en moyenne : {:.0}", hits as f64 / queries.max(1) as f64);
        summary.push((
            engine.kind(),
            seconds,
            [percentile(&all, 0.50), percentile(&all, 0.95), percentile(&all, 0.99)],
        ));
    }
    println!("\nles deux moteurs, mêmes données et mêmes {queries} requêtes :");
    println!("{:<14} {:>16} {:>9} {:>9} {:>9}", "moteur", "indexation (s)", "p50 ms", "p95 ms", "p99 ms");
    for (kind, seconds, [p50, p95, p99]) in &summary {
        println!("{kind:<14} {seconds:>16.1} {p50:>9.2} {p95:>9.2} {p99:>9.2}");
    }
    Ok(())
}
