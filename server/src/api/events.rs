//! `/api/v1/evenements`: the events of verified organisations (journées d'accueil, job datings,
//! forums) not ended yet, soonest first; one event by its number, past or cancelled ones too.

use super::params::{Params, exact, integer, one_of, path_param, pattern, query, shapes};
use super::{ApiError, ApiState, Choix, MAX_ID, Page, RawQuery, choix, codes, iso_time};
use app::api::event::{EventKind, paths};
use app::model::DepartementCode;
use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
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

const EVENT: &str = "SELECT e.id, e.kind, e.title, e.description, o.name, c.code, c.name, c.departement_code, e.place,
        e.starts_at, e.ends_at, e.capacity, e.cancelled_at,
        (SELECT CAST(COUNT(*) AS BIGINT) FROM event_registrations r WHERE r.event_id = e.id AND r.status = 'inscrit')
    FROM events e JOIN organisations o ON o.id = e.organisation_id JOIN communes c ON c.code = e.commune_code";

fn event_of(state: &ApiState, r: &AnyRow) -> Result<Evenement, sqlx::Error> {
    let id: i64 = r.try_get(0)?;
    let kind = EventKind::from_code(&r.try_get::<String, _>(1)?).unwrap_or(EventKind::Forum);
    let capacity: i64 = r.try_get(11)?;
    let taken: i64 = r.try_get(13)?;
    Ok(Evenement {
        id,
        kind: choix(kind.code(), kind.label()),
        titre: r.try_get(2)?,
        description: r.try_get(3)?,
        organisation: r.try_get(4)?,
        commune: CommuneEvenement { code: r.try_get(5)?, nom: r.try_get(6)?, departement: r.try_get(7)? },
        lieu: r.try_get(8)?,
        debut: iso_time(r.try_get(9)?),
        fin: iso_time(r.try_get(10)?),
        places: capacity,
        places_restantes: (capacity - taken).max(0),
        annule: r.try_get::<Option<i64>, _>(12)?.is_some(),
        adresse: format!("{}{}", state.public_url, paths::event(id)),
        ical: format!("{}{}", state.public_url, paths::ics(id)),
    })
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

fn filters(p: &Params) -> Result<(String, String), ApiError> {
    let departement = p.read("departement", |v| {
        exact(v, DepartementCode::parse, |d| d.as_str().to_owned())
            .map(|d| d.as_str().to_owned())
            .ok_or_else(|| "un numéro de département est attendu (par exemple 12 ou 2A)".to_owned())
    })?;
    let kind = p.code("type", &codes(EventKind::ALL, |k| k.code()))?;
    Ok((departement.unwrap_or_default(), kind.unwrap_or_default()))
}

/// The events not ended yet, soonest first (cancelled ones included, marked).
#[utoipa::path(
    get,
    path = "/api/v1/evenements",
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
    let now = crate::events::now();
    let filter = "WHERE e.ends_at > $1 AND ($2 = '' OR c.departement_code = $2) AND ($3 = '' OR e.kind = $3)";
    let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM events e JOIN communes c ON c.code = e.commune_code {filter}"
    )))
    .bind(now)
    .bind(departement.clone())
    .bind(kind.clone())
    .fetch_one(&state.db.pool)
    .await?;
    let sql = format!("{EVENT} {filter} ORDER BY e.starts_at, e.id LIMIT $4 OFFSET $5");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(now)
        .bind(departement)
        .bind(kind)
        .bind(paging.limit())
        .bind(paging.offset())
        .fetch_all(&state.db.pool)
        .await?;
    let items = rows.iter().map(|r| event_of(&state, r)).collect::<Result<Vec<_>, _>>()?;
    Ok(Json(Page::new(items, total.max(0) as usize, paging, &state.link("/evenements", &p))))
}

path_param!(EventPath, "id", "Identifiant de l'événement.", integer(1, MAX_ID), 1);

/// One event by its identifier.
#[utoipa::path(
    get,
    path = "/api/v1/evenements/{id}",
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
    let sql = format!("{EVENT} WHERE e.id = $1");
    match sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&state.db.pool).await? {
        Some(row) => Ok(Json(event_of(&state, &row)?)),
        None => Err(ApiError::not_found(format!("Aucun événement n'a l'identifiant {id}."))),
    }
}
