//! `/api/v1/structures`: the health structures of FINESS (MSP, centres de santé,
//! établissements), identified by their FINESS number.

use super::params::{Params, exact, one_of, path_param, pattern, query, shapes};
use super::{ApiError, ApiState, Choix, Page, RawQuery, choix};
use crate::territory::records::{self, StructureFilter, StructureRecord};
use app::domain::territory::StructureKind;
use app::model::{DepartementCode, InseeCode};
use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
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

fn structure_of(s: StructureRecord) -> Structure {
    let kind = s.kind.0;
    Structure {
        finess: s.finess,
        finess_juridique: s.finess_ej,
        nom: s.name,
        kind: choix(kind.code(), kind.label()),
        categorie: s.category,
        adresse_postale: s.address,
        code_postal: s.postal_code,
        ville: s.city,
        telephone: s.phone,
        commune: s.commune_code,
        latitude: s.lat,
        longitude: s.lon,
        ouverte_le: s.opened_on,
    }
}

fn filters(p: &Params) -> Result<StructureFilter, ApiError> {
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
    Ok(StructureFilter {
        commune: commune.unwrap_or_default(),
        departement: departement.unwrap_or_default(),
        kind: kind.as_deref().and_then(StructureKind::from_code),
    })
}

/// The health structures, filtered, by FINESS number.
#[utoipa::path(
    get,
    path = "/api/v1/structures",
    operation_id = "listStructures",
    tag = "structures",
    params(StructureFilters),
    responses(
        (status = 200, description = "Les structures, par numéro FINESS.", body = Page<Structure>),
        (status = 400, description = "Un paramètre illisible.", body = super::Erreur),
    )
)]
pub async fn list(State(state): State<ApiState>, RawQuery(p): RawQuery) -> Result<Json<Page<Structure>>, ApiError> {
    let filter = filters(&p)?;
    let paging = p.paging()?;
    let (found, total) = records::structures(&state.db, &filter, paging.limit(), paging.offset()).await?;
    let items = found.into_iter().map(structure_of).collect();
    Ok(Json(Page::new(items, total.max(0) as usize, paging, &state.link("/structures", &p))))
}

path_param!(StructurePath, "finess", "Numéro FINESS de la structure.", pattern(shapes::FINESS), "120783972");

/// One structure by its FINESS number.
#[utoipa::path(
    get,
    path = "/api/v1/structures/{finess}",
    operation_id = "getStructure",
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
            "« {shown} » n'est pas un numéro FINESS (9 chiffres, ou 2A ou 2B suivi de 7 chiffres)"
        )));
    }
    match records::structure(&state.db, &finess).await? {
        Some(found) => Ok(Json(structure_of(found))),
        None => Err(ApiError::not_found(format!("Aucune structure du portail n'a le numéro FINESS {finess}."))),
    }
}
