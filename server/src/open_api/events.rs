//! `/api/v1/evenements`: the events of verified organisations (journées d'accueil, job datings,
//! forums) not ended yet, soonest first; one event by its number, past or cancelled ones too.

use super::params::{Params, exact, integer, one_of, path_param, pattern, query, shapes};
use super::{ApiError, ApiState, Choix, MAX_ID, Page, RawQuery, choix, codes, iso_time};
use crate::events::records::{self, EventRecord, Listing};
use app::domain::events::{EventKind, paths};
use app::model::DepartementCode;
use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, ToSchema)]
pub struct Evenement {
    /// Stable identifier.
    pub id: i64,
    /// journee_accueil, job_dating or forum.
    #[serde(rename = "type")]
    pub kind: Choix,
    pub titre: String,
    /// Markdown, as the organisation wrote it.
    pub description: String,
    pub organisation: String,
    pub commune: CommuneEvenement,
    /// The address or the room.
    pub lieu: String,
    /// RFC 3339, UTC.
    pub debut: String,
    pub fin: String,
    pub places: i64,
    pub places_restantes: i64,
    pub annule: bool,
    /// The event's page (registration) and its iCalendar file.
    pub adresse: String,
    pub ical: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommuneEvenement {
    /// INSEE code.
    pub code: String,
    pub nom: String,
    pub departement: String,
}

fn event_of(state: &ApiState, e: EventRecord) -> Evenement {
    let places_restantes = e.places_left();
    Evenement {
        id: e.id,
        kind: choix(e.kind.0.code(), e.kind.0.label()),
        titre: e.title,
        description: e.description,
        organisation: e.organisation,
        commune: CommuneEvenement { code: e.commune_code, nom: e.commune, departement: e.departement_code },
        lieu: e.place,
        debut: iso_time(e.starts_at),
        fin: iso_time(e.ends_at),
        places: e.capacity,
        places_restantes,
        annule: e.cancelled_at.is_some(),
        adresse: format!("{}{}", state.public_url, paths::EVENT.of(e.id)),
        ical: format!("{}{}", state.public_url, paths::ICS.of(e.id)),
    }
}

pub struct EventFilters;

impl IntoParams for EventFilters {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let mut list = vec![
            query("departement", "Code du département de la commune de l'événement.", pattern(shapes::DEPARTEMENT)),
            query("type", "Sorte d'événement.", one_of(&codes(EventKind::ALL, |k| k.code()))),
        ];
        list.extend(super::params::paging_params());
        list
    }
}

fn filters(p: &Params) -> Result<(Option<String>, Option<EventKind>), ApiError> {
    let departement = p.read("departement", |v| {
        exact(v, DepartementCode::parse, |d| d.as_str().to_owned())
            .map(|d| d.as_str().to_owned())
            .ok_or_else(|| "un numéro de département est attendu (par exemple 12 ou 2A)".to_owned())
    })?;
    let kind = p.code("type", &codes(EventKind::ALL, |k| k.code()))?;
    Ok((departement, kind.as_deref().and_then(EventKind::from_code)))
}

/// The events not ended yet, soonest first (cancelled ones included, marked).
#[utoipa::path(
    get,
    path = "/api/v1/evenements",
    operation_id = "listEvenements",
    tag = "evenements",
    params(EventFilters),
    responses(
        (status = 200, description = "Les événements à venir ou en cours, du plus proche au plus lointain.", body = Page<Evenement>),
        (status = 400, description = "Un paramètre illisible.", body = super::Erreur),
    )
)]
pub async fn list(State(state): State<ApiState>, RawQuery(p): RawQuery) -> Result<Json<Page<Evenement>>, ApiError> {
    let (departement, kind) = filters(&p)?;
    let paging = p.paging()?;
    let listing =
        Listing::Upcoming { now: state.offers.clock().now(), departement: departement.as_deref(), commune: None, kind };
    let mut conn = state.db.pool.acquire().await?;
    let total = records::count(&mut conn, listing).await?;
    let found = records::list(&mut conn, listing, paging.limit(), paging.offset()).await?;
    let items = found.into_iter().map(|e| event_of(&state, e)).collect();
    Ok(Json(Page::new(items, total.max(0) as usize, paging, &state.link("/evenements", &p))))
}

path_param!(EventPath, "id", "Identifiant de l'événement.", integer(1, MAX_ID), 1);

/// One event by its identifier.
#[utoipa::path(
    get,
    path = "/api/v1/evenements/{id}",
    operation_id = "getEvenement",
    tag = "evenements",
    params(EventPath),
    responses(
        (status = 200, description = "L'événement, passé, annulé ou à venir.", body = Evenement),
        (status = 400, description = "Identifiant illisible.", body = super::Erreur),
        (status = 404, description = "Aucun événement n'a cet identifiant.", body = super::Erreur),
    )
)]
pub async fn one(State(state): State<ApiState>, Path(id): Path<String>) -> Result<Json<Evenement>, ApiError> {
    let id = super::identifier(&id)?;
    let mut conn = state.db.pool.acquire().await?;
    match records::one(&mut conn, id).await? {
        Some(event) => Ok(Json(event_of(&state, event))),
        None => Err(ApiError::not_found(format!("Aucun événement n'a l'identifiant {id}."))),
    }
}
