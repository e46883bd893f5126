//! Example data for a demonstration or a development machine: verified organisations on real
//! communes and real health structures of the reference data, about two hundred offers of
//! every kind across the region, a few events, local aids and a published territory page, each
//! marked "exemple" on every page that shows it (the organisations carry the mark: see the
//! migration 0020). Their texts say they are examples: nothing here is a fact about a real
//! place.
//!
//! Never in production (`PORTAIL_MODE=production` refuses it). Running it again replaces the
//! previous examples instead of adding to them; `seed_if_absent` (the first run of the README's
//! command) leaves existing ones alone. The draws are seeded, so two runs on the same reference
//! data give the same examples.

use crate::accounts::Accounts;
use crate::aids::Aids;
use crate::clock::Clock;
use crate::db::Database;
use crate::db::rows::{Code, table, typed};
use crate::events::Events;
use crate::promotion::Promotions;
use app::domain::aids::LocalAidForm;
use app::domain::events::EventForm;
use app::domain::housing::HousingForm;
use app::domain::offers::{
    DEFAULT_PUBLICATION_DAYS, Housing, OfferKind, OfferMode, OnCall, Pay, PayKind, Secretariat, Semester, Specialty,
};
use app::domain::promotion::{PageContent, Section};
use app::domain::stages::StageSiteForm;
use app::domain::territory::StructureKind;
use app::model::Day;

/// The account that owns the example organisations. Its address is in a reserved domain
/// (RFC 2606): no mail to it can reach anybody.
pub const DEMO_EMAIL: &str = "exemples@demo.medecins-territoires.invalid";

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("les données d'exemple ne sont jamais créées en production (PORTAIL_MODE=production)")]
    Production,
    #[error("importez d'abord les données de référence (`server import`) : aucune commune en base")]
    NoReferenceData,
    #[error("base de données : {0}")]
    Database(#[from] sqlx::Error),
    #[error("compte des exemples : {0}")]
    Account(#[from] crate::accounts::AccountError),
    /// An example the services refused: a bug of this module, named with the service's words.
    #[error("exemple refusé : {0}")]
    Refused(String),
}

/// What `seed` created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoReport {
    pub organisations: usize,
    pub offers: usize,
    pub events: usize,
    pub aids: usize,
    /// Published territory pages.
    pub pages: usize,
    /// Stage sites declared by example structures.
    pub stage_sites: usize,
    /// Housing for interns offered by example mairies and structures.
    pub housing: usize,
    /// Published reviews of the example stage sites.
    pub reviews: usize,
    /// Example offers of an earlier run, replaced.
    pub replaced: usize,
}

/// A small deterministic generator (xorshift64*): examples must not change from run to run
/// (the search benchmark draws its offers and queries with it too).
pub struct Draw(pub u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    pub fn between(&mut self, low: i64, high: i64) -> i64 {
        low + self.below((high - low + 1) as usize) as i64
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// An example organisation: where it is and what it is.
struct Place {
    organisation: i64,
    name: String,
    commune: String,
    commune_name: String,
    finess: Option<String>,
    /// The organisation's kind code (`commune`, `msp`, `centre_sante`, `hopital`).
    kind: &'static str,
}

impl Place {
    /// A health structure, not a mairie.
    fn structure(&self) -> bool {
        self.kind != "commune"
    }
}

const SOFTWARE: [&str; 6] = ["Weda", "MédiStory", "Crossway", "HelloDoc", "Axisanté", "Éo by Cegedim"];

/// Removes the examples of an earlier run; returns the offers removed.
async fn clear(db: &Database) -> Result<usize, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    // Applications to examples (someone trying the portal) go with them; their thread and
    // history follow by cascade.
    sqlx::query("DELETE FROM applications WHERE offer_id IN (SELECT id FROM offers WHERE example = 1)")
        .execute(&mut *tx)
        .await?;
    let removed = sqlx::query("DELETE FROM offers WHERE example = 1").execute(&mut *tx).await?.rows_affected();
    let user: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email_key = $1")
        .bind(DEMO_EMAIL)
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(user) = user {
        let owned = "SELECT organisation_id FROM memberships WHERE user_id = $1";
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM applications WHERE offer_id IN (SELECT id FROM offers WHERE organisation_id IN ({owned}))"
        )))
        .bind(user)
        .execute(&mut *tx)
        .await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM offers WHERE organisation_id IN ({owned})")))
            .bind(user)
            .execute(&mut *tx)
            .await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM invitations WHERE organisation_id IN ({owned})")))
            .bind(user)
            .execute(&mut *tx)
            .await?;
        // Moderation never touched these: they were created verified.
        let ids: Vec<i64> = sqlx::query_scalar(owned).bind(user).fetch_all(&mut *tx).await?;
        sqlx::query("DELETE FROM memberships WHERE user_id = $1").bind(user).execute(&mut *tx).await?;
        for id in ids {
            sqlx::query("DELETE FROM organisations WHERE id = $1").bind(id).execute(&mut *tx).await?;
        }
    }
    tx.commit().await?;
    Ok(removed as usize)
}

/// The example organisations: mairies of under-served communes (ZIP, then ZAC), maisons de
/// santé, medical centres and hospitals of the FINESS file.
async fn places(db: &Database, owner: i64, draw: &mut Draw) -> Result<Vec<Place>, sqlx::Error> {
    let pool = &db.pool;
    #[derive(sqlx::FromRow)]
    struct Commune {
        code: String,
        name: String,
    }
    table!(Commune, "communes");
    #[derive(sqlx::FromRow)]
    struct Structure {
        finess: String,
        name: String,
        kind: Code<StructureKind>,
        commune_code: String,
        commune: String,
    }
    table!(Structure, "health_structures");
    let communes = sqlx::query(
        "SELECT code, name FROM communes WHERE zonage IN ('ZIP', 'ZAC') AND population BETWEEN 800 AND 40000
         ORDER BY CASE zonage WHEN 'ZIP' THEN 0 ELSE 1 END, population DESC LIMIT 400",
    )
    .try_map(typed::<Commune>)
    .fetch_all(pool)
    .await?;
    let structures = sqlx::query(
        "SELECT h.finess, h.name, h.kind, h.commune_code, c.name AS commune FROM health_structures h
         JOIN communes c ON c.code = h.commune_code
         WHERE h.kind = 'msp'
            OR (h.kind = 'centre_sante' AND (upper(h.name) LIKE '%MEDIC%' OR upper(h.name) LIKE '%MÉDIC%'
                                             OR upper(h.name) LIKE '%POLYVALENT%'))
            OR (h.kind = 'etablissement_sante' AND h.category = 'Centre Hospitalier (C.H.)')
         ORDER BY h.finess",
    )
    .try_map(typed::<Structure>)
    .fetch_all(pool)
    .await?;

    let mut chosen: Vec<(String, &'static str, String, String, Option<String>)> = Vec::new();
    let mut seen_communes = std::collections::HashSet::new();
    for _ in 0..18 {
        if communes.is_empty() {
            break;
        }
        let Commune { code, name } = draw.pick(&communes);
        if seen_communes.insert(code.clone()) {
            chosen.push((format!("Mairie de {name}"), "commune", code.clone(), name.clone(), None));
        }
    }
    let mut seen_structures = std::collections::HashSet::new();
    for _ in 0..32 {
        if structures.is_empty() {
            break;
        }
        let structure = draw.pick(&structures);
        if !seen_structures.insert(structure.finess.clone()) {
            continue;
        }
        let kind = match structure.kind.0 {
            StructureKind::Msp => "msp",
            StructureKind::CentreSante => "centre_sante",
            StructureKind::Etablissement => "hopital",
        };
        let (commune, commune_name) = (structure.commune_code.clone(), structure.commune.clone());
        chosen.push((title_case(&structure.name), kind, commune, commune_name, Some(structure.finess.clone())));
    }

    let at = Clock::system().now();
    let mut tx = db.begin_write().await?;
    let mut places = Vec::new();
    for (name, kind, commune, commune_name, finess) in chosen {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO organisations (kind, name, commune_code, finess, status, created_by, created_at, updated_at, verified_at, example)
             VALUES ($1, $2, $3, $4, 'verifiee', $5, $6, $6, $6, 1) RETURNING id",
        )
        .bind(kind)
        .bind(name.clone())
        // Only communes and cabinets carry a commune; a structure is placed by its FINESS number.
        .bind((kind == "commune").then(|| commune.clone()))
        .bind(finess.clone())
        .bind(owner)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO memberships (organisation_id, user_id, role, created_at) VALUES ($1, $2, 'owner', $3)",
        )
        .bind(id)
        .bind(owner)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        places.push(Place { organisation: id, kind, name, commune, commune_name, finess });
    }
    tx.commit().await?;
    Ok(places)
}

/// "MAISON DE SANTÉ DE SALLES-CURAN" → "Maison De Santé De Salles-Curan", lower small words.
fn title_case(upper: &str) -> String {
    let small = ["de", "du", "des", "la", "le", "les", "et", "d", "l", "en", "sur"];
    upper
        .split(' ')
        .enumerate()
        .map(|(i, word)| {
            let lower = word.to_lowercase();
            if i > 0 && small.contains(&lower.as_str()) {
                return lower;
            }
            let upper_words = ["msp", "ch", "chu", "ehpad", "ssr"];
            if upper_words.contains(&lower.as_str()) {
                return word.to_uppercase();
            }
            lower
                .split('-')
                .map(|part| {
                    let mut chars = part.chars();
                    chars.next().map(|c| c.to_uppercase().chain(chars).collect::<String>()).unwrap_or_default()
                })
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One example offer at `place`, as the INSERT binds it.
struct Example {
    kind: OfferKind,
    mode: Option<OfferMode>,
    title: String,
    description: String,
    specialty: Specialty,
    start: Option<Day>,
    end: Option<Day>,
    days_per_week: Option<i64>,
    patient_count: Option<i64>,
    handover_plan: Option<String>,
    half_days: Option<(i64, i64)>,
    semester: Option<(Semester, i64)>,
    supervisors: Option<String>,
    faculty: Option<String>,
    pay: Pay,
    on_call: OnCall,
    secretariat: Secretariat,
    software: String,
    housing: Housing,
    practice_provided: bool,
    perks: Option<String>,
    /// Doctors in the team, the post included.
    team_size: Option<i64>,
}

/// A figure on a basis that has one: the examples' own figures always fit.
fn stated(kind: PayKind, min: i64, max: Option<i64>) -> Pay {
    Pay::new(kind, Some(min), max).expect("an example's pay fits its basis")
}

fn example(place: &Place, draw: &mut Draw, today: Day) -> Example {
    let kinds = [
        (OfferKind::Remplacement, 34),
        (OfferKind::Installation, 22),
        (OfferKind::Stage, 18),
        (OfferKind::Salariat, 14),
        (OfferKind::ExerciceMixte, 6),
        (OfferKind::Assistanat, 6),
    ];
    let mut roll = draw.below(100);
    let mut kind = OfferKind::Remplacement;
    for (candidate, weight) in kinds {
        if roll < weight {
            kind = candidate;
            break;
        }
        roll -= weight;
    }
    // Hospitals post salaried posts and assistanats; mairies and maisons de santé the rest.
    if place.name.starts_with("Centre Hospitalier") || place.name.starts_with("CH ") {
        kind = if draw.chance(70) { OfferKind::Salariat } else { OfferKind::Assistanat };
    }
    let specialty = if draw.chance(85) {
        Specialty::MedecineGenerale
    } else {
        *draw.pick(&[Specialty::Pediatrie, Specialty::Psychiatrie, Specialty::Gynecologie, Specialty::Geriatrie])
    };
    let town = &place.commune_name;
    let setting = if place.structure() { format!("à {}", place.name) } else { format!("à {town}") };
    let first_day = today.plus_days(draw.between(14, 200));
    let start = Some(first_day);
    let mut e = Example {
        kind,
        mode: kind.modes().first().copied(),
        title: String::new(),
        description: String::new(),
        specialty,
        start,
        end: None,
        days_per_week: None,
        patient_count: None,
        handover_plan: None,
        half_days: None,
        semester: None,
        supervisors: None,
        faculty: None,
        pay: Pay { kind: PayKind::ADiscuter, min: None, max: None },
        on_call: *draw.pick(OnCall::ALL),
        secretariat: *draw.pick(&[
            Secretariat::SurPlace,
            Secretariat::SurPlace,
            Secretariat::ADistance,
            Secretariat::Aucun,
        ]),
        software: draw.pick(&SOFTWARE).to_string(),
        housing: *draw.pick(&[Housing::Oui, Housing::Aide, Housing::Non]),
        practice_provided: draw.chance(40),
        perks: None,
        team_size: None,
    };
    let team = draw.between(2, 7);
    // A replacement in a town's own practice with the smallest team is one alone: the board's
    // "exercice en équipe" filter has both kinds to tell apart (no extra draw: the examples
    // stay those of earlier versions).
    let alone = kind == OfferKind::Remplacement && !place.structure() && team == 2;
    e.team_size = Some(if alone { 1 } else { team });
    match kind {
        OfferKind::Remplacement => {
            let regular = draw.chance(35);
            e.mode = Some(if regular { OfferMode::Regulier } else { OfferMode::Ponctuel });
            e.days_per_week = Some(draw.between(2, 5));
            e.end = (!regular).then(|| first_day.plus_days(draw.between(7, 45)));
            let low = draw.between(65, 80);
            e.pay = stated(PayKind::Retrocession, low, Some(low + 5).filter(|_| draw.chance(50)));
            e.title =
                if regular { format!("Remplacement régulier {setting}") } else { format!("Remplacement {setting}") };
            e.description = format!(
                "Nous cherchons un ou une médecin pour un remplacement {} {setting}, {}. \
                 Patientèle variée, consultations sur rendez-vous et quelques visites à domicile.\n\n\
                 Un premier pas idéal pour découvrir le territoire avant une éventuelle installation.",
                if regular { "régulier" } else { "ponctuel" },
                if alone {
                    "en cabinet individuel".to_owned()
                } else {
                    format!("dans une équipe de {team} médecins")
                }
            );
        }
        OfferKind::Installation => {
            let mode = *draw.pick(&[
                OfferMode::Succession,
                OfferMode::Association,
                OfferMode::Collaboration,
                OfferMode::Creation,
            ]);
            e.mode = Some(mode);
            // What to expect of the activity: the turnover of the practice handed over, the
            // honoraires of an associate or a collaborator, nothing said yet for a creation.
            // The draws are those of earlier versions, so the examples stay the same.
            e.pay = match mode {
                OfferMode::Association => stated(PayKind::Honoraires, 90_000 + team * 10_000, None),
                OfferMode::Collaboration => stated(PayKind::Honoraires, draw.between(70, 85) * 1_500, None),
                _ => Pay { kind: PayKind::ADiscuter, min: None, max: None },
            };
            if mode == OfferMode::Succession {
                let patients = draw.between(8, 18) * 100;
                e.patient_count = Some(patients);
                e.pay = stated(PayKind::ChiffreAffaires, patients * 150, None);
                e.handover_plan = Some(
                    "Six mois d'accompagnement en binôme avant le départ en retraite, présentation aux patients, \
                     reprise du bail du cabinet possible."
                        .to_owned(),
                );
            }
            if place.organisation % 2 == 0 {
                e.perks = Some(
                    "Aide à l'installation de la commune, cabinet rénové, école et collège à proximité.".to_owned(),
                );
            }
            e.title = format!(
                "{} {setting}",
                match mode {
                    OfferMode::Succession => "Succession d'un médecin généraliste",
                    OfferMode::Association => "Association en maison de santé",
                    OfferMode::Collaboration => "Collaboration libérale",
                    _ => "Création de cabinet",
                }
            );
            e.description = format!(
                "{setting}, {town} cherche un ou une médecin pour s'installer durablement. Équipe pluriprofessionnelle \
                 ({team} médecins, infirmières, kinésithérapeutes), projet de santé validé par l'ARS.\n\n\
                 Nous vous aidons dans les démarches : locaux, aides à l'installation, emploi du conjoint."
            );
        }
        OfferKind::Stage => {
            let mode = *draw.pick(&[OfferMode::Niveau1, OfferMode::Saspas, OfferMode::DocteurJunior]);
            e.mode = Some(mode);
            let semester = if draw.chance(50) { Semester::Mai } else { Semester::Novembre };
            let this_year: i64 = today.to_string()[..4].parse().unwrap_or(2026);
            e.semester = Some((semester, this_year + 1));
            e.start = None;
            e.supervisors = Some(format!("{} maîtres de stage universitaires agréés", draw.between(1, 3)));
            e.faculty = Some(
                if place.commune.starts_with("34")
                    || place.commune.starts_with("30")
                    || place.commune.starts_with("11")
                    || place.commune.starts_with("66")
                    || place.commune.starts_with("48")
                {
                    "Université de Montpellier".to_owned()
                } else {
                    "Université Toulouse III".to_owned()
                },
            );
            e.pay = stated(PayKind::Salaire, if mode == OfferMode::DocteurJunior { 3200 } else { 2100 }, None);
            e.housing = *draw.pick(&[Housing::Oui, Housing::Oui, Housing::Aide]);
            e.title = format!("{} {setting}", mode.label());
            e.description = format!(
                "Terrain de stage agréé {setting} : consultations supervisées, visites, participation à la vie de l'équipe \
                 ({team} médecins). Logement pour l'interne et indemnité de transport."
            );
        }
        OfferKind::Salariat | OfferKind::ExerciceMixte | OfferKind::Assistanat => {
            e.mode = kind.modes().first().copied();
            let low = draw.between(55, 75) * 100;
            e.pay = if kind == OfferKind::ExerciceMixte {
                stated(PayKind::RevenuGaranti, low, None)
            } else {
                stated(PayKind::Salaire, low, Some(low + 1000).filter(|_| draw.chance(60)))
            };
            if kind == OfferKind::ExerciceMixte {
                let liberal = draw.between(3, 7);
                e.half_days = Some((liberal, 10 - liberal));
            }
            e.title = format!(
                "{} {setting}",
                match kind {
                    OfferKind::Salariat => "Médecin salarié",
                    OfferKind::ExerciceMixte => "Exercice mixte libéral et salarié",
                    _ => "Poste d'assistant partagé",
                }
            );
            e.description = format!(
                "Poste {setting} au sein d'une équipe de {team} médecins. Temps plein ou temps partiel possible, \
                 protection sociale du salariat, formation continue prise en charge."
            );
        }
    }
    e
}

/// Creates the examples: `offers` offers over the example organisations, all published.
pub async fn seed(
    db: &Database,
    accounts: &Accounts,
    production: bool,
    offers: usize,
) -> Result<DemoReport, DemoError> {
    if production {
        return Err(DemoError::Production);
    }
    let communes: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM communes").fetch_one(&db.pool).await?;
    if communes == 0 {
        return Err(DemoError::NoReferenceData);
    }
    let replaced = clear(db).await?;
    let owner: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email_key = $1")
        .bind(DEMO_EMAIL)
        .fetch_optional(&db.pool)
        .await?;
    let owner = match owner {
        Some(id) => id,
        // A password nobody knows: the account exists only to own the examples.
        None => accounts.sign_up(DEMO_EMAIL, "Données d'exemple", &crate::accounts::secret::new_token()).await?,
    };
    let mut draw = Draw(0x6d65_6465_6369_6e73);
    let places = places(db, owner, &mut draw).await?;
    let today = Clock::system().today();
    let at = Clock::system().now();
    let mut tx = db.begin_write().await?;
    for i in 0..offers {
        let place = &places[i % places.len()];
        let e = example(place, &mut draw, today);
        let published = at - draw.between(0, 30 * 86_400);
        let expires = Day::of_unix(published).plus_days(DEFAULT_PUBLICATION_DAYS + 1).unix();
        sqlx::query(
            "INSERT INTO offers (organisation_id, kind, mode, title, description, specialty, commune_code, finess,
                 start_date, end_date, days_per_week, patient_count, handover_plan, half_days_liberal, half_days_salaried,
                 semester, semester_year, supervisors, faculty, transport, pay_kind, pay_min, pay_max, on_call, secretariat,
                 software, housing, practice_provided, equipment_provided, perks, team_size, status, example, created_by, created_at,
                 updated_at, published_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, NULL, $20, $21,
                 $22, $23, $24, $25, $26, $27, 0, $28, $29, 'publiee', 1, $30, $31, $31, $31, $32)",
        )
        .bind(place.organisation)
        .bind(e.kind.code())
        .bind(e.mode.map(OfferMode::code))
        .bind(e.title)
        .bind(e.description)
        .bind(e.specialty.code())
        .bind(place.commune.clone())
        .bind(place.finess.clone())
        .bind(e.start.map(|d| d.to_string()))
        .bind(e.end.map(|d| d.to_string()))
        .bind(e.days_per_week)
        .bind(e.patient_count)
        .bind(e.handover_plan)
        .bind(e.half_days.map(|h| h.0))
        .bind(e.half_days.map(|h| h.1))
        .bind(e.semester.map(|s| s.0.code()))
        .bind(e.semester.map(|s| s.1))
        .bind(e.supervisors)
        .bind(e.faculty)
        .bind(e.pay.kind.code())
        .bind(e.pay.min)
        .bind(e.pay.max)
        .bind(e.on_call.code())
        .bind(e.secretariat.code())
        .bind(e.software)
        .bind(e.housing.code())
        .bind(i64::from(e.practice_provided))
        .bind(e.perks)
        .bind(e.team_size)
        .bind(owner)
        .bind(published)
        .bind(expires)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    let (events, aids, pages) = around_the_offers(db, owner, &places, today).await?;
    let (stage_sites, reviews) = stage_sites(db, owner, &places, today).await?;
    let housing = housing(db, owner, &places, today).await?;
    Ok(DemoReport { organisations: places.len(), offers, events, aids, pages, stage_sites, housing, reviews, replaced })
}

/// `seed`, unless examples are already there (None then): the first run of the README's
/// command creates them, later runs keep them and what visitors did with them.
pub async fn seed_if_absent(
    db: &Database,
    accounts: &Accounts,
    production: bool,
    offers: usize,
) -> Result<Option<DemoReport>, DemoError> {
    let present: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM organisations WHERE example = 1")
        .fetch_one(&db.pool)
        .await?;
    match present {
        0 => seed(db, accounts, production, offers).await.map(Some),
        _ if production => Err(DemoError::Production),
        _ => Ok(None),
    }
}

/// What a territory publishes beside its offers, through the same services as its members:
/// an event at each of the first three places, two local aids and the territory page of the
/// first mairie. Returns how many events, aids and pages.
async fn around_the_offers(
    db: &Database,
    owner: i64,
    places: &[Place],
    today: Day,
) -> Result<(usize, usize, usize), DemoError> {
    let refused = |error: &dyn std::fmt::Display| DemoError::Refused(error.to_string());
    // The services only need an origin for the links of their mails, and these send none.
    let origin = "http://exemples.invalid".to_owned();
    let events = Events::new(db.clone(), origin.clone());
    let kinds = [
        ("journee_accueil", "Journée d'accueil des internes et des remplaçants"),
        ("job_dating", "Speed-dating médical : rencontrez l'équipe"),
        ("forum", "Forum de l'installation en médecine générale"),
    ];
    let mut event_count = 0;
    for (place, (kind, title)) in places.iter().zip(kinds) {
        let day = today.plus_days(21 + 14 * event_count as i64);
        let form = EventForm {
            kind: kind.to_owned(),
            titre: format!("{title} ({})", place.commune_name),
            description: format!(
                "Événement d'exemple, créé pour montrer le portail : {} présente le territoire, l'équipe et les \
                 postes ouverts, puis échange autour d'un repas avec les médecins et les internes.",
                place.name
            ),
            // As its organisers would name it: with its département, which no two share.
            commune: format!("{} ({})", place.commune_name, &place.commune[..2]),
            lieu: format!("Salle des fêtes, {}", place.commune_name),
            debut: format!("{day}T18:30"),
            fin: format!("{day}T21:00"),
            places: "40".to_owned(),
        };
        events.publish(owner, place.organisation, &form).await.map_err(|e| refused(&e))?;
        event_count += 1;
    }

    let mairies: Vec<&Place> = places.iter().filter(|place| !place.structure()).collect();
    let aids = Aids::new(db.clone());
    let local_aids = [
        (
            "Prime communale d'installation (exemple)",
            "financiere",
            "5000",
            "once",
            "5 000 € à l'installation",
            "installe_recent",
            "installation",
            "Aide d'exemple, créée pour montrer le portail : la commune verse une prime au médecin qui ouvre \
             un cabinet ou rejoint la maison de santé.",
        ),
        (
            "Logement gratuit pour les internes (exemple)",
            "logement",
            "",
            "none",
            "Logement meublé gratuit pendant le semestre",
            "interne,docteur_junior",
            "stage",
            "Aide d'exemple, créée pour montrer le portail : la commune prête un logement meublé aux internes \
             et aux docteurs juniors en stage sur son territoire.",
        ),
    ];
    let mut aid_count = 0;
    for (mairie, (name, category, amount, unit, amount_text, profiles, purpose, summary)) in
        mairies.iter().zip(local_aids)
    {
        let form = LocalAidForm {
            nom: name.to_owned(),
            categorie: category.to_owned(),
            montant: amount.to_owned(),
            unite: unit.to_owned(),
            montant_texte: amount_text.to_owned(),
            resume: summary.to_owned(),
            conditions: "Exemple : exercer au moins trois ans dans la commune.".to_owned(),
            zones: String::new(),
            profils: profiles.to_owned(),
            objets: purpose.to_owned(),
            exclusions: String::new(),
            engagement: String::new(),
            engagement_annees: String::new(),
            // A reserved domain (RFC 2606): the example has no real deliberation to cite.
            source: "https://deliberations.exemples.invalid/aide".to_owned(),
            debut: String::new(),
            fin: String::new(),
        };
        aids.publish(owner, mairie.organisation, &form).await.map_err(|e| refused(&e))?;
        aid_count += 1;
    }

    let mut page_count = 0;
    if let Some(mairie) = mairies.first() {
        let promotions = Promotions::new(db.clone(), origin);
        let town = &mairie.commune_name;
        let section = |text: &str| format!("Exemple : {text}");
        let content = PageContent {
            presentation: format!(
                "Cette page est un exemple, créé pour montrer le portail : elle montre comment la mairie de {town} \
                 peut présenter son territoire aux médecins, aux remplaçants et aux internes. Ses textes ne décrivent \
                 pas la commune réelle."
            ),
            sections: [
                (
                    Section::Ecoles,
                    "la commune dit ici quelles écoles, crèches et assistantes maternelles accueillent les enfants.",
                ),
                (
                    Section::Transports,
                    "la gare la plus proche, les lignes de bus et le temps de trajet vers la préfecture.",
                ),
                (
                    Section::EmploiConjoint,
                    "qui contacter pour l'emploi du conjoint, et les employeurs du bassin de vie.",
                ),
                (Section::Logement, "les logements que la commune peut proposer aux médecins et aux internes."),
            ]
            .into_iter()
            .map(|(code, text)| (code.code().to_owned(), section(text)))
            .collect(),
            video_url: String::new(),
            referent_id: None,
            referent_role: String::new(),
        };
        let (revision, problem) =
            promotions.save(owner, mairie.organisation, &content).await.map_err(|e| refused(&e))?;
        if let Some(problem) = problem {
            return Err(DemoError::Refused(problem.message().to_owned()));
        }
        promotions.publish(owner, mairie.organisation, revision).await.map_err(|e| refused(&e))?;
        page_count += 1;
    }
    Ok((event_count, aid_count, page_count))
}

/// General-practice stage sites at the first three maisons de santé or centres de santé (where
/// interns of general medicine do their ambulatory semesters), through the service their
/// members use, each with three published reviews. Returns how many sites and reviews.
async fn stage_sites(db: &Database, owner: i64, places: &[Place], today: Day) -> Result<(usize, usize), DemoError> {
    let stages = crate::stages::Stages::new(db.clone());
    let reviews = crate::reviews::Reviews::new(db.clone());
    let refused = |e: crate::reviews::ReviewError| DemoError::Refused(e.to_string());
    let mut review_count = 0;
    let faculty = |commune: &str| match &commune[..2] {
        // The départements of the Montpellier-Nîmes faculty; the others are Toulouse's.
        "11" | "30" | "34" | "48" | "66" => "montpellier_nimes",
        _ => "toulouse",
    };
    let shapes = [
        ("niveau1,saspas", "2", "consultations_seul,visites,enseignement"),
        ("niveau1", "1", "visites"),
        ("saspas,docteur_junior", "3", "consultations_seul,visites,gardes,enseignement"),
    ];
    let mut count = 0;
    let ambulatory = places.iter().filter(|p| matches!(p.kind, "msp" | "centre_sante"));
    for (place, (levels, capacity, activities)) in ambulatory.zip(shapes) {
        let form = StageSiteForm {
            nom: format!("{} (exemple)", place.name),
            commune: place.commune.clone(),
            specialite: "medecine_generale".to_owned(),
            faculte: faculty(&place.commune).to_owned(),
            niveaux: levels.to_owned(),
            places: capacity.to_owned(),
            // Not real people: the example names no one.
            maitres_de_stage: "Maître de stage A (exemple)\nMaître de stage B (exemple)".to_owned(),
            activites: activities.to_owned(),
            description: "Terrain de stage d'exemple, créé pour montrer le portail : la structure y présente son \
                          équipe, sa patientèle et l'organisation des journées de l'interne."
                .to_owned(),
        };
        let site =
            stages.declare(owner, place.organisation, &form).await.map_err(|e| DemoError::Refused(e.to_string()))?;
        // The place's example stage offers are the site's: as its members would choose it in
        // the offer's form.
        sqlx::query("UPDATE offers SET stage_site_id = $1 WHERE organisation_id = $2 AND kind = 'stage'")
            .bind(site)
            .bind(place.organisation)
            .execute(&db.pool)
            .await?;
        // Three past semesters of the examples' own account, each reviewed.
        let year = today.year();
        let said = [
            (
                "mai",
                year - 1,
                ["5", "4", "4", "5", "4", "4"],
                "Avis d'exemple : deux maîtres de stage très présents, des visites variées et une équipe qui intègre l'interne dès la première semaine.",
            ),
            (
                "novembre",
                year - 2,
                ["4", "5", "3", "4", "sans_objet", "3"],
                "Avis d'exemple : beaucoup d'autonomie en fin de semestre, des journées chargées l'hiver ; prévoir une voiture.",
            ),
            (
                "mai",
                year - 2,
                ["4", "4", "4", "5", "3", "4"],
                "Avis d'exemple : une patientèle rurale variée, de la pédiatrie et de la gériatrie, et du temps pour les traces d'apprentissage.",
            ),
        ];
        for (season, year, scores, text) in said {
            let semester = app::domain::reviews::SemesterForm {
                email: DEMO_EMAIL.to_owned(),
                semestre: season.to_owned(),
                annee: year.to_string(),
                ..Default::default()
            };
            reviews.confirm(owner, site, &semester).await.map_err(refused)?;
            let semester_id = reviews.last_semester(owner, site).await?;
            let form = app::domain::reviews::ReviewForm {
                semestre: semester_id.to_string(),
                encadrement: scores[0].to_owned(),
                autonomie: scores[1].to_owned(),
                diversite: scores[2].to_owned(),
                ambiance: scores[3].to_owned(),
                logement: scores[4].to_owned(),
                charge: scores[5].to_owned(),
                avis: text.to_owned(),
            };
            reviews.submit(owner, site, &form).await.map_err(refused)?;
            review_count += 1;
        }
        reviews.publish_examples(site).await?;
        count += 1;
    }
    Ok((count, review_count))
}

/// Housing for interns: a room or a studio from the first three mairies, and one beside each
/// of the example stage sites (the first three maisons or centres de santé), through the
/// service their members use. Returns how many.
async fn housing(db: &Database, owner: i64, places: &[Place], today: Day) -> Result<usize, DemoError> {
    let homes = crate::housing::Housing::new(db.clone());
    let from = today.month_start(1);
    let mairies = places.iter().filter(|p| !p.structure()).take(3);
    let ambulatory = places.iter().filter(|p| matches!(p.kind, "msp" | "centre_sante")).take(3);
    let shapes = [
        ("chambre", "Chambre meublée pour interne", "0", "Centre-bourg, près de la mairie"),
        ("studio", "Studio meublé pour interne", "280", "À cinq minutes à pied du centre"),
        ("colocation", "Maison des internes", "150", "Quartier de la gare"),
    ];
    let mut count = 0;
    for (i, place) in mairies.chain(ambulatory).enumerate() {
        let (kind, title, rent, area) = shapes[i % shapes.len()];
        let form = HousingForm {
            titre: format!("{title} (exemple)"),
            commune: place.commune.clone(),
            secteur: area.to_owned(),
            nature: kind.to_owned(),
            loyer: rent.to_owned(),
            meuble: "oui".to_owned(),
            du: from.to_string(),
            // Half of them for a semester, the others until withdrawn.
            au: if i % 2 == 0 { from.month_start(6).plus_days(-1).to_string() } else { String::new() },
            places: if kind == "colocation" { "3" } else { "1" }.to_owned(),
            // Nobody real: the example gives no one's number.
            contact: format!("{} — contact d'exemple, pas de vrai numéro", place.name),
            details: "Logement d'exemple, créé pour montrer le portail : l'organisation y précise l'équipement, \
                      les transports et les conditions."
                .to_owned(),
        };
        homes.publish(owner, place.organisation, &form).await.map_err(|e| DemoError::Refused(e.to_string()))?;
        count += 1;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structure_names_read_as_names() {
        assert_eq!(title_case("MAISON DE SANTÉ RURALE DE SALLES-CURAN"), "Maison de Santé Rurale de Salles-Curan");
        assert_eq!(title_case("MSP ST-GEORGES-DE-LUZENÇON"), "MSP St-Georges-De-Luzençon");
    }

    #[test]
    fn the_draws_are_the_same_every_run() {
        let (mut a, mut b) = (Draw(7), Draw(7));
        assert_eq!((0..5).map(|_| a.below(100)).collect::<Vec<_>>(), (0..5).map(|_| b.below(100)).collect::<Vec<_>>());
    }
}
