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

/// "Installation ou remplacement · Médecine générale · départements 12 ou 48 · à moins de 30 km
/// de Millau · logement fourni", the commune named `around_name` (as the server found it).
pub fn describe(query: &BoardQuery, around_name: Option<&str>) -> String {
    let mut parts: Vec<String> = Vec::new();
    parts.extend(query.kinds_words());
    parts.extend(query.specialty.map(|s| s.label().to_owned()));
    parts.extend(query.departements_words());
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
    if parts.is_empty() {
        return "Toutes les offres".to_owned();
    }
    // Sentence case, whichever part comes first.
    let line = parts.join(" · ");
    let mut chars = line.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or(line)
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
}

codes! {
    AlertProblem {
        Frequency = "alerte-frequence" => "Choisissez la fréquence de l'alerte : dès qu'une offre paraît, une fois par jour ou une fois par semaine.",
        TooMany = "alerte-trop" => "Vous avez déjà 20 alertes : supprimez-en une depuis « Mes alertes » avant d'en créer une autre.",
        NotFound = "alerte-introuvable" => "Cette alerte n'existe pas ou plus.",
        Subject = "alerte-sujet" => "Choisissez ce que l'alerte suit : des offres ou des terrains de stage.",
        BadLink = "alerte-lien" => "Ce lien de désabonnement ne correspond à aucune alerte : elle est peut-être déjà supprimée.",
    }
}

codes! {
    AlertNotice {
        Created = "alerte-creee" => "Votre alerte est créée : vous recevrez un e-mail pour chaque nouvelle offre de cette recherche.",
        SitesCreated = "alerte-terrains-creee" => "Votre alerte est créée : vous recevrez un e-mail pour chaque nouveau terrain de stage de ce choix.",
        Deleted = "alerte-supprimee" => "L'alerte est supprimée : vous ne recevrez plus d'e-mail pour cette recherche.",
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
        let (query, _) =
            BoardQuery::from_pairs(&pairs(&[("type", "remplacement"), ("dep", "12"), ("logement", "oui")]));
        assert_eq!(describe(&query, None), "Remplacement · département 12 · logement fourni ou aide au logement");
        let (query, _) = BoardQuery::from_pairs(&pairs(&[
            ("type", "installation,remplacement"),
            ("dep", "12,48"),
            ("logement", "fourni"),
            ("equipe", "oui"),
        ]));
        assert_eq!(
            describe(&query, None),
            "Installation libérale ou remplacement · départements 12 ou 48 · logement fourni · exercice en équipe"
        );
        assert_eq!(describe(&BoardQuery::default(), None), "Toutes les offres");
        // Around a commune: by its name, never its code.
        let (query, _) = BoardQuery::from_pairs(&pairs(&[("commune", "12145"), ("rayon", "20")]));
        assert_eq!(describe(&query, Some("Millau")), "À moins de 20 km de Millau");
    }

    #[test]
    fn codes_read_back() {
        for f in Frequency::ALL {
            assert_eq!(Frequency::from_code(f.code()), Some(f));
        }
    }
}
