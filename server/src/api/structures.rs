//! `/api/v1/structures`: the health structures of FINESS (MSP, centres de santé,
//! établissements), identified by their FINESS number.

use super::params::{Params, exact, one_of, path_param, pattern, query, shapes};
use super::{ApiError, ApiState, Choix, Page, RawQuery, choix};
use app::api::territory::StructureKind;
use app::model::{DepartementCode, InseeCode};
use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::{IntoParams, ToSchema};

const KINDS: [StructureKind; 3] = [StructureKind::Msp, StructureKind::CentreSante, StructureKind::Etablissement];

/// A health structure (FINESS établissement).
#[derive(Debug, Serialize, ToSchema)]
pub struct Structure {
    /// FINESS number of the établissement.
    #[schema(example = "120004445")]
    pub finess: String,
    /// FINESS number of its legal entity.
    pub finess_juridique: String,
    pub nom: String,
    /// msp, centre_sante or etablissement_sante.
    #[serde(rename = "type")]
    pub kind: Choix,
    /// FINESS category, e.g. "Centre Hospitalier (C.H.)".
    pub categorie: String,
    pub adresse_postale: String,
    pub code_postal: String,
    pub ville: String,
    pub telephone: Option<String>,
    /// INSEE code of its commune.
    pub commune: String,
    pub latitude: f64,
    pub longitude: f64,
    /// ISO 8601 day.
    pub ouverte_le: Option<String>,
}

pub struct StructureFilters;

impl IntoParams for StructureFilters {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let kinds: Vec<&str> = KINDS.iter().map(|k| k.code()).collect();
        let mut list = vec![
            query("commune", "Code INSEE de la commune.", pattern(shapes::INSEE)),
            query("departement", "Code du département.", pattern(shapes::DEPARTEMENT)),
            query("type", "Sorte de structure.", one_of(&kinds)),
        ];
        list.extend(super::params::paging_params());
        list
    }
}

const STRUCTURE: &str = "SELECT s.finess, s.finess_ej, s.name, s.kind, s.category, s.address, s.postal_code, s.city,
        s.phone, s.commune_code, s.lat, s.lon, s.opened_on
    FROM health_structures s JOIN communes c ON c.code = s.commune_code";

fn structure_of(r: &AnyRow) -> Result<Structure, sqlx::Error> {
    let kind = StructureKind::from_code(&r.try_get::<String, _>(3)?).unwrap_or(StructureKind::Etablissement);
    Ok(Structure {
        finess: r.try_get(0)?,
        finess_juridique: r.try_get(1)?,
        nom: r.try_get(2)?,
        kind: choix(kind.code(), kind.label()),
        categorie: r.try_get(4)?,
        adresse_postale: r.try_get(5)?,
        code_postal: r.try_get(6)?,
        ville: r.try_get(7)?,
        telephone: r.try_get(8)?,
        commune: r.try_get(9)?,
        latitude: r.try_get(10)?,
        longitude: r.try_get(11)?,
        ouverte_le: r.try_get(12)?,
    })
}

fn filters(p: &Params) -> Result<(String, String, String), ApiError> {
    let commune = p.read("commune", |v| {
        exact(v, InseeCode::parse, |c| c.as_str().to_owned())
            .map(|c| c.as_str().to_owned())
            .ok_or_else(|| "un code INSEE de commune est attendu (5 caractères, par exemple 12202)".to_owned())
    })?;
    let departement = p.read("departement", |v| {
        exact(v, DepartementCode::parse, |d| d.as_str().to_owned())
            .map(|d| d.as_str().to_owned())
            .ok_or_else(|| "un numéro de département est attendu (par exemple 12 ou 2A)".to_owned())
    })?;
    let kinds: Vec<&str> = KINDS.iter().map(|k| k.code()).collect();
    let kind = p.code("type", &kinds)?;
    Ok((commune.unwrap_or_default(), departement.unwrap_or_default(), kind.unwrap_or_default()))
}

/// The health structures, filtered, by FINESS number.
#[utoipa::path(
    get,
    path = "/api/v1/structures",
    tag = "structures",
    params(StructureFilters),
    responses(
        (status = 200, description = "Les structures, par numéro FINESS.", body = Page<Structure>),
        (status = 400, description = "Un paramètre illisible.", body = super::Erreur),
    )
)]
pub async fn list(State(state): State<ApiState>, RawQuery(p): RawQuery) -> Result<Json<Page<Structure>>, ApiError> {
    let (commune, departement, kind) = filters(&p)?;
    let paging = p.paging()?;
    let filter =
        "WHERE ($1 = '' OR s.commune_code = $1) AND ($2 = '' OR c.departement_code = $2) AND ($3 = '' OR s.kind = $3)";
    let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM health_structures s JOIN communes c ON c.code = s.commune_code {filter}"
    )))
    .bind(commune.clone())
    .bind(departement.clone())
    .bind(kind.clone())
    .fetch_one(&state.db.pool)
    .await?;
    let sql = format!("{STRUCTURE} {filter} ORDER BY s.finess LIMIT $4 OFFSET $5");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(commune)
        .bind(departement)
        .bind(kind)
        .bind(paging.limit())
        .bind(paging.offset())
        .fetch_all(&state.db.pool)
        .await?;
    let items = rows.iter().map(structure_of).collect::<Result<Vec<_>, _>>()?;
    Ok(Json(Page::new(items, total.max(0) as usize, paging, &state.link("/structures", &p))))
}

path_param!(StructurePath, "finess", "Numéro FINESS de la structure.", pattern(shapes::FINESS), "120783972");

/// One structure by its FINESS number.
#[utoipa::path(
    get,
    path = "/api/v1/structures/{finess}",
    tag = "structures",
    params(StructurePath),
    responses(
        (status = 200, description = "La structure.", body = Structure),
        (status = 400, description = "Numéro illisible.", body = super::Erreur),
        (status = 404, description = "Aucune structure du portail n'a ce numéro.", body = super::Erreur),
    )
)]
pub async fn one(State(state): State<ApiState>, Path(finess): Path<String>) -> Result<Json<Structure>, ApiError> {
    // The shape only: FINESS numbers of the file are kept even when their key would not check.
    let shaped = finess.len() == 9
        && (finess.bytes().all(|b| b.is_ascii_digit())
            || ((finess.starts_with("2A") || finess.starts_with("2B"))
                && finess.bytes().skip(2).all(|b| b.is_ascii_digit())));
    if !shaped {
        let shown: String = finess.chars().take(40).collect();
        return Err(ApiError::bad(format!(
            "« {shown} » n'est pas un numéro FINESS (9 chiffres, ou 2A ou 2B suivi de 7 chiffres)"
        )));
    }
    let sql = format!("{STRUCTURE} WHERE s.finess = $1");
    match sqlx::query(sqlx::AssertSqlSafe(sql)).bind(finess.clone()).fetch_optional(&state.db.pool).await? {
        Some(row) => Ok(Json(structure_of(&row)?)),
        None => Err(ApiError::not_found(format!("Aucune structure du portail n'a le numéro FINESS {finess}."))),
    }
}
