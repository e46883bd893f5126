//! `/api/v1/terrains-de-stage`: the open stage sites, where interns do their semesters, by
//! département then name; one site by its number (a withdrawn one is not found).

use super::params::{Params, exact, integer, one_of, path_param, pattern, query, shapes};
use super::{ApiError, ApiState, Choix, MAX_ID, Page, RawQuery, choix, codes};
use crate::stages::records::{self, Filter, StageSiteRecord};
use app::domain::offers::Specialty;
use app::domain::stages::{Faculty, StageLevel, paths};
use app::model::DepartementCode;
use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, ToSchema)]
pub struct TerrainDeStage {
    /// Stable identifier.
    pub id: i64,
    pub nom: String,
    /// The structure or practice that declared it.
    pub organisation: String,
    pub commune: CommuneTerrain,
    pub specialite: Choix,
    /// The faculty that approves it: montpellier_nimes or toulouse.
    pub faculte: Choix,
    /// niveau1, saspas, docteur_junior.
    pub niveaux: Vec<Choix>,
    /// Interns a semester.
    pub places: i64,
    /// The supervisors (maîtres de stage universitaires), as the site names them.
    pub maitres_de_stage: Vec<String>,
    /// consultations_seul, visites, gardes, enseignement.
    pub activites: Vec<Choix>,
    /// Markdown, as the organisation wrote it.
    pub description: String,
    /// The interns' reviews, once the site has three published: the mean of all their
    /// scores out of 5, and how many. Absent before.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avis: Option<AvisTerrain>,
    /// Demonstration data, not a real site.
    pub exemple: bool,
    /// The site's page.
    pub adresse: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AvisTerrain {
    /// Out of 5, one decimal.
    pub moyenne: f64,
    pub nombre: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommuneTerrain {
    /// INSEE code.
    pub code: String,
    pub nom: String,
    pub departement: String,
}

fn site_of(state: &ApiState, s: StageSiteRecord) -> TerrainDeStage {
    let avis = s.rating().map(|r| AvisTerrain { moyenne: (r.average * 10.0).round() / 10.0, nombre: r.reviews });
    TerrainDeStage {
        avis,
        id: s.id,
        maitres_de_stage: s.supervisors(),
        nom: s.name,
        organisation: s.organisation,
        commune: CommuneTerrain { code: s.commune_code, nom: s.commune, departement: s.departement_code },
        specialite: choix(s.specialty.0.code(), s.specialty.0.label()),
        faculte: choix(s.faculty.0.code(), s.faculty.0.label()),
        niveaux: s.levels.0.iter().map(|l| choix(l.code(), l.label())).collect(),
        places: s.capacity,
        activites: s.activities.0.iter().map(|a| choix(a.code(), a.label())).collect(),
        description: s.description,
        exemple: s.example.0,
        adresse: format!("{}{}", state.public_url, paths::SITE.of(s.id)),
    }
}

pub struct SiteFilters;

impl IntoParams for SiteFilters {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let mut list = vec![
            query("departement", "Code du département de la commune du terrain.", pattern(shapes::DEPARTEMENT)),
            query("faculte", "Faculté qui agrée le terrain.", one_of(&codes(Faculty::ALL, |f| f.code()))),
            query("niveau", "Niveau de stage accueilli.", one_of(&codes(StageLevel::ALL, |l| l.code()))),
            query("specialite", "Spécialité du stage.", one_of(&codes(Specialty::ALL, |s| s.code()))),
        ];
        list.extend(super::params::paging_params());
        list
    }
}

/// The filters of the query, read.
struct Read {
    departement: Option<String>,
    faculty: Option<Faculty>,
    level: Option<StageLevel>,
    specialty: Option<Specialty>,
}

fn filters(p: &Params) -> Result<Read, ApiError> {
    let departement = p.read("departement", |v| {
        exact(v, DepartementCode::parse, |d| d.as_str().to_owned())
            .map(|d| d.as_str().to_owned())
            .ok_or_else(|| "un numéro de département est attendu (par exemple 12 ou 2A)".to_owned())
    })?;
    let faculty = p.code("faculte", &codes(Faculty::ALL, |f| f.code()))?;
    let level = p.code("niveau", &codes(StageLevel::ALL, |l| l.code()))?;
    let specialty = p.code("specialite", &codes(Specialty::ALL, |s| s.code()))?;
    Ok(Read {
        specialty: specialty.as_deref().and_then(Specialty::from_code),
        departement,
        faculty: faculty.as_deref().and_then(Faculty::from_code),
        level: level.as_deref().and_then(StageLevel::from_code),
    })
}

/// The open stage sites, by département then name.
#[utoipa::path(
    get,
    path = "/api/v1/terrains-de-stage",
    operation_id = "listTerrainsDeStage",
    tag = "terrains-de-stage",
    params(SiteFilters),
    responses(
        (status = 200, description = "Les terrains de stage ouverts, par département puis par nom.", body = Page<TerrainDeStage>),
        (status = 400, description = "Un paramètre illisible.", body = super::Erreur),
    )
)]
pub async fn list(
    State(state): State<ApiState>,
    RawQuery(p): RawQuery,
) -> Result<Json<Page<TerrainDeStage>>, ApiError> {
    let read = filters(&p)?;
    let paging = p.paging()?;
    let filter = Filter {
        departement: read.departement.as_deref(),
        faculty: read.faculty,
        level: read.level,
        specialty: read.specialty,
    };
    let mut conn = state.db.pool.acquire().await?;
    let total = records::count_open(&mut conn, filter).await?;
    let found = records::open(&mut conn, filter, paging.limit(), paging.offset()).await?;
    let items = found.into_iter().map(|s| site_of(&state, s)).collect();
    Ok(Json(Page::new(items, total.max(0) as usize, paging, &state.link("/terrains-de-stage", &p))))
}

path_param!(SitePath, "id", "Identifiant du terrain de stage.", integer(1, MAX_ID), 1);

/// One open stage site by its identifier.
#[utoipa::path(
    get,
    path = "/api/v1/terrains-de-stage/{id}",
    operation_id = "getTerrainDeStage",
    tag = "terrains-de-stage",
    params(SitePath),
    responses(
        (status = 200, description = "Le terrain de stage.", body = TerrainDeStage),
        (status = 400, description = "Identifiant illisible.", body = super::Erreur),
        (status = 404, description = "Aucun terrain de stage ouvert n'a cet identifiant.", body = super::Erreur),
    )
)]
pub async fn one(State(state): State<ApiState>, Path(id): Path<String>) -> Result<Json<TerrainDeStage>, ApiError> {
    let id = super::identifier(&id)?;
    let mut conn = state.db.pool.acquire().await?;
    match records::one(&mut conn, id).await?.filter(|s| s.withdrawn_at.is_none()) {
        Some(site) => Ok(Json(site_of(&state, site))),
        None => Err(ApiError::not_found(format!("Aucun terrain de stage ouvert n'a l'identifiant {id}."))),
    }
}
