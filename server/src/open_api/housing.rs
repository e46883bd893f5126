//! `/api/v1/logements-internes`: the housing for interns open today, by département, commune
//! then title; one by its number (a withdrawn or ended one is not found). Public fields only:
//! never the contact, which the portal shows to signed-in people, and no address (the portal
//! holds none).

use super::params::{Params, exact, integer, path_param, pattern, query, shapes};
use super::{ApiError, ApiState, Choix, MAX_ID, Page, RawQuery, choix};
use crate::housing::records::{self, HousingRecord};
use app::domain::housing::paths;
use app::model::DepartementCode;
use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, ToSchema)]
pub struct LogementInterne {
    /// Stable identifier.
    pub id: i64,
    pub titre: String,
    /// The collectivité, structure or practice that offers it.
    pub organisation: String,
    pub commune: CommuneLogement,
    /// Quarter, hamlet or distance to a landmark: never the exact address.
    pub secteur: String,
    /// chambre, studio, appartement, colocation.
    pub nature: Choix,
    /// Euros a month, charges included; 0 when free.
    pub loyer: i64,
    pub meuble: bool,
    /// Available from (YYYY-MM-DD).
    pub du: String,
    /// Available until (YYYY-MM-DD); absent when open-ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub au: Option<String>,
    /// Interns it takes.
    pub places: i64,
    /// Markdown, as the organisation wrote it; may be empty.
    pub precisions: String,
    /// Demonstration data, not a real housing.
    pub exemple: bool,
    /// The housing's page (who to contact, once signed in).
    pub adresse: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommuneLogement {
    /// INSEE code.
    pub code: String,
    pub nom: String,
    pub departement: String,
}

fn housing_of(state: &ApiState, h: HousingRecord) -> LogementInterne {
    LogementInterne {
        id: h.id,
        titre: h.title,
        organisation: h.organisation,
        commune: CommuneLogement { code: h.commune_code, nom: h.commune, departement: h.departement_code },
        secteur: h.area,
        nature: choix(h.kind.0.code(), h.kind.0.label()),
        loyer: h.rent,
        meuble: h.furnished.0,
        du: h.available_from.0.to_string(),
        au: h.available_until.map(|d| d.0.to_string()),
        places: h.places,
        precisions: h.details,
        exemple: h.example.0,
        adresse: format!("{}{}", state.public_url, paths::HOUSING.of(h.id)),
    }
}

pub struct HousingFilters;

impl IntoParams for HousingFilters {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let mut list =
            vec![query("departement", "Code du département de la commune du logement.", pattern(shapes::DEPARTEMENT))];
        list.extend(super::params::paging_params());
        list
    }
}

fn departement(p: &Params) -> Result<Option<String>, ApiError> {
    p.read("departement", |v| {
        exact(v, DepartementCode::parse, |d| d.as_str().to_owned())
            .map(|d| d.as_str().to_owned())
            .ok_or_else(|| "un numéro de département est attendu (par exemple 12 ou 2A)".to_owned())
    })
}

/// The housing for interns open today, by département, commune then title.
#[utoipa::path(
    get,
    path = "/api/v1/logements-internes",
    operation_id = "listLogementsInternes",
    tag = "logements-internes",
    params(HousingFilters),
    responses(
        (status = 200, description = "Les logements pour internes proposés aujourd'hui, par département, commune puis titre.", body = Page<LogementInterne>),
        (status = 400, description = "Un paramètre illisible.", body = super::Erreur),
    )
)]
pub async fn list(
    State(state): State<ApiState>,
    RawQuery(p): RawQuery,
) -> Result<Json<Page<LogementInterne>>, ApiError> {
    let departement = departement(&p)?;
    let paging = p.paging()?;
    let today = state.offers.clock().today();
    let mut conn = state.db.pool.acquire().await?;
    let total = records::count_open(&mut conn, today, departement.as_deref()).await?;
    let found = records::open(&mut conn, today, departement.as_deref(), paging.limit(), paging.offset()).await?;
    let items = found.into_iter().map(|h| housing_of(&state, h)).collect();
    Ok(Json(Page::new(items, total.max(0) as usize, paging, &state.link("/logements-internes", &p))))
}

path_param!(HousingPath, "id", "Identifiant du logement.", integer(1, MAX_ID), 1);

/// One housing for interns open today, by its identifier.
#[utoipa::path(
    get,
    path = "/api/v1/logements-internes/{id}",
    operation_id = "getLogementInterne",
    tag = "logements-internes",
    params(HousingPath),
    responses(
        (status = 200, description = "Le logement.", body = LogementInterne),
        (status = 400, description = "Identifiant illisible.", body = super::Erreur),
        (status = 404, description = "Aucun logement proposé aujourd'hui n'a cet identifiant.", body = super::Erreur),
    )
)]
pub async fn one(State(state): State<ApiState>, Path(id): Path<String>) -> Result<Json<LogementInterne>, ApiError> {
    let id = super::identifier(&id)?;
    let today = state.offers.clock().today();
    let mut conn = state.db.pool.acquire().await?;
    match records::one(&mut conn, id).await?.filter(|h| !h.closed(today)) {
        Some(housing) => Ok(Json(housing_of(&state, housing))),
        None => Err(ApiError::not_found(format!("Aucun logement pour internes proposé n'a l'identifiant {id}."))),
    }
}
