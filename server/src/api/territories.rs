//! `/api/v1/regions`, `/departements`, `/epci`, `/communes`: the territories of the reference
//! data (INSEE codes and SIREN as identifiers), with the ARS zoning and the DREES APL.

use super::params::{Params, exact, integer, one_of, path_param, pattern, query, shapes};
use super::{ApiError, ApiState, Page, RawQuery, codes};
use app::api::territory::paths;
use app::model::{DepartementCode, InseeCode, Siren, Zonage};
use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, ToSchema)]
pub struct Region {
    #[schema(example = "76")]
    pub code: String,
    pub nom: String,
    pub population: i64,
    pub adresse: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Departement {
    #[schema(example = "12")]
    pub code: String,
    pub nom: String,
    /// Code of its region.
    pub region: String,
    pub population: i64,
    /// Its communes in the portal's data.
    pub communes: i64,
    pub adresse: String,
}

/// An intercommunalité (EPCI à fiscalité propre).
#[derive(Debug, Serialize, ToSchema)]
pub struct Epci {
    #[schema(example = "200067213")]
    pub siren: String,
    pub nom: String,
    /// CC, CA, CU or métropole, as INSEE writes it.
    #[serde(rename = "type")]
    pub kind: String,
    pub population: i64,
    /// Its communes in the portal's data.
    pub communes: i64,
    /// The départements of its communes.
    pub departements: Vec<String>,
    pub adresse: String,
}

/// DREES' accessibilité potentielle localisée to general practitioners, one year.
#[derive(Debug, Serialize, ToSchema)]
pub struct Apl {
    pub annee: i64,
    /// Consultations a year per inhabitant (standardised by age).
    pub apl: f64,
    /// The same, counting only general practitioners under 65.
    pub apl_moins_de_65_ans: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Commune {
    /// INSEE code.
    #[schema(example = "12202")]
    pub code: String,
    pub nom: String,
    pub departement: String,
    /// SIREN of its EPCI; null for the few communes outside any.
    pub epci: Option<String>,
    pub codes_postaux: Vec<String>,
    pub population: i64,
    /// WGS84 degrees, of the town centre.
    pub latitude: f64,
    pub longitude: f64,
    pub superficie_km2: f64,
    /// ARS zoning for general practitioners: ZIP, ZAC or ZAR; null when not listed.
    pub zonage: Option<String>,
    /// Oldest year first.
    pub apl: Vec<Apl>,
    pub adresse: String,
}

fn url(state: &ApiState, path: String) -> String {
    format!("{}{path}", state.public_url)
}

fn departement_code(p: &Params, name: &str) -> Result<Option<String>, ApiError> {
    p.read(name, |v| {
        exact(v, DepartementCode::parse, |d| d.as_str().to_owned())
            .map(|d| d.as_str().to_owned())
            .ok_or_else(|| "un numéro de département est attendu (par exemple 12 ou 2A)".to_owned())
    })
}

fn count(row: &AnyRow) -> Result<usize, sqlx::Error> {
    Ok(usize::try_from(row.try_get::<i64, _>(0)?).unwrap_or(0))
}

/// The regions of the portal.
#[utoipa::path(
    get,
    path = "/api/v1/regions",
    tag = "territoires",
    params(Paged),
    responses(
        (status = 200, description = "Les régions.", body = Page<Region>),
        (status = 400, description = "Pagination illisible.", body = super::Erreur),
    )
)]
pub async fn regions(State(state): State<ApiState>, RawQuery(p): RawQuery) -> Result<Json<Page<Region>>, ApiError> {
    let paging = p.paging()?;
    let rows =
        sqlx::query("SELECT code, name, slug, population FROM regions ORDER BY code").fetch_all(&state.db.pool).await?;
    let all = rows
        .iter()
        .map(|r| {
            let code: String = r.try_get(0)?;
            Ok(Region {
                adresse: url(&state, paths::region(&code, &r.try_get::<String, _>(2)?)),
                code,
                nom: r.try_get(1)?,
                population: r.try_get(3)?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Json(Page::of_all(all, paging, &state.link("/regions", &p))))
}

/// Only `page` and `par_page`.
pub struct Paged;

impl IntoParams for Paged {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        super::params::paging_params()
    }
}

pub struct DepartementFilters;

impl IntoParams for DepartementFilters {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let mut list = vec![query("region", "Code de la région.", pattern(shapes::REGION))];
        list.extend(super::params::paging_params());
        list
    }
}

const DEPARTEMENT: &str = "SELECT d.code, d.name, d.slug, d.region_code, d.population,
        (SELECT CAST(COUNT(*) AS BIGINT) FROM communes c WHERE c.departement_code = d.code)
    FROM departements d";

fn departement_of(state: &ApiState, r: &AnyRow) -> Result<Departement, sqlx::Error> {
    let code: String = r.try_get(0)?;
    Ok(Departement {
        adresse: url(state, paths::departement(&code, &r.try_get::<String, _>(2)?)),
        code,
        nom: r.try_get(1)?,
        region: r.try_get(3)?,
        population: r.try_get(4)?,
        communes: r.try_get(5)?,
    })
}

/// The départements, of one region or all.
#[utoipa::path(
    get,
    path = "/api/v1/departements",
    tag = "territoires",
    params(DepartementFilters),
    responses(
        (status = 200, description = "Les départements, par code.", body = Page<Departement>),
        (status = 400, description = "Un paramètre illisible.", body = super::Erreur),
    )
)]
pub async fn departements(
    State(state): State<ApiState>,
    RawQuery(p): RawQuery,
) -> Result<Json<Page<Departement>>, ApiError> {
    let region = p.read("region", |v| match v.len() == 2 && v.bytes().all(|b| b.is_ascii_digit()) {
        true => Ok(v.to_owned()),
        false => Err("un code de région à deux chiffres est attendu (par exemple 76)".to_owned()),
    })?;
    let paging = p.paging()?;
    let rows = match &region {
        Some(region) => {
            let sql = format!("{DEPARTEMENT} WHERE d.region_code = $1 ORDER BY d.code");
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(region.clone()).fetch_all(&state.db.pool).await?
        }
        None => {
            let sql = format!("{DEPARTEMENT} ORDER BY d.code");
            sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&state.db.pool).await?
        }
    };
    let all = rows.iter().map(|r| departement_of(&state, r)).collect::<Result<Vec<_>, _>>()?;
    Ok(Json(Page::of_all(all, paging, &state.link("/departements", &p))))
}

path_param!(DepartementPath, "code", "Code du département.", pattern(shapes::DEPARTEMENT), "12");
path_param!(EpciPath, "siren", "Numéro SIREN de l'intercommunalité.", pattern(shapes::SIREN), "241200187");
path_param!(CommunePath, "code", "Code INSEE de la commune.", pattern(shapes::INSEE), "12202");

/// One département by its code.
#[utoipa::path(
    get,
    path = "/api/v1/departements/{code}",
    tag = "territoires",
    params(DepartementPath),
    responses(
        (status = 200, description = "Le département.", body = Departement),
        (status = 400, description = "Code illisible.", body = super::Erreur),
        (status = 404, description = "Aucun département du portail n'a ce code.", body = super::Erreur),
    )
)]
pub async fn departement(
    State(state): State<ApiState>,
    Path(code): Path<String>,
) -> Result<Json<Departement>, ApiError> {
    let Some(code) = exact(&code, DepartementCode::parse, |d| d.as_str().to_owned()) else {
        return Err(ApiError::bad(format!("« {code} » n'est pas un numéro de département (par exemple 12 ou 2A)")));
    };
    let sql = format!("{DEPARTEMENT} WHERE d.code = $1");
    match sqlx::query(sqlx::AssertSqlSafe(sql)).bind(code.as_str().to_owned()).fetch_optional(&state.db.pool).await? {
        Some(row) => Ok(Json(departement_of(&state, &row)?)),
        None => Err(ApiError::not_found(format!("Aucun département du portail n'a le code {}.", code.as_str()))),
    }
}

pub struct EpciFilters;

impl IntoParams for EpciFilters {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let mut list = vec![query(
            "departement",
            "Les intercommunalités ayant une commune dans ce département.",
            pattern(shapes::DEPARTEMENT),
        )];
        list.extend(super::params::paging_params());
        list
    }
}

const EPCI: &str = "SELECT e.siren, e.name, e.slug, e.kind, e.population_municipale,
        (SELECT CAST(COUNT(*) AS BIGINT) FROM communes c WHERE c.epci_siren = e.siren)
    FROM epcis e";

async fn epci_of(state: &ApiState, r: &AnyRow) -> Result<Epci, sqlx::Error> {
    let siren: String = r.try_get(0)?;
    let departements: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT departement_code FROM communes WHERE epci_siren = $1 ORDER BY departement_code",
    )
    .bind(siren.clone())
    .fetch_all(&state.db.pool)
    .await?;
    Ok(Epci {
        adresse: url(state, paths::epci(&siren, &r.try_get::<String, _>(2)?)),
        siren,
        nom: r.try_get(1)?,
        kind: r.try_get(3)?,
        population: r.try_get(4)?,
        communes: r.try_get(5)?,
        departements,
    })
}

/// The intercommunalités, of one département or all, by name.
#[utoipa::path(
    get,
    path = "/api/v1/epci",
    tag = "territoires",
    params(EpciFilters),
    responses(
        (status = 200, description = "Les intercommunalités, par nom.", body = Page<Epci>),
        (status = 400, description = "Un paramètre illisible.", body = super::Erreur),
    )
)]
pub async fn epcis(State(state): State<ApiState>, RawQuery(p): RawQuery) -> Result<Json<Page<Epci>>, ApiError> {
    let departement = departement_code(&p, "departement")?;
    let paging = p.paging()?;
    let filter =
        "WHERE ($1 = '' OR EXISTS (SELECT 1 FROM communes c WHERE c.epci_siren = e.siren AND c.departement_code = $1))";
    let dep = departement.unwrap_or_default();
    let total = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT CAST(COUNT(*) AS BIGINT) FROM epcis e {filter}")))
        .bind(dep.clone())
        .fetch_one(&state.db.pool)
        .await?;
    let sql = format!("{EPCI} {filter} ORDER BY e.name, e.siren LIMIT $2 OFFSET $3");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(dep)
        .bind(paging.limit())
        .bind(paging.offset())
        .fetch_all(&state.db.pool)
        .await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in &rows {
        items.push(epci_of(&state, row).await?);
    }
    Ok(Json(Page::new(items, count(&total)?, paging, &state.link("/epci", &p))))
}

/// One intercommunalité by its SIREN.
#[utoipa::path(
    get,
    path = "/api/v1/epci/{siren}",
    tag = "territoires",
    params(EpciPath),
    responses(
        (status = 200, description = "L'intercommunalité.", body = Epci),
        (status = 400, description = "SIREN illisible.", body = super::Erreur),
        (status = 404, description = "Aucune intercommunalité du portail n'a ce SIREN.", body = super::Erreur),
    )
)]
pub async fn epci(State(state): State<ApiState>, Path(siren): Path<String>) -> Result<Json<Epci>, ApiError> {
    let Some(siren) = exact(&siren, Siren::parse, |s| s.as_str().to_owned()) else {
        return Err(ApiError::bad(format!("« {siren} » n'est pas un numéro SIREN (9 chiffres)")));
    };
    let sql = format!("{EPCI} WHERE e.siren = $1");
    match sqlx::query(sqlx::AssertSqlSafe(sql)).bind(siren.as_str().to_owned()).fetch_optional(&state.db.pool).await? {
        Some(row) => Ok(Json(epci_of(&state, &row).await?)),
        None => {
            Err(ApiError::not_found(format!("Aucune intercommunalité du portail n'a le SIREN {}.", siren.as_str())))
        }
    }
}

pub struct CommuneFilters;

impl IntoParams for CommuneFilters {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let mut list = vec![
            query("departement", "Code du département.", pattern(shapes::DEPARTEMENT)),
            query("epci", "SIREN de l'intercommunalité.", pattern(shapes::SIREN)),
            query("zonage", "Zonage médecins de l'ARS.", one_of(&codes(&Zonage::ALL, |z| z.code()))),
            query("population_min", "Population municipale minimale.", integer(0, 100_000_000)),
        ];
        list.extend(super::params::paging_params());
        list
    }
}

const COMMUNE: &str = "SELECT code, name, slug, departement_code, epci_siren, postal_codes, population, lat, lon,
        surface_km2, zonage FROM communes";

/// The APL years of `codes`, oldest first, by commune.
async fn apl_of(
    state: &ApiState,
    codes: &[String],
) -> Result<std::collections::HashMap<String, Vec<Apl>>, sqlx::Error> {
    let mut out: std::collections::HashMap<String, Vec<Apl>> = std::collections::HashMap::new();
    if codes.is_empty() {
        return Ok(out);
    }
    let placeholders: Vec<String> = (1..=codes.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT commune_code, year, apl, apl_under65 FROM apl WHERE commune_code IN ({}) ORDER BY commune_code, year",
        placeholders.join(", ")
    );
    let mut select = sqlx::query(sqlx::AssertSqlSafe(sql));
    for code in codes {
        select = select.bind(code.clone());
    }
    for r in select.fetch_all(&state.db.pool).await? {
        out.entry(r.try_get(0)?).or_default().push(Apl {
            annee: r.try_get(1)?,
            apl: r.try_get(2)?,
            apl_moins_de_65_ans: r.try_get(3)?,
        });
    }
    Ok(out)
}

fn commune_of(state: &ApiState, r: &AnyRow, apl: Vec<Apl>) -> Result<Commune, sqlx::Error> {
    let code: String = r.try_get(0)?;
    let postal: String = r.try_get(5)?;
    Ok(Commune {
        adresse: url(state, paths::commune(&code, &r.try_get::<String, _>(2)?)),
        code,
        nom: r.try_get(1)?,
        departement: r.try_get(3)?,
        epci: r.try_get(4)?,
        codes_postaux: postal.split(';').filter(|c| !c.is_empty()).map(str::to_owned).collect(),
        population: r.try_get(6)?,
        latitude: r.try_get(7)?,
        longitude: r.try_get(8)?,
        superficie_km2: r.try_get(9)?,
        zonage: r.try_get(10)?,
        apl,
    })
}

/// The communes, filtered, by INSEE code.
#[utoipa::path(
    get,
    path = "/api/v1/communes",
    tag = "territoires",
    params(CommuneFilters),
    responses(
        (status = 200, description = "Les communes, par code INSEE.", body = Page<Commune>),
        (status = 400, description = "Un paramètre illisible.", body = super::Erreur),
    )
)]
pub async fn communes(State(state): State<ApiState>, RawQuery(p): RawQuery) -> Result<Json<Page<Commune>>, ApiError> {
    let departement = departement_code(&p, "departement")?.unwrap_or_default();
    let epci = p
        .read("epci", |v| {
            exact(v, Siren::parse, |s| s.as_str().to_owned())
                .map(|s| s.as_str().to_owned())
                .ok_or_else(|| "un numéro SIREN de 9 chiffres est attendu".to_owned())
        })?
        .unwrap_or_default();
    let zonage = p.code("zonage", &codes(&Zonage::ALL, |z| z.code()))?.unwrap_or_default();
    let population = p.number("population_min", 0, 100_000_000)?.unwrap_or(0) as i64;
    let paging = p.paging()?;
    let filter = "WHERE ($1 = '' OR departement_code = $1) AND ($2 = '' OR epci_siren = $2)
        AND ($3 = '' OR zonage = $3) AND population >= $4";
    let total = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT CAST(COUNT(*) AS BIGINT) FROM communes {filter}")))
        .bind(departement.clone())
        .bind(epci.clone())
        .bind(zonage.clone())
        .bind(population)
        .fetch_one(&state.db.pool)
        .await?;
    let sql = format!("{COMMUNE} {filter} ORDER BY code LIMIT $5 OFFSET $6");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(departement)
        .bind(epci)
        .bind(zonage)
        .bind(population)
        .bind(paging.limit())
        .bind(paging.offset())
        .fetch_all(&state.db.pool)
        .await?;
    let codes: Vec<String> = rows.iter().map(|r| r.try_get(0)).collect::<Result<_, _>>()?;
    let mut apl = apl_of(&state, &codes).await?;
    let items = rows
        .iter()
        .zip(&codes)
        .map(|(r, code)| commune_of(&state, r, apl.remove(code).unwrap_or_default()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Json(Page::new(items, count(&total)?, paging, &state.link("/communes", &p))))
}

/// One commune by its INSEE code.
#[utoipa::path(
    get,
    path = "/api/v1/communes/{code}",
    tag = "territoires",
    params(CommunePath),
    responses(
        (status = 200, description = "La commune.", body = Commune),
        (status = 400, description = "Code illisible.", body = super::Erreur),
        (status = 404, description = "Aucune commune du portail n'a ce code.", body = super::Erreur),
    )
)]
pub async fn commune(State(state): State<ApiState>, Path(code): Path<String>) -> Result<Json<Commune>, ApiError> {
    let Some(code) = exact(&code, InseeCode::parse, |c| c.as_str().to_owned()) else {
        return Err(ApiError::bad(format!(
            "« {code} » n'est pas un code INSEE de commune (5 caractères, par exemple 12202)"
        )));
    };
    let code = code.as_str().to_owned();
    let sql = format!("{COMMUNE} WHERE code = $1");
    let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(code.clone()).fetch_optional(&state.db.pool).await?
    else {
        return Err(ApiError::not_found(format!("Aucune commune du portail n'a le code INSEE {code}.")));
    };
    let apl = apl_of(&state, std::slice::from_ref(&code)).await?.remove(&code).unwrap_or_default();
    Ok(Json(commune_of(&state, &row, apl)?))
}
