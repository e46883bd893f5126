//! Saved searches of the board, and the interns' page's choices of stage sites, with e-mail
//! alerts (immediately, daily or weekly) and an unsubscribe link in every mail (one click in
//! mail programs that offer it, RFC 8058).

#[cfg(feature = "ssr")]
mod service;

#[cfg(feature = "ssr")]
pub use service::{AlertService, provide_alert_service};

use crate::domain::offers::BoardQuery;
use crate::domain::stages::SiteFilter;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How often an alert writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Frequency {
    /// As soon as an offer is published (the worker passes every few minutes).
    Immediate,
    Daily,
    Weekly,
}

impl Frequency {
    pub const ALL: [Frequency; 3] = [Frequency::Immediate, Frequency::Daily, Frequency::Weekly];

    pub fn code(self) -> &'static str {
        match self {
            Frequency::Immediate => "immediate",
            Frequency::Daily => "quotidienne",
            Frequency::Weekly => "hebdomadaire",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Frequency::Immediate => "dès qu'une offre paraît",
            Frequency::Daily => "une fois par jour au plus",
            Frequency::Weekly => "une fois par semaine au plus",
        }
    }

    /// The least time between two mails, in seconds.
    pub fn interval(self) -> i64 {
        match self {
            Frequency::Immediate => 0,
            Frequency::Daily => 86_400,
            Frequency::Weekly => 7 * 86_400,
        }
    }
}

choices! {
    /// What an alert tells of: new offers matching the board's filters, or new stage sites
    /// matching the interns' page's choices.
    AlertSubject {
        Offers = "offres" => "Offres",
        StageSites = "terrains" => "Terrains de stage",
    }
}

impl AlertSubject {
    /// How often, in words: "dès qu'une offre paraît".
    pub fn frequency_words(self, frequency: Frequency) -> &'static str {
        match (self, frequency) {
            (AlertSubject::StageSites, Frequency::Immediate) => "dès qu'un terrain est déclaré",
            (_, frequency) => frequency.label(),
        }
    }
}

/// At most this many alerts per account.
pub const MAX_ALERTS: i64 = 20;

/// A saved search, as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedSearch {
    pub id: i64,
    pub subject: AlertSubject,
    pub label: String,
    /// `/offres?…` (the board with these filters) or `/internes?…` (the interns' page with
    /// these choices).
    pub href: String,
    /// Its filters' query string, for its feeds.
    pub query: String,
    pub frequency: Frequency,
    /// Unix seconds.
    pub created_at: i64,
    pub last_sent_at: Option<i64>,
}

/// The names of what a search holds as codes, as the server found them.
#[derive(Debug, Clone, Copy, Default)]
pub struct Names<'a> {
    /// The commune searched around.
    pub around: Option<&'a str>,
    /// The portal's départements: (code, name).
    pub departements: &'a [(String, String)],
}

/// "Installation ou remplacement · Médecine générale · Aveyron ou Lozère · à moins de 30 km
/// de Millau · logement fourni": places by their names, never their codes.
pub fn describe(query: &BoardQuery, names: Names) -> String {
    let around_name = names.around;
    let mut parts: Vec<String> = Vec::new();
    parts.extend(query.kinds_words());
    parts.extend(query.specialty.map(|s| s.label().to_owned()));
    parts.extend(query.departements_words(names.departements));
    parts.extend(query.zonage.map(|z| z.short_label().to_owned()));
    // The commune's name as the server found it; what was typed, or the code, until then.
    let around = query.around.as_ref().map(|around| around_name.map_or_else(|| around.to_string(), str::to_owned));
    parts.extend(around.map(|name| format!("à moins de {} km de {name}", query.radius())));
    if query.zone.is_some() {
        parts.push("dans la zone choisie sur la carte".to_owned());
    }
    match (query.from, query.to) {
        (Some(from), Some(to)) => parts.push(format!("du {} au {}", from.french(), to.french())),
        (Some(from), None) => parts.push(format!("à partir du {}", from.french())),
        (None, Some(to)) => parts.push(format!("jusqu'au {}", to.french())),
        (None, None) => {}
    }
    if !query.housing.is_empty() {
        parts.push(query.housing.iter().map(|wanted| wanted.words()).collect::<Vec<_>>().join(" ou "));
    }
    if query.team {
        parts.push("exercice en équipe".to_owned());
    }
    if let Some(station) = query.station {
        parts.push(station.label().to_owned());
    }
    if parts.is_empty() {
        return "Toutes les offres".to_owned();
    }
    crate::format::capitalised(&parts.join(" · "))
}

/// "Nouveaux terrains de stage · faculté Toulouse · SASPAS".
pub fn describe_sites(filter: &SiteFilter) -> String {
    std::iter::once("Nouveaux terrains de stage".to_owned()).chain(filter.words()).collect::<Vec<_>>().join(" · ")
}

/// The alerts of the signed-in person (None when signed out).
#[server(prefix = "/_srv", endpoint = "mes-alertes")]
pub async fn get_my_alerts() -> Result<Option<Vec<SavedSearch>>, ServerFnError> {
    let Some(user) = service::signed_in() else {
        return Ok(None);
    };
    service::alerts()?.mine(user).await.map(Some).map_err(service::unavailable)
}

/// The name of the alert an unsubscribe link's token belongs to (None: no such alert). The
/// link is the proof, as in a mail opened anywhere: no session needed.
#[server(prefix = "/_srv", endpoint = "alerte-du-lien")]
pub async fn get_alert_of_link(jeton: String) -> Result<Option<String>, ServerFnError> {
    service::alerts()?.of_link(&jeton).await.map_err(service::unavailable)
}

/// Form fields.
pub mod fields {
    /// The board's query string to save (or the interns' page's, with `sujet=terrains`).
    pub const SEARCH: &str = "recherche";
    /// `AlertSubject`'s code; the offers when absent.
    pub const SUBJECT: &str = "sujet";
    pub const FREQUENCY: &str = "frequence";
    /// The unsubscribe link's token.
    pub const TOKEN: &str = "jeton";
}

/// Addresses.
pub mod paths {
    use crate::domain::Address;

    /// POST: save the board's filters as an alert.
    pub const CREATE: &str = "/offres/alertes";
    /// The person's alerts.
    pub const MINE: &str = "/compte/alertes";
    /// The unsubscribe link of the mails, with `?jeton=`: a GET shows which alert it stops and
    /// a button; a POST (that button, or a mail program's one-click of RFC 8058) deletes it.
    pub const UNSUBSCRIBE: &str = "/alertes/desabonnement";

    /// POST: delete an alert (its owner).
    pub const DELETE: Address = Address("/compte/alertes/{id}/suppression");
    /// POST: change how often an alert writes (its owner).
    pub const FREQUENCY: Address = Address("/compte/alertes/{id}/frequence");
}

codes! {
    AlertProblem {
        Frequency = "alerte-frequence" => "Choisissez la fréquence de l'alerte : dès qu'une offre paraît, une fois par jour ou une fois par semaine.",
        TooMany = "alerte-trop" => "Vous avez déjà 20 alertes : supprimez-en une depuis « Mes alertes » avant d'en créer une autre.",
        NotFound = "alerte-introuvable" => "Cette alerte n'existe pas ou plus.",
        Subject = "alerte-sujet" => "Choisissez ce que l'alerte suit : des offres ou des terrains de stage.",
        BadLink = "alerte-lien" => "Ce lien de désabonnement ne correspond à aucune alerte : elle est peut-être déjà supprimée.",
        AlreadySaved = "alerte-en-double" => "Cette alerte vient d'être enregistrée par un autre envoi du formulaire : retrouvez-la dans « Mes alertes ».",
    }
}

codes! {
    AlertNotice {
        Created = "alerte-creee" => "Votre alerte est créée : vous recevrez un e-mail dès qu'une nouvelle offre de cette recherche paraîtra.",
        CreatedDaily = "alerte-creee-quotidienne" => "Votre alerte est créée : vous recevrez au plus un e-mail par jour, qui listera les nouvelles offres de cette recherche.",
        CreatedWeekly = "alerte-creee-hebdomadaire" => "Votre alerte est créée : vous recevrez au plus un e-mail par semaine, qui listera les nouvelles offres de cette recherche.",
        SitesCreated = "alerte-terrains-creee" => "Votre alerte est créée : vous recevrez un e-mail dès qu'un nouveau terrain de stage de ce choix sera déclaré.",
        SitesCreatedDaily = "alerte-terrains-creee-quotidienne" => "Votre alerte est créée : vous recevrez au plus un e-mail par jour, qui listera les nouveaux terrains de stage de ce choix.",
        SitesCreatedWeekly = "alerte-terrains-creee-hebdomadaire" => "Votre alerte est créée : vous recevrez au plus un e-mail par semaine, qui listera les nouveaux terrains de stage de ce choix.",
        AlreadySaved = "alerte-existante" => "Vous aviez déjà une alerte pour cette recherche : elle n'est pas créée deux fois, et écrit désormais à la fréquence choisie. Retrouvez-la dans « Mes alertes ».",
        FrequencyChanged = "alerte-frequence-changee" => "La fréquence de l'alerte est changée.",
        Deleted = "alerte-supprimee" => "L'alerte est supprimée : vous ne recevrez plus d'e-mail pour cette recherche.",
    }
}

impl AlertNotice {
    /// What a new alert's confirmation says: what it follows and how often it will write.
    pub fn created(subject: AlertSubject, frequency: Frequency) -> Self {
        match (subject, frequency) {
            (AlertSubject::Offers, Frequency::Immediate) => Self::Created,
            (AlertSubject::Offers, Frequency::Daily) => Self::CreatedDaily,
            (AlertSubject::Offers, Frequency::Weekly) => Self::CreatedWeekly,
            (AlertSubject::StageSites, Frequency::Immediate) => Self::SitesCreated,
            (AlertSubject::StageSites, Frequency::Daily) => Self::SitesCreatedDaily,
            (AlertSubject::StageSites, Frequency::Weekly) => Self::SitesCreatedWeekly,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_reads_in_french() {
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
        };
        let departements = [("12", "Aveyron"), ("48", "Lozère")].map(|(c, n)| (c.to_owned(), n.to_owned()));
        let names = Names { around: None, departements: &departements };
        let (query, _) =
            BoardQuery::from_pairs(&pairs(&[("type", "remplacement"), ("dep", "12"), ("logement", "oui")]));
        assert_eq!(describe(&query, names), "Remplacement · Aveyron · logement fourni ou aide au logement");
        let (query, _) = BoardQuery::from_pairs(&pairs(&[
            ("type", "installation,remplacement"),
            ("dep", "12,48"),
            ("logement", "fourni"),
            ("equipe", "oui"),
        ]));
        assert_eq!(
            describe(&query, names),
            "Installation libérale ou remplacement · Aveyron ou Lozère · logement fourni · exercice en équipe"
        );
        // A code the portal does not name stays a code rather than vanishing.
        assert_eq!(
            describe(&query, Names::default()),
            "Installation libérale ou remplacement · département 12 ou département 48 · logement fourni · exercice en équipe"
        );
        assert_eq!(describe(&BoardQuery::default(), names), "Toutes les offres");
        let (query, notes) = BoardQuery::from_pairs(&pairs(&[("type", "remplacement"), ("gare", "20-ab")]));
        assert!(notes.is_empty());
        assert_eq!(query.query_string(), "type=remplacement&gare=20-ab");
        assert_eq!(describe(&query, names), "Remplacement · à moins de 20 km d'une gare nationale ou régionale");
        // Around a commune: by its name, never its code.
        let (query, _) = BoardQuery::from_pairs(&pairs(&[("commune", "12145"), ("rayon", "20")]));
        assert_eq!(describe(&query, Names { around: Some("Millau"), ..names }), "À moins de 20 km de Millau");
    }

    #[test]
    fn codes_read_back() {
        for f in Frequency::ALL {
            assert_eq!(Frequency::from_code(f.code()), Some(f));
        }
    }

    #[test]
    fn a_new_alert_s_confirmation_says_how_often_it_writes() {
        // "une fois par semaine au plus" once said "un e-mail pour chaque nouvelle offre".
        for subject in AlertSubject::ALL {
            for frequency in Frequency::ALL {
                let said = AlertNotice::created(*subject, frequency).message();
                let expected = match frequency {
                    Frequency::Immediate => "dès qu",
                    Frequency::Daily => "au plus un e-mail par jour",
                    Frequency::Weekly => "au plus un e-mail par semaine",
                };
                assert!(said.contains(expected), "{said}");
            }
        }
    }
}
