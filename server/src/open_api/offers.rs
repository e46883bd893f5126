//! `/api/v1/offres`: the open offers with the board's filters, and one offer by its id (open or
//! not: a closed offer keeps its address and says it is closed; drafts do not exist here).

use super::params::{self, Params, date, exact, list_of, list_of_codes, one_of, path_param, pattern, query, shapes};
use super::{ApiError, ApiState, Choix, Page, RawQuery, choix, codes, iso_time};
use app::domain::offers::{
    BoardQuery, MAX_RADIUS_KM, MAX_TEXT, OfferKind, OfferState, OfferView, Specialty, StationNear,
};
use app::model::{Day, DepartementCode, InseeCode, Zonage};
use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use utoipa::openapi::path::Parameter;
use utoipa::{IntoParams, ToSchema};

/// One offer, whole.
#[derive(Debug, Serialize, ToSchema)]
pub struct Offre {
    /// Stable identifier.
    #[schema(example = 42)]
    pub id: i64,
    /// The offer's page on the portal.
    pub adresse: String,
    pub titre: String,
    /// Pathway: installation, salariat, exercice_mixte, remplacement, stage, assistanat.
    #[serde(rename = "type")]
    pub kind: Choix,
    /// The variant within the pathway (succession, ponctuel, saspas…), when it has one.
    pub modalite: Option<Choix>,
    pub specialite: Choix,
    pub description: String,
    /// ouverte (listed on the board), expiree, pourvue or retiree.
    pub etat: String,
    pub commune: LieuOffre,
    /// The health structure (FINESS) where the offer is, when it has one.
    pub structure: Option<String>,
    pub organisation: OrganisationOffre,
    /// First day (ISO 8601), for replacements, internships and some contracts.
    pub debut: Option<String>,
    /// Last day (ISO 8601).
    pub fin: Option<String>,
    pub jours_par_semaine: Option<i64>,
    /// Doctors of the team, the post offered included (1: practice alone), when the offer says.
    pub medecins_equipe: Option<i64>,
    /// Patients of the practice handed over (successions).
    pub patientele: Option<i64>,
    pub passation: Option<String>,
    pub demi_journees_liberal: Option<i64>,
    pub demi_journees_salarie: Option<i64>,
    /// Internship semester: novembre or mai, and its year.
    pub semestre: Option<Semestre>,
    pub maitres_de_stage: Option<String>,
    pub faculte: Option<String>,
    pub transport: Option<String>,
    pub remuneration: Remuneration,
    pub gardes: Choix,
    pub secretariat: Choix,
    pub logiciel: String,
    pub logement: Choix,
    pub cabinet_fourni: bool,
    pub materiel_fourni: bool,
    pub avantages: Option<String>,
    /// RFC 3339, UTC.
    pub publiee_le: Option<String>,
    /// End of publication, RFC 3339, UTC.
    pub publiee_jusqu_au: Option<String>,
    pub mise_a_jour_le: String,
    /// Demonstration data (`server exemples`), not a real offer.
    pub exemple: bool,
    /// Distance in km from the commune of `autour`, when the list was asked around one.
    pub distance_km: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LieuOffre {
    /// INSEE code.
    pub code: String,
    pub nom: String,
    pub departement: String,
    /// ZIP, ZAC or ZAR; null when the ARS zoning does not list the commune.
    pub zonage: Option<String>,
    /// The commune's page on the portal.
    pub adresse: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationOffre {
    pub id: i64,
    pub nom: String,
    /// Commune, MSP, centre de santé…
    pub type_libelle: String,
    /// Checked by the portal's moderators.
    pub verifiee: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Semestre {
    pub code: String,
    pub annee: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Remuneration {
    /// What the figure is: retrocession (% of the fees), salaire and revenu_garanti (€ gross a
    /// month), honoraires (€ a year the doctor can expect), chiffre_affaires (€ a year of the
    /// practice handed over), a_discuter (no figure).
    #[serde(rename = "type")]
    pub kind: Choix,
    /// None « à discuter ».
    pub min: Option<i64>,
    pub max: Option<i64>,
    /// "Rétrocession d'honoraires : 70 à 80 %", "Salaire : 4 500 € brut par mois",
    /// "Rémunération à discuter".
    pub texte: String,
}

fn state_code(state: OfferState) -> &'static str {
    match state {
        OfferState::Draft => "brouillon",
        OfferState::Open => "ouverte",
        OfferState::Expired => "expiree",
        OfferState::Filled => "pourvue",
        OfferState::Withdrawn => "retiree",
    }
}

impl Offre {
    fn of(view: OfferView, distance_km: Option<f64>, site: &str) -> Self {
        let f = view.fields;
        let day = |d: Option<Day>| d.map(|d| d.to_string());
        Self {
            id: view.id,
            adresse: view.url,
            titre: f.title,
            kind: choix(f.kind.code(), f.kind.label()),
            modalite: f.mode.map(|m| choix(m.code(), m.label())),
            specialite: choix(f.specialty.code(), f.specialty.label()),
            description: f.description,
            etat: state_code(view.state).to_owned(),
            commune: LieuOffre {
                code: view.place.commune_code,
                nom: view.place.commune_name,
                departement: view.place.departement_code,
                zonage: view.place.zonage.map(|z| z.code().to_owned()),
                adresse: format!("{site}{}", view.place.commune_path),
            },
            structure: view.place.structure,
            organisation: OrganisationOffre {
                id: view.publisher.id,
                nom: view.publisher.name,
                type_libelle: view.publisher.kind_label,
                verifiee: view.publisher.verified,
            },
            debut: day(f.start),
            fin: day(f.end),
            jours_par_semaine: f.days_per_week,
            medecins_equipe: f.team_size,
            patientele: f.patient_count,
            passation: f.handover_plan,
            demi_journees_liberal: f.half_days_liberal,
            demi_journees_salarie: f.half_days_salaried,
            semestre: f.semester.map(|(s, annee)| Semestre { code: s.code().to_owned(), annee }),
            maitres_de_stage: f.supervisors,
            faculte: f.faculty,
            transport: f.transport,
            remuneration: Remuneration {
                kind: choix(f.pay.kind.code(), f.pay.kind.label()),
                min: f.pay.min,
                max: f.pay.max,
                texte: f.pay.text().replace(['\u{202f}', '\u{a0}'], " "),
            },
            gardes: choix(f.on_call.code(), f.on_call.label()),
            secretariat: choix(f.secretariat.code(), f.secretariat.label()),
            logiciel: f.software,
            logement: choix(f.housing.code(), f.housing.label()),
            cabinet_fourni: f.practice_provided,
            materiel_fourni: f.equipment_provided,
            avantages: f.perks,
            publiee_le: view.published_at.map(iso_time),
            publiee_jusqu_au: view.expires_at.map(iso_time),
            mise_a_jour_le: iso_time(view.updated_at),
            exemple: view.example,
            distance_km: distance_km.map(|km| (km * 10.0).round() / 10.0),
        }
    }
}

/// The board's filters, with the same names and values as `/offres` (but `tri`).
pub struct OfferFilters;

/// `logement`: housing provided, help to find one, interns' housing nearby (stage offers);
/// `oui` (the first two) and `non` (no condition) are the values of the API's first version.
const HOUSING_FILTER: [&str; 5] = ["fourni", "aide", "internes", "oui", "non"];
/// `zone`: longitude (-180 to 180), latitude (-90 to 90), longitude, latitude, in decimal degrees.
const ZONE: &str = concat!(
    r"^-?(180(\.0+)?|(1[0-7][0-9]|[1-9]?[0-9])(\.[0-9]+)?),-?(90(\.0+)?|[1-8]?[0-9](\.[0-9]+)?)",
    r",-?(180(\.0+)?|(1[0-7][0-9]|[1-9]?[0-9])(\.[0-9]+)?),-?(90(\.0+)?|[1-8]?[0-9](\.[0-9]+)?)$"
);

impl IntoParams for OfferFilters {
    fn into_params(_: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>) -> Vec<Parameter> {
        let mut list = vec![
            query(
                "q",
                "Mots cherchés dans les titres, descriptions, communes, départements et organisations ; les accents, les formes des mots et les fautes de frappe sont pardonnés.",
                params::string().max_length(Some(MAX_TEXT)),
            ),
            query(
                "type",
                "Voies d'exercice, séparées par des virgules : les offres de l'une d'elles.",
                list_of_codes(&codes(OfferKind::ALL, |k| k.code())),
            ),
            query("specialite", "Spécialité médicale.", one_of(&codes(Specialty::ALL, |s| s.code()))),
            query(
                "dep",
                "Codes de départements, séparés par des virgules : les offres de l'un d'eux.",
                list_of(shapes::DEPARTEMENT),
            ),
            query(
                "zonage",
                "Zonage médecins de l'ARS de la commune de l'offre.",
                one_of(&codes(&Zonage::ALL, |z| z.code())),
            ),
            query(
                "autour",
                "Code INSEE d'une commune : les offres à moins de `rayon` km, de la plus proche à la plus lointaine.",
                pattern(shapes::INSEE),
            ),
            query(
                "rayon",
                "Rayon autour de `autour`, en km (30 par défaut ; sans `autour`, il ne compte pas).",
                params::integer(1, MAX_RADIUS_KM as usize),
            ),
            query("zone", "Rectangle ouest,sud,est,nord en degrés (WGS84).", pattern(ZONE)),
            query("du", "Offres dont les dates rencontrent la période commençant ce jour.", date()),
            query("au", "Offres dont les dates rencontrent la période finissant ce jour.", date()),
            query(
                "logement",
                "fourni : logement fourni ; aide : aide à en trouver ; internes : offres de stage à moins de 20 km d'un logement pour internes ouvert ; plusieurs, séparés par des virgules : l'un ou l'autre (oui : fourni,aide) ; non : sans condition.",
                list_of_codes(&HOUSING_FILTER),
            ),
            query(
                "equipe",
                "oui : exercice en équipe (maison ou centre de santé, établissement, cabinet de groupe, ou plusieurs médecins selon l'offre).",
                one_of(&["oui"]),
            ),
            query(
                "gare",
                "Offres dont la commune est, à vol d'oiseau depuis son centre, à moins de 5, 10 ou 20 km d'une gare de voyageurs SNCF ; 10-ab, 20-ab, 30-ab ou 50-ab : d'une gare nationale ou régionale (classes A et B de SNCF).",
                one_of(&codes(StationNear::ALL, |s| s.code())),
            ),
        ];
        list.extend(params::paging_params());
        list
    }
}

/// Reads the board's filters strictly: every given value must be valid, and only then is the
/// board's own reader used (the same meaning as on `/offres`). None: the filters match nothing
/// (an empty `zone`).
pub(super) fn board_query(p: &Params) -> Result<Option<BoardQuery>, ApiError> {
    p.text("q", MAX_TEXT)?;
    p.codes("type", &codes(OfferKind::ALL, |k| k.code()))?;
    p.code("specialite", &codes(Specialty::ALL, |s| s.code()))?;
    p.list("dep", |v| {
        exact(v, DepartementCode::parse, |d| d.as_str().to_owned())
            .ok_or_else(|| "un numéro de département est attendu (par exemple 12 ou 2A)".to_owned())
    })?;
    p.code("zonage", &codes(&Zonage::ALL, |z| z.code()))?;
    p.read("autour", |v| {
        exact(v, InseeCode::parse, |c| c.as_str().to_owned())
            .ok_or_else(|| "un code INSEE de commune est attendu (5 caractères, par exemple 12202)".to_owned())
    })?;
    p.number("rayon", 1, MAX_RADIUS_KM as usize)?;
    let zone = p.read("zone", |v| {
        zone_numbers(v).ok_or_else(|| {
            "une zone s'écrit ouest,sud,est,nord en degrés décimaux (longitudes de -180 à 180, latitudes de -90 à 90)"
                .to_owned()
        })
    })?;
    // West at or past east, south at or past north: an empty area, where no offer lies.
    let empty = zone.is_some_and(|[west, south, east, north]| west >= east || south >= north);
    for name in ["du", "au"] {
        p.read(name, |v| {
            exact(v, Day::parse, Day::to_string)
                .ok_or_else(|| "une date AAAA-MM-JJ (de l'an 2000 à 2199) est attendue".to_owned())
        })?;
    }
    p.codes("logement", &HOUSING_FILTER)?;
    p.code("equipe", &["oui"])?;
    p.code("gare", &codes(StationNear::ALL, |s| s.code()))?;
    // The API's `autour` is a commune's INSEE code: the board's `commune`.
    let (mut query, notes) = BoardQuery::read(|name| {
        let asked = match name {
            "commune" => "autour",
            "autour" => return Vec::new(),
            other => other,
        };
        match (empty && name == "zone", p.get(asked)) {
            (false, Some(value)) => vec![value.to_owned()],
            _ => Vec::new(),
        }
    });
    if let Some(note) = notes.into_iter().next() {
        return Err(ApiError::bad(note));
    }
    // The API's order is the board's own for an anonymous visitor (it has no `tri`).
    query.order = None;
    Ok(if empty { None } else { Some(query) })
}

/// The four numbers of a `zone` written as `ZONE` says (checked without a regex engine):
/// optional sign, no leading zero, decimals after a dot, longitudes within ±180 and latitudes
/// within ±90.
fn zone_numbers(value: &str) -> Option<[f64; 4]> {
    let parts: Vec<&str> = value.split(',').collect();
    let [west, south, east, north] = parts[..] else { return None };
    let number = |part: &str, max: f64| -> Option<f64> {
        let unsigned = part.strip_prefix('-').unwrap_or(part);
        let (int, dec) = match unsigned.split_once('.') {
            Some((int, dec)) => (int, Some(dec)),
            None => (unsigned, None),
        };
        let plain_int = (1..=3).contains(&int.len())
            && int.bytes().all(|b| b.is_ascii_digit())
            && (int == "0" || !int.starts_with('0'));
        let plain_dec = dec.is_none_or(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
        let n: f64 = part.parse().ok()?;
        (plain_int && plain_dec && n.abs() <= max).then_some(n)
    };
    Some([number(west, 180.0)?, number(south, 90.0)?, number(east, 180.0)?, number(north, 90.0)?])
}

/// Open offers (published, not past their end) matching the filters.
#[utoipa::path(
    get,
    path = "/api/v1/offres",
    operation_id = "listOffres",
    tag = "offres",
    params(OfferFilters),
    responses(
        (status = 200, description = "Une page des offres ouvertes, dans l'ordre de la bourse : les plus proches autour d'une commune, les plus pertinentes avec des mots, les plus récentes sinon.", body = Page<Offre>),
        (status = 400, description = "Un paramètre illisible ou hors de ses valeurs.", body = super::Erreur),
        (status = 404, description = "Aucune commune du portail n'a le code de `autour`.", body = super::Erreur),
        (status = 503, description = "Base ou moteur de recherche indisponible.", body = super::Erreur),
    )
)]
pub async fn list(State(state): State<ApiState>, RawQuery(p): RawQuery) -> Result<Json<Page<Offre>>, ApiError> {
    let paging = p.paging()?;
    let Some(query) = board_query(&p)? else {
        return Ok(Json(Page::new(Vec::new(), 0, paging, &state.link("/offres", &p))));
    };
    let (views, total, unknown) = state.offers.open_views(&query, paging.page, paging.per_page).await?;
    // The only filter the board can still drop is a well-formed but unknown commune.
    if unknown.is_some() {
        let code = query.around.as_ref().map(ToString::to_string).unwrap_or_default();
        return Err(ApiError::not_found(format!(
            "Aucune commune du portail n'a le code INSEE {code} (paramètre « autour »)."
        )));
    }
    let site = state.public_url.as_str();
    let items = views.into_iter().map(|(view, km)| Offre::of(view, km, site)).collect();
    Ok(Json(Page::new(items, total, paging, &state.link("/offres", &p))))
}

path_param!(OfferPath, "id", "Identifiant de l'offre.", params::integer(1, super::MAX_ID), 1);

/// One offer by its identifier.
#[utoipa::path(
    get,
    path = "/api/v1/offres/{id}",
    operation_id = "getOffre",
    tag = "offres",
    params(OfferPath),
    responses(
        (status = 200, description = "L'offre, ouverte ou non (son état le dit).", body = Offre),
        (status = 400, description = "Identifiant illisible.", body = super::Erreur),
        (status = 404, description = "Aucune offre publiée n'a cet identifiant.", body = super::Erreur),
        (status = 503, description = "Base indisponible.", body = super::Erreur),
    )
)]
pub async fn one(State(state): State<ApiState>, Path(id): Path<String>) -> Result<Json<Offre>, ApiError> {
    let id = super::identifier(&id)?;
    match state.offers.read(None, id).await? {
        Some(view) => Ok(Json(Offre::of(view, None, &state.public_url))),
        None => Err(ApiError::not_found(format!("Aucune offre publiée n'a l'identifiant {id}."))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::offers::HousingWanted;

    fn params(raw: &str) -> Params {
        Params::parse(Some(raw)).unwrap()
    }

    #[test]
    fn valid_filters_read_as_the_board_reads_them() {
        let query =
            board_query(&params("q=rodez&type=remplacement&dep=12&autour=12202&rayon=40&du=2027-01-01&logement=oui"))
                .unwrap()
                .unwrap();
        assert_eq!(query.kinds, vec![OfferKind::Remplacement]);
        assert_eq!(query.radius(), 40);
        assert_eq!(query.housing, vec![HousingWanted::Provided, HousingWanted::Help]);
        let query =
            board_query(&params("type=remplacement,stage&dep=12,48&logement=fourni&equipe=oui")).unwrap().unwrap();
        assert_eq!(query.kinds, vec![OfferKind::Remplacement, OfferKind::Stage]);
        assert_eq!(query.departements.len(), 2);
        assert_eq!(query.housing, vec![HousingWanted::Provided]);
        assert!(query.team);
        let query = board_query(&params("type=stage&logement=internes,aide")).unwrap().unwrap();
        assert_eq!(query.housing, vec![HousingWanted::Help, HousingWanted::Interns]);
        assert!(board_query(&params("logement=non")).unwrap().unwrap().housing.is_empty());
    }

    #[test]
    fn values_the_board_would_forgive_are_refused() {
        for raw in [
            "type=cdi",
            "dep=1",
            "dep=%2012",
            "autour=12202x",
            "rayon=0",
            "autour=12202&rayon=301",
            "du=2027-02-30",
            "du=2027-1-01",
            "zone=abc",
            "zone=1.5,43.2,3.1",
            "zone=181,43,3,44",
            "zone=1,91,3,44",
            "logement=peut-etre",
            "type=remplacement,",
            "type=remplacement,cdi",
            "dep=12,,48",
            "equipe=non",
            "zonage=zip",
        ] {
            let error = board_query(&params(raw)).unwrap_err();
            assert!(matches!(error, ApiError::BadRequest(_)), "{raw}: {error}");
        }
    }

    #[test]
    fn a_zone_is_four_decimal_numbers_and_an_empty_one_matches_nothing() {
        assert_eq!(zone_numbers("1.5,43.2,3.1,44.9"), Some([1.5, 43.2, 3.1, 44.9]));
        assert_eq!(zone_numbers("-180,-90.0,180.0,90"), Some([-180.0, -90.0, 180.0, 90.0]));
        for bad in ["1.5,43.2,3.1", "1.,43,3,44", "1e2,43,3,44", "01,43,3,44", "180.5,43,3,44", "1,90.01,3,44", ",,,"] {
            assert_eq!(zone_numbers(bad), None, "{bad}");
        }
        assert!(board_query(&params("zone=3,44,2,45")).unwrap().is_none());
        assert!(board_query(&params("zone=0,0,0,0")).unwrap().is_none());
        assert!(board_query(&params("zone=1.5,43.2,3.1,44.9")).unwrap().is_some());
    }
}
