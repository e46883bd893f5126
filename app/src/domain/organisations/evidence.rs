//! What the requester's mail domain says about their claim to an organisation, as far as the
//! portal can tell.
//!
//! The portal knows no organisation's official mail domain: neither the FINESS file nor the
//! communes' data carry one, and organisations declare no website. So this does not compare the
//! requester's domain with a known one; it says what kind of domain it is (a public webmail, the
//! health professionals' secure messaging, a national public service), and whether it takes up
//! the name of the organisation's place in the reference data, or the name the requester
//! declared. A pure function: the moderation queue shows its verdict, worded by
//! `DomainKind::sentence`.

use crate::model::search_form;
use serde::{Deserialize, Serialize};

/// The requester's mail domain and what it looks like.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainEvidence {
    /// What follows the @, in lowercase.
    pub domain: String,
    pub kind: DomainKind,
}

/// What a mail domain looks like, from the strongest hint to none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DomainKind {
    /// A public webmail (gmail.com, orange.fr…): anyone may open an address there.
    Webmail,
    /// MSSanté, the secure messaging of health professionals and structures (…mssante.fr).
    HealthMessaging,
    /// A national public service (.gouv.fr, sante.fr, assurance-maladie.fr).
    PublicService,
    /// Takes up this name of the reference data (the commune, EPCI, département, or the FINESS
    /// structure or its commune).
    NamesReference(String),
    /// Takes up the organisation's name as the requester declared it.
    NamesDeclared(String),
    /// Looks like a local authority's (mairie-…, ville-…) without either name.
    LocalAuthority,
    /// None of the above.
    Other,
}

impl DomainKind {
    /// What the moderator reads after the domain, in French: what is checked, and no more.
    pub fn sentence(&self) -> String {
        match self {
            Self::Webmail => "messagerie grand public : n'importe qui peut y ouvrir une adresse, elle ne rattache \
                              le demandeur à aucune organisation"
                .to_owned(),
            Self::HealthMessaging => "messagerie sécurisée de santé (MSSanté), réservée aux professionnels et aux \
                                      structures de santé ; elle ne dit pas de quelle structure"
                .to_owned(),
            Self::PublicService => "domaine d'un service public national (.gouv.fr, sante.fr, \
                                    assurance-maladie.fr) ; il ne dit pas lequel"
                .to_owned(),
            Self::NamesReference(name) => {
                format!("le domaine reprend le nom « {name} » des données de référence : un indice, pas une preuve")
            }
            Self::NamesDeclared(name) => format!(
                "le domaine reprend le nom déclaré « {name} », que le demandeur a lui-même choisi : indice faible"
            ),
            Self::LocalAuthority => "le domaine ressemble à celui d'une collectivité (mairie-, ville-…) mais ne \
                                     reprend pas le nom de la référence : à vérifier"
                .to_owned(),
            Self::Other => "domaine propre, sans lien visible avec la référence : à vérifier (site de \
                            l'organisation, annuaire)"
                .to_owned(),
        }
    }

    /// A few words for its badge.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Webmail => "messagerie grand public",
            Self::HealthMessaging => "MSSanté",
            Self::PublicService => "service public national",
            Self::NamesReference(_) => "reprend le nom de la référence",
            Self::NamesDeclared(_) => "reprend le nom déclaré",
            Self::LocalAuthority => "collectivité ?",
            Self::Other => "domaine propre",
        }
    }

    /// The badge class: a hint (green), none (amber) or a warning (red).
    pub fn badge(&self) -> &'static str {
        match self {
            Self::NamesReference(_) | Self::HealthMessaging | Self::PublicService => "badge ok",
            Self::Webmail => "badge refused",
            Self::NamesDeclared(_) | Self::LocalAuthority | Self::Other => "badge todo",
        }
    }
}

/// Public webmails, by their whole domain.
const WEBMAILS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "orange.fr",
    "wanadoo.fr",
    "free.fr",
    "laposte.net",
    "sfr.fr",
    "neuf.fr",
    "cegetel.net",
    "club-internet.fr",
    "bbox.fr",
    "numericable.fr",
    "noos.fr",
    "aliceadsl.fr",
    "voila.fr",
    "9online.fr",
    "nordnet.fr",
    "icloud.com",
    "me.com",
    "mac.com",
    "msn.com",
    "ymail.com",
    "protonmail.com",
    "proton.me",
    "pm.me",
    "mailo.com",
    "tutanota.com",
];

/// Webmails whose first label is the provider, whatever the country (hotmail.fr, outlook.com,
/// yahoo.co.uk…).
const WEBMAIL_FAMILIES: &[&str] = &["hotmail", "outlook", "live", "yahoo", "aol", "gmx", "yandex", "zoho"];

/// National public services: the domain or one ending with it.
const PUBLIC_SERVICES: &[&str] = &["gouv.fr", "sante.fr", "assurance-maladie.fr"];

/// Words of names that say what an organisation is, not which one ("Mairie de", "CC du",
/// "MSP des"): left out when looking for a name in a domain.
const GENERIC: &[&str] = &[
    "a",
    "au",
    "aux",
    "d",
    "de",
    "des",
    "du",
    "en",
    "et",
    "l",
    "la",
    "le",
    "les",
    "sur",
    "sous",
    "cc",
    "ca",
    "cu",
    "communaute",
    "communes",
    "commune",
    "agglomeration",
    "agglo",
    "metropole",
    "pays",
    "departement",
    "mairie",
    "ville",
    "conseil",
    "departemental",
    "msp",
    "maison",
    "maisons",
    "sante",
    "pluriprofessionnelle",
    "centre",
    "centres",
    "cabinet",
    "medical",
    "medicale",
    "medicaux",
    "groupe",
    "docteur",
    "dr",
    "hopital",
    "clinique",
    "ch",
    "chu",
    "pole",
    "ehpad",
];

/// How a domain of a local authority usually starts.
const LOCAL_AUTHORITY_PREFIXES: &[&str] = &["mairie", "ville-", "commune-", "cc-", "agglo", "communaute"];

/// What the domain of `email` says, given the names of the organisation's reference data
/// (`reference`, e.g. its commune's) and the name the requester declared; None for an address
/// without a domain.
pub fn mail_domain(email: &str, reference: &[&str], declared: &str) -> Option<DomainEvidence> {
    let (_, domain) = email.trim().rsplit_once('@')?;
    let domain = domain.trim_end_matches('.').to_lowercase();
    if domain.is_empty() {
        return None;
    }
    let kind = classify(&domain, reference, declared);
    Some(DomainEvidence { domain, kind })
}

fn classify(domain: &str, reference: &[&str], declared: &str) -> DomainKind {
    let labels: Vec<&str> = domain.split('.').collect();
    if is_webmail(domain, &labels) {
        return DomainKind::Webmail;
    }
    if ends_with_domain(domain, "mssante.fr") {
        return DomainKind::HealthMessaging;
    }
    if PUBLIC_SERVICES.iter().any(|service| ends_with_domain(domain, service)) {
        return DomainKind::PublicService;
    }
    // The name part: every label but the last ("mairie-rodez.fr" → "mairierodez").
    let body = compact(&labels[..labels.len().saturating_sub(1)].join(" "));
    if let Some(name) = reference.iter().find(|name| takes_up(&body, name)) {
        return DomainKind::NamesReference((*name).to_owned());
    }
    if takes_up(&body, declared) {
        return DomainKind::NamesDeclared(declared.to_owned());
    }
    if LOCAL_AUTHORITY_PREFIXES.iter().any(|prefix| labels[0].starts_with(prefix)) {
        return DomainKind::LocalAuthority;
    }
    DomainKind::Other
}

fn is_webmail(domain: &str, labels: &[&str]) -> bool {
    if WEBMAILS.contains(&domain) {
        return true;
    }
    // hotmail.fr, yahoo.com, yahoo.co.uk — not live.ch-rodez.fr.
    let country = match labels {
        [_, _] => true,
        [_, second, _] => matches!(*second, "co" | "com"),
        _ => false,
    };
    country && WEBMAIL_FAMILIES.contains(&labels[0])
}

/// `domain` is `parent` or one of its subdomains (label by label: "msp-sante.fr" is not under
/// "sante.fr").
fn ends_with_domain(domain: &str, parent: &str) -> bool {
    domain == parent || domain.strip_suffix(parent).is_some_and(|rest| rest.ends_with('.'))
}

/// Lowercase ASCII letters and digits only: "Saint-Affrique" → "saintaffrique".
fn compact(text: &str) -> String {
    search_form(text).replace(' ', "")
}

/// Whether the domain's name part `body` takes up `name`: the whole name ("axlesthermes"), or
/// the name without its generic words ("levezou" for « MSP du Lévézou »), at least 4 letters
/// long; or, for names of several words, each word of 4 letters or more that is not generic
/// ("millau", "grands", "causses" for « CC de Millau Grands Causses »).
fn takes_up(body: &str, name: &str) -> bool {
    let words: Vec<String> = search_form(name).split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect();
    let specific: Vec<&str> = words.iter().map(String::as_str).filter(|w| !GENERIC.contains(w)).collect();
    let whole = words.concat();
    let core = specific.concat();
    // A name made of generic words only (« Mairie ») names nobody.
    if core.is_empty() {
        return false;
    }
    if [whole, core].iter().any(|candidate| candidate.len() >= 4 && body.contains(candidate.as_str())) {
        return true;
    }
    let significant: Vec<&str> = specific.into_iter().filter(|w| w.len() >= 4).collect();
    significant.len() >= 2 && significant.iter().all(|word| body.contains(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(email: &str, reference: &[&str], declared: &str) -> DomainKind {
        mail_domain(email, reference, declared).unwrap().kind
    }

    #[test]
    fn public_webmails_say_nothing_of_the_organisation() {
        for email in [
            "maire@gmail.com",
            "MAIRE@Orange.FR",
            "a@wanadoo.fr",
            "a@free.fr",
            "a@laposte.net",
            "a@sfr.fr",
            "a@icloud.com",
            "a@hotmail.fr",
            "a@hotmail.com",
            "a@outlook.fr",
            "a@yahoo.fr",
            "a@yahoo.co.uk",
            "a@live.fr",
        ] {
            assert_eq!(kind(email, &["Rodez"], "Mairie de Rodez"), DomainKind::Webmail, "{email}");
        }
        // Even when the address names the commune: anyone may open it.
        assert_eq!(kind("mairie.rodez@orange.fr", &["Rodez"], "Mairie de Rodez"), DomainKind::Webmail);
        // A family name as a subdomain of someone else's domain is not a webmail.
        assert_ne!(kind("a@live.ch-rodez.fr", &["Rodez"], "CH"), DomainKind::Webmail);
    }

    #[test]
    fn health_messaging_and_public_services_are_recognised_label_by_label() {
        assert_eq!(kind("jeanne.roux@medecin.mssante.fr", &[], "Cabinet"), DomainKind::HealthMessaging);
        assert_eq!(kind("a@ch-rodez.mssante.fr", &[], "CH"), DomainKind::HealthMessaging);
        assert_eq!(kind("a@ars.sante.fr", &[], "ARS Occitanie"), DomainKind::PublicService);
        assert_eq!(kind("a@aveyron.gouv.fr", &["Aveyron"], "Préfecture"), DomainKind::PublicService);
        assert_eq!(kind("a@assurance-maladie.fr", &[], "CPAM"), DomainKind::PublicService);
        // Not under sante.fr: a domain of its own that happens to end with the same letters.
        assert_eq!(kind("a@msp-sante.fr", &[], "MSP"), DomainKind::Other);
    }

    #[test]
    fn a_domain_that_takes_up_the_reference_name_is_a_hint() {
        let rodez = DomainKind::NamesReference("Rodez".to_owned());
        assert_eq!(kind("accueil@mairie-rodez.fr", &["Rodez"], "Mairie de Rodez"), rodez);
        assert_eq!(kind("accueil@ville-rodez.fr", &["Rodez"], "Ville"), rodez);
        assert_eq!(kind("dgs@rodez.fr", &["Rodez"], "Ville"), rodez);
        assert_eq!(
            kind("a@saint-affrique.fr", &["Saint-Affrique"], "Mairie"),
            DomainKind::NamesReference("Saint-Affrique".to_owned())
        );
        assert_eq!(
            kind("a@millaugrandscausses.fr", &["CC de Millau Grands Causses"], "CC"),
            DomainKind::NamesReference("CC de Millau Grands Causses".to_owned())
        );
        assert_eq!(
            kind("a@haute-garonne.fr", &["Haute-Garonne"], "Conseil départemental"),
            DomainKind::NamesReference("Haute-Garonne".to_owned())
        );
        // A FINESS structure: its name or, as here, its commune.
        assert_eq!(
            kind("a@ch-rodez.fr", &["CH DE RODEZ HOPITAL JACQUES PUEL", "Rodez"], "CH de Rodez"),
            DomainKind::NamesReference("Rodez".to_owned())
        );
        // Accents and case do not matter.
        assert_eq!(
            kind("a@mairie-beziers.fr", &["Béziers"], "Mairie"),
            DomainKind::NamesReference("Béziers".to_owned())
        );
    }

    #[test]
    fn short_or_partial_names_are_not_taken_for_a_match() {
        // « Ur » (Pyrénées-Orientales) is in too many words to mean anything.
        assert_eq!(kind("a@urbanisme-conseil.fr", &["Ur"], "Mairie d'Ur"), DomainKind::Other);
        // One word of « Ax-les-Thermes » is not the name.
        assert_eq!(kind("a@thermes-marins.fr", &["Ax-les-Thermes"], "Mairie"), DomainKind::Other);
        assert_eq!(
            kind("a@ax-les-thermes.fr", &["Ax-les-Thermes"], "Mairie"),
            DomainKind::NamesReference("Ax-les-Thermes".to_owned())
        );
        // Half of an EPCI's name is not its name.
        assert_eq!(kind("a@cc-millau.fr", &["CC de Millau Grands Causses"], "CC"), DomainKind::LocalAuthority);
    }

    #[test]
    fn the_declared_name_is_a_weaker_hint_and_local_authorities_are_told_apart() {
        assert_eq!(
            kind("contact@msp-levezou.fr", &[], "MSP du Lévézou"),
            DomainKind::NamesDeclared("MSP du Lévézou".to_owned())
        );
        // The reference data first.
        assert_eq!(
            kind("a@mairie-rodez.fr", &["Rodez"], "Mairie de Rodez"),
            DomainKind::NamesReference("Rodez".to_owned())
        );
        assert_eq!(kind("a@mairie-millau.fr", &["Rodez"], "Commune"), DomainKind::LocalAuthority);
        assert_eq!(kind("a@exemple.fr", &["Rodez"], "Mairie de Rodez"), DomainKind::Other);
        // A declared name of generic words only names nobody.
        assert_eq!(kind("a@mairie-x.fr", &[], "Mairie"), DomainKind::LocalAuthority);
    }

    #[test]
    fn the_domain_is_kept_in_lowercase_and_an_address_without_one_gives_nothing() {
        let evidence = mail_domain(" Claire@Mairie-Rodez.FR ", &["Rodez"], "Mairie").unwrap();
        assert_eq!(evidence.domain, "mairie-rodez.fr");
        assert_eq!(mail_domain("sans-domaine", &["Rodez"], "Mairie"), None);
        assert_eq!(mail_domain("a@", &["Rodez"], "Mairie"), None);
    }

    #[test]
    fn every_kind_says_a_sentence_and_has_a_badge() {
        for kind in [
            DomainKind::Webmail,
            DomainKind::HealthMessaging,
            DomainKind::PublicService,
            DomainKind::NamesReference("Rodez".to_owned()),
            DomainKind::NamesDeclared("MSP".to_owned()),
            DomainKind::LocalAuthority,
            DomainKind::Other,
        ] {
            assert!(!kind.sentence().is_empty() && !kind.label().is_empty(), "{kind:?}");
            assert!(kind.badge().starts_with("badge "), "{kind:?}");
        }
    }
}
