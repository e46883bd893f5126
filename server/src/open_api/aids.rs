//! `/api/v1/aides`: the aids catalogue (national, regional and the local aids of collectivités;
//! withdrawn ones left out), or, with a commune, the aids that apply there by the simulator's
//! rules (`aids::eligibility`, the same as `/aides`). An aid's slug is its identifier.

use super::params::{exact, one_of, path_param, pattern, query, shapes};
use super::{ApiError, ApiState, Choix, Page, RawQuery, choix, codes};
use app::domain::aids::{Aid, AidCategory, AidProfile, Funder, Verdict};
use app::model::InseeCode;
use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, ToSchema)]
pub struct Aide {
    /// Stable identifier.
    #[schema(example = "aide-installation-zip")]
    pub identifiant: String,
    pub nom: String,
    pub financeur: Choix,
    pub categorie: Choix,
    /// In euros, when the aid has a figure.
    pub montant_eur: Option<i64>,
    /// once, month, year or none.
    pub unite: Choix,
    /// The amount in words, as the source says it.
    pub montant: String,
    pub resume: String,
    pub conditions: String,
    /// ZIP, ZAC, ZAR, QPV, montagne; with `departements` empty too: anywhere in its territory.
    pub zones: Vec<String>,
    /// Codes of the départements where it applies whatever their zoning.
    pub departements: Vec<String>,
    /// interne, docteur_junior, remplacant, installe_recent, installe, msu; empty: every profile.
    pub profils: Vec<String>,
    /// What it is for (installation, cabinet_secondaire, exercice, remplacement, stage, etudes,
    /// accueil_interne, accueil_docteur_junior, maison_sante): amounts add up only within one.
    /// Empty only for a local aid published before the field existed.
    pub objets: Vec<String>,
    /// liberal, salarie, coordonne; empty: every way of practising.
    pub exercice: Vec<String>,
    /// Identifiers of the aids it cannot be combined with.
    pub non_cumulable_avec: Vec<String>,
    pub engagement: Option<String>,
    pub engagement_annees: Option<i64>,
    pub territoire: Territoire,
    /// The official page the aid was checked against.
    pub source: String,
    /// ISO 8601 days.
    pub debut: Option<String>,
    pub fin: Option<String>,
    pub verifiee_le: String,
    /// The collectivité that publishes a local aid.
    pub publiee_par: Option<String>,
    /// With `commune`: whether the aid applies for sure or depends on something to check.
    pub application: Option<Application>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Territoire {
    /// national, region, departement, epci or commune.
    pub portee: String,
    /// Code of the territory (null for national).
    pub code: Option<String>,
    pub nom: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Application {
    /// s_applique, or a_verifier (a condition the portal cannot check: district, mountain zone).
    pub statut: String,
    /// What to check, for a_verifier.
    pub a_verifier: Option<String>,
}

impl Aide {
    fn of(a: Aid, verdict: Option<Verdict>) -> Self {
        let list = |codes: Vec<&str>| codes.into_iter().map(str::to_owned).collect();
        Self {
            identifiant: a.slug,
            nom: a.name,
            financeur: choix(a.funder.code(), a.funder.label()),
            categorie: choix(a.category.code(), a.category.label()),
            montant_eur: a.amount_eur,
            unite: choix(a.amount_unit.code(), a.amount_unit.label()),
            montant: a.amount_text,
            resume: a.summary,
            conditions: a.conditions,
            zones: list(a.zones.iter().map(|z| z.code()).collect()),
            departements: a.departements.into_iter().map(|d| d.code).collect(),
            profils: list(a.profiles.iter().map(|p| p.code()).collect()),
            objets: list(a.purposes.iter().map(|p| p.code()).collect()),
            exercice: list(a.exercise.iter().map(|e| e.code()).collect()),
            non_cumulable_avec: a.excludes.into_iter().map(|x| x.slug).collect(),
            engagement: a.commitment,
            engagement_annees: a.commitment_years,
            territoire: Territoire { portee: a.scope.kind.code().to_owned(), code: a.scope.code, nom: a.scope.name },
            source: a.source_url,
            debut: a.valid_from.map(|d| d.to_string()),
            fin: a.valid_to.map(|d| d.to_string()),
            verifiee_le: a.checked_on.to_string(),
            publiee_par: a.publisher.map(|p| p.name),
            application: verdict.map(|v| match v {
                Verdict::Applies => Application { statut: "s_applique".to_owned(), a_verifier: None },
                Verdict::ToCheck(what) => Application { statut: "a_verifier".to_owned(), a_verifier: Some(what) },
            }),
        }
    }
}

pub struct AidFilters;

impl IntoParams for AidFilters {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let mut list = vec![
            query("financeur", "Qui verse ou accorde l'aide.", one_of(&codes(Funder::ALL, |f| f.code()))),
            query("categorie", "Sorte d'aide.", one_of(&codes(AidCategory::ALL, |c| c.code()))),
            query(
                "commune",
                "Code INSEE d'une commune : seulement les aides qui s'y appliquent aujourd'hui, chacune avec son `application`.",
                pattern(shapes::INSEE),
            ),
            query(
                "profil",
                "Seulement les aides ouvertes à ce profil (dans la commune de `commune` si elle est donnée).",
                one_of(&codes(AidProfile::ALL, |p| p.code())),
            ),
        ];
        list.extend(super::params::paging_params());
        list
    }
}

/// The aids, national ones first.
#[utoipa::path(
    get,
    path = "/api/v1/aides",
    operation_id = "listAides",
    tag = "aides",
    params(AidFilters),
    responses(
        (status = 200, description = "Les aides du catalogue (les aides retirées en sont absentes ; les aides expirées y restent avec leur date de fin), ou celles qui s'appliquent dans la commune.", body = Page<Aide>),
        (status = 400, description = "Un paramètre illisible.", body = super::Erreur),
        (status = 404, description = "Aucune commune du portail n'a le code de `commune`.", body = super::Erreur),
    )
)]
pub async fn list(State(state): State<ApiState>, RawQuery(p): RawQuery) -> Result<Json<Page<Aide>>, ApiError> {
    let funder = p.code("financeur", &codes(Funder::ALL, |f| f.code()))?;
    let category = p.code("categorie", &codes(AidCategory::ALL, |c| c.code()))?;
    let commune = p.read("commune", |v| {
        exact(v, InseeCode::parse, |c| c.as_str().to_owned())
            .ok_or_else(|| "un code INSEE de commune est attendu (5 caractères, par exemple 12202)".to_owned())
    })?;
    let profile = p.code("profil", &codes(AidProfile::ALL, |p| p.code()))?.and_then(|c| AidProfile::from_code(&c));
    let paging = p.paging()?;
    let found: Vec<(Aid, Option<Verdict>)> = match &commune {
        Some(code) => match state.aids.simulate(code, profile).await? {
            Some(simulation) => simulation.applicable.into_iter().map(|a| (a.aid, Some(a.verdict))).collect(),
            None => {
                return Err(ApiError::not_found(format!(
                    "Aucune commune du portail n'a le code INSEE {}.",
                    code.as_str()
                )));
            }
        },
        // Without a commune, the profile keeps the aids open to it, by the simulator's rule (a
        // recently installed doctor is an installed one too); the place is not checked.
        None => state
            .aids
            .catalogue()
            .await?
            .into_iter()
            .filter(|a| !a.withdrawn)
            .filter(|a| crate::aids::eligibility::fits(a, profile))
            .map(|a| (a, None))
            .collect(),
    };
    let all = found
        .into_iter()
        .filter(|(a, _)| funder.as_deref().is_none_or(|f| a.funder.code() == f))
        .filter(|(a, _)| category.as_deref().is_none_or(|c| a.category.code() == c))
        .map(|(a, verdict)| Aide::of(a, verdict))
        .collect();
    Ok(Json(Page::of_all(all, paging, &state.link("/aides", &p))))
}

/// An aid's slug: lowercase letters, digits and dashes.
const SLUG: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";

/// The longest identifier read.
const MAX_SLUG: usize = 200;

path_param!(AidPath, "identifiant", "Identifiant de l'aide.", pattern(SLUG).max_length(Some(MAX_SLUG)), "etat-cesp");

/// One aid by its identifier (withdrawn ones are not found).
#[utoipa::path(
    get,
    path = "/api/v1/aides/{identifiant}",
    operation_id = "getAide",
    tag = "aides",
    params(AidPath),
    responses(
        (status = 200, description = "L'aide.", body = Aide),
        (status = 400, description = "Identifiant illisible.", body = super::Erreur),
        (status = 404, description = "Aucune aide n'a cet identifiant.", body = super::Erreur),
    )
)]
pub async fn one(State(state): State<ApiState>, Path(slug): Path<String>) -> Result<Json<Aide>, ApiError> {
    let shaped = !slug.is_empty()
        && slug.len() <= MAX_SLUG
        && slug
            .split('-')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
    if !shaped {
        let shown: String = slug.chars().take(40).collect();
        return Err(ApiError::bad(format!(
            "« {shown} » n'est pas un identifiant d'aide (minuscules, chiffres et tirets)"
        )));
    }
    let aid = state.aids.catalogue().await?.into_iter().find(|a| a.slug == slug && !a.withdrawn);
    match aid {
        Some(aid) => Ok(Json(Aide::of(aid, None))),
        None => Err(ApiError::not_found(format!("Aucune aide n'a l'identifiant « {slug} »."))),
    }
}
