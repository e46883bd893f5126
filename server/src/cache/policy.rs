//! Which responses are the same for every anonymous visitor, what data each shows, and how
//! they differ for a signed-in person: the one place that says so. An address not named here
//! is never cached.

use super::versions::{Deps, Scope};

/// How a response differs for a signed-in person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Personal {
    /// Not at all (data: feeds, exports, the API, layers, the sitemap).
    Same,
    /// Only by the account links of the header: served from the anonymous copy with them
    /// replaced, when the copy holds no other invitation to sign in.
    Header,
    /// Elsewhere too (forms to apply, register, get alerts): rendered for them.
    Own,
}

/// What the cache needs to know of one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub deps: Deps,
    pub personal: Personal,
}

/// The policy of the public response at `path`, or None when it is not cached (pages of one
/// person or organisation, forms, files, anything unknown).
pub fn of(path: &str) -> Option<Policy> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let deps = deps(&segments)?;
    let personal = match segments.as_slice() {
        ["offres" | "aides" | "evenements", ..] => Personal::Own,
        [""] | ["regions" | "departements" | "epci" | "communes", ..] => Personal::Header,
        ["recherche" | "carte" | "api" | "confidentialite"] => Personal::Header,
        _ => Personal::Same,
    };
    // Files under pages' prefixes: data, the same for all.
    let data = path.ends_with(".ics") || path.starts_with("/carte/couches/") || path.starts_with("/api/v1/");
    Some(Policy { deps, personal: if data { Personal::Same } else { personal } })
}

const OFFERS: Deps = Deps::of(&[Scope::Reference, Scope::Offers, Scope::Organisations]);
const AIDS: Deps = Deps::of(&[Scope::Reference, Scope::Aids, Scope::Organisations]);
const EVENTS: Deps = Deps::of(&[Scope::Reference, Scope::Events, Scope::Organisations]);
const FEEDS: Deps = Deps::of(&[Scope::Reference, Scope::Offers, Scope::Organisations, Scope::Aids]);
const SITEMAP: Deps = Deps::of(&[Scope::Reference, Scope::Offers, Scope::Events]);
const REFERENCE: Deps = Deps::of(&[Scope::Reference]);

/// The scopes the public response at the path of `segments` depends on.
fn deps(segments: &[&str]) -> Option<Deps> {
    match segments {
        // Territory pages show a little of everything: figures, offers on their map, aids,
        // events, the promotion page, outcomes.
        [""] => Some(Deps::ALL),
        ["regions" | "departements" | "epci" | "communes", key] if !key.is_empty() => Some(Deps::ALL),
        ["regions" | "departements" | "epci" | "communes", key, "bilan"] if !key.is_empty() => Some(Deps::ALL),
        ["recherche"] => Some(REFERENCE),
        ["carte"] => Some(OFFERS),
        // The reference layers keep their own compressed copies (server/src/map.rs).
        ["carte", "couches", "offres.geojson"] => Some(OFFERS),
        ["offres"] => Some(OFFERS),
        ["offres", "alertes"] => None,
        // An offer's page shows its organisation's median time to answer applications, and
        // more: everything, to be safe.
        ["offres", offer] if !offer.is_empty() => Some(Deps::ALL),
        ["aides"] => Some(AIDS),
        ["evenements"] | ["evenements.ics"] => Some(EVENTS),
        ["evenements", id] | ["evenements", id, "agenda.ics"] if is_number(id) => Some(EVENTS),
        ["flux" | "export", file] if !file.is_empty() => Some(FEEDS),
        ["sitemap.xml"] => Some(SITEMAP),
        ["api" | "confidentialite" | "robots.txt"] => Some(Deps::NONE),
        ["api", "v1", "openapi.json"] => Some(Deps::NONE),
        ["api", "v1", "offres", ..] => Some(OFFERS),
        ["api", "v1", "regions" | "departements" | "epci" | "communes" | "structures", ..] => Some(REFERENCE),
        ["api", "v1", "aides", ..] => Some(AIDS),
        ["api", "v1", "evenements", ..] => Some(EVENTS),
        _ => None,
    }
}

fn is_number(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deps(path: &str) -> Option<Deps> {
        of(path).map(|policy| policy.deps)
    }

    #[test]
    fn public_pages_are_cached_with_what_they_show() {
        assert_eq!(deps("/"), Some(Deps::ALL));
        assert_eq!(deps("/communes/12202-rodez"), Some(Deps::ALL));
        assert_eq!(deps("/departements/12-aveyron/bilan"), Some(Deps::ALL));
        assert_eq!(deps("/offres"), Some(OFFERS));
        assert!(deps("/offres/42-remplacement-a-rodez").is_some_and(|d| d.contains(Scope::Outcomes)));
        assert_eq!(deps("/evenements/7/agenda.ics"), Some(EVENTS));
        assert_eq!(deps("/api/v1/communes/12202"), Some(REFERENCE));
        assert_eq!(deps("/flux/offres.atom"), Some(FEEDS));
    }

    #[test]
    fn signed_in_people_get_data_as_is_pages_with_their_header_or_their_own_render() {
        let personal = |path| of(path).map(|p| p.personal);
        assert_eq!(personal("/api/v1/offres"), Some(Personal::Same));
        assert_eq!(personal("/carte/couches/offres.geojson"), Some(Personal::Same));
        assert_eq!(personal("/evenements/7/agenda.ics"), Some(Personal::Same));
        assert_eq!(personal("/flux/offres.atom"), Some(Personal::Same));
        assert_eq!(personal("/communes/12202-rodez"), Some(Personal::Header));
        assert_eq!(personal("/regions/76-occitanie/bilan"), Some(Personal::Header));
        assert_eq!(personal("/carte"), Some(Personal::Header));
        assert_eq!(personal("/offres"), Some(Personal::Own));
        assert_eq!(personal("/offres/42-x"), Some(Personal::Own));
        assert_eq!(personal("/aides"), Some(Personal::Own));
        assert_eq!(personal("/evenements/7"), Some(Personal::Own));
        assert_eq!(personal("/compte"), None);
    }

    #[test]
    fn personal_pages_forms_and_unknown_addresses_are_not() {
        for path in [
            "/compte",
            "/connexion",
            "/offres/alertes",
            "/offres/42-x/modification",
            "/offres/42-x/candidats",
            "/organisations/3",
            "/candidatures",
            "/moderation",
            "/dossiers/2",
            "/evenements/7/inscription",
            "/photos/abc.jpg",
            "/pkg/portail.wasm",
            "/communes",
            "/communes/",
            "/_srv/get_commune",
        ] {
            assert_eq!(deps(path), None, "{path}");
        }
    }
}
