//! `/api/v1/regions`, `/departements`, `/epci`, `/communes`: the territories of the reference
//! data (INSEE codes and SIREN as identifiers), with the ARS zoning and the DREES APL.

use super::params::{Params, exact, integer, one_of, path_param, pattern, query, shapes};
use super::{ApiError, ApiState, Page, RawQuery, codes};
use crate::territory::records::{self, CommuneFilter, CommuneRecord, DepartementRecord, EpciRecord};
use app::domain::territory::paths;
use app::model::{DepartementCode, InseeCode, Siren, Zonage};
use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
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

fn count(total: i64) -> usize {
    usize::try_from(total).unwrap_or(0)
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
    let all = records::regions(&state.db)
        .await?
        .into_iter()
        .map(|r| Region {
            adresse: url(&state, paths::region(&r.code, &r.slug)),
            code: r.code,
            nom: r.name,
            population: r.population,
        })
        .collect();
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

fn departement_of(state: &ApiState, d: DepartementRecord) -> Departement {
    Departement {
        adresse: url(state, paths::departement(&d.code, &d.slug)),
        code: d.code,
        nom: d.name,
        region: d.region_code,
        population: d.population,
        communes: d.communes,
    }
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
    let found = records::departements(&state.db, region.as_deref()).await?;
    let all = found.into_iter().map(|d| departement_of(&state, d)).collect();
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
        return Err(ApiError::bad(format!("« {code} » n'est pas un numéro de département (par exemple 12 ou 2A)")));
    };
    match records::departement(&state.db, code.as_str()).await? {
        Some(found) => Ok(Json(departement_of(&state, found))),
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

fn epci_of(state: &ApiState, e: EpciRecord) -> Epci {
    Epci {
        adresse: url(state, paths::epci(&e.siren, &e.slug)),
        departements: e.departements,
        kind: e.kind.0.code().to_owned(),
        siren: e.siren,
        nom: e.name,
        population: e.population_municipale,
        communes: e.communes,
    }
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
    let (found, total) = records::epcis(&state.db, departement.as_deref(), paging.limit(), paging.offset()).await?;
    let items = found.into_iter().map(|e| epci_of(&state, e)).collect();
    Ok(Json(Page::new(items, count(total), paging, &state.link("/epci", &p))))
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
        return Err(ApiError::bad(format!("« {siren} » n'est pas un numéro SIREN (9 chiffres)")));
    };
    match records::epci(&state.db, siren.as_str()).await? {
        Some(found) => Ok(Json(epci_of(&state, found))),
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

fn commune_of(state: &ApiState, c: CommuneRecord, apl: Vec<records::AplRecord>) -> Commune {
    Commune {
        adresse: url(state, paths::commune(&c.code, &c.slug)),
        codes_postaux: c.postal_codes.split(';').filter(|p| !p.is_empty()).map(str::to_owned).collect(),
        code: c.code,
        nom: c.name,
        departement: c.departement_code,
        epci: c.epci_siren,
        population: c.population,
        latitude: c.lat,
        longitude: c.lon,
        superficie_km2: c.surface_km2,
        zonage: c.zonage.map(|z| z.0.code().to_owned()),
        apl: apl.into_iter().map(|a| Apl { annee: a.year, apl: a.apl, apl_moins_de_65_ans: a.apl_under65 }).collect(),
    }
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
    let zonage = p.code("zonage", &codes(&Zonage::ALL, |z| z.code()))?.as_deref().and_then(Zonage::from_code);
    let population_min = p.number("population_min", 0, 100_000_000)?.unwrap_or(0) as i64;
    let paging = p.paging()?;
    let filter = CommuneFilter { departement, epci, zonage, population_min };
    let (found, total) = records::communes(&state.db, &filter, paging.limit(), paging.offset()).await?;
    let codes: Vec<String> = found.iter().map(|c| c.code.clone()).collect();
    let mut apl = records::apl_of(&state.db, &codes).await?;
    let items = found
        .into_iter()
        .map(|c| {
            let years = apl.remove(&c.code).unwrap_or_default();
            commune_of(&state, c, years)
        })
        .collect();
    Ok(Json(Page::new(items, count(total), paging, &state.link("/communes", &p))))
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
            "« {code} » n'est pas un code INSEE de commune (5 caractères, par exemple 12202)"
        )));
    };
    let code = code.as_str().to_owned();
    let Some(found) = records::commune(&state.db, &code).await? else {
        return Err(ApiError::not_found(format!("Aucune commune du portail n'a le code INSEE {code}.")));
    };
    let apl = records::apl_of(&state.db, std::slice::from_ref(&code)).await?.remove(&code).unwrap_or_default();
    Ok(Json(commune_of(&state, found, apl)))
}
