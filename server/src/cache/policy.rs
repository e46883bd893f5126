//! Which responses are the same for every anonymous visitor, what data each shows, and how
//! they differ for a signed-in person: the one place that says so. An address not named here
//! is never cached.

use super::versions::{Deps, Scope};
use crate::http::{ROBOTS, SITEMAP};
use crate::open_api;
use app::domain::Address;
use app::domain::accounts::paths as accounts;
use app::domain::aids::paths as aids;
use app::domain::alerts::paths as alerts;
use app::domain::events::paths as events;
use app::domain::map::paths as map;
use app::domain::offers::paths as offers;
use app::domain::open_data::paths as open_data;
use app::domain::promotion::paths as promotion;
use app::domain::territory::paths as territory;

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
    RULES.iter().find(|(pattern, _)| pattern.matches(path)).and_then(|(_, policy)| *policy)
}

/// What a rule covers: the addresses of the pages and routes, as they declare them.
#[derive(Debug, Clone, Copy)]
enum Pattern {
    Page(Address),
    /// A section of the open API (`/api/v1/{section}` and below).
    Api(&'static str),
}

impl Pattern {
    fn matches(self, path: &str) -> bool {
        match self {
            Pattern::Page(address) => address.matches(path),
            Pattern::Api(section) => path
                .strip_prefix(open_api::BASE)
                .and_then(|rest| rest.strip_prefix('/'))
                .and_then(|rest| rest.strip_prefix(section))
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/')),
        }
    }
}

const fn page(address: &'static str) -> Pattern {
    Pattern::Page(Address(address))
}

const fn cached(deps: Deps, personal: Personal) -> Option<Policy> {
    Some(Policy { deps, personal })
}

/// Every cached address, first match wins: what each shows and how it differs for a
/// signed-in person. Territory pages show a little of everything (figures, offers on their
/// map, aids, events, the promotion page, outcomes); so does an offer's page (its
/// organisation's median time to answer, and more): everything, to be safe.
const RULES: &[(Pattern, Option<Policy>)] = &[
    (page(territory::HOME), cached(Deps::PUBLIC, Personal::Header)),
    (Pattern::Page(territory::REGION_PAGE), cached(Deps::PUBLIC, Personal::Header)),
    (Pattern::Page(territory::DEPARTEMENT_PAGE), cached(Deps::PUBLIC, Personal::Header)),
    (Pattern::Page(territory::EPCI_PAGE), cached(Deps::PUBLIC, Personal::Header)),
    (Pattern::Page(territory::COMMUNE_PAGE), cached(Deps::PUBLIC, Personal::Header)),
    (Pattern::Page(territory::REGION_OUTCOMES), cached(Deps::PUBLIC, Personal::Header)),
    (Pattern::Page(territory::DEPARTEMENT_OUTCOMES), cached(Deps::PUBLIC, Personal::Header)),
    (Pattern::Page(territory::EPCI_OUTCOMES), cached(Deps::PUBLIC, Personal::Header)),
    (Pattern::Page(territory::COMMUNE_OUTCOMES), cached(Deps::PUBLIC, Personal::Header)),
    (page(territory::SEARCH), cached(REFERENCE, Personal::Header)),
    (page(map::MAP), cached(OFFERS, Personal::Header)),
    // The reference layers keep their own compressed copies (server/src/map.rs).
    (page(map::OFFERS), cached(OFFERS, Personal::Same)),
    (page(offers::BOARD), cached(OFFERS, Personal::Own)),
    // Under the offers' pattern, but a form's handler.
    (page(alerts::CREATE), None),
    (Pattern::Page(offers::OFFER), cached(Deps::PUBLIC, Personal::Own)),
    (page(aids::AIDS), cached(AIDS, Personal::Own)),
    (page(events::EVENTS), cached(EVENTS, Personal::Own)),
    (page(events::EVENTS_ICS), cached(EVENTS, Personal::Same)),
    (Pattern::Page(events::EVENT), cached(EVENTS, Personal::Own)),
    (Pattern::Page(events::ICS), cached(EVENTS, Personal::Same)),
    (page(open_data::OFFERS_ATOM), cached(FEEDS, Personal::Same)),
    (page(open_data::OFFERS_RSS), cached(FEEDS, Personal::Same)),
    (page(open_data::OFFERS_CSV), cached(FEEDS, Personal::Same)),
    // Sites and housing are an organisation's writes; a housing's end is one too (lapsed_at).
    (page(open_data::STAGE_SITES_ATOM), cached(FEEDS, Personal::Same)),
    (page(open_data::STAGE_SITES_RSS), cached(FEEDS, Personal::Same)),
    (page(open_data::HOUSING_ATOM), cached(FEEDS, Personal::Same)),
    (page(open_data::HOUSING_RSS), cached(FEEDS, Personal::Same)),
    (page(open_data::AIDS_CSV), cached(FEEDS, Personal::Same)),
    (page(SITEMAP), cached(SITEMAP_DEPS, Personal::Same)),
    (page(ROBOTS), cached(Deps::NONE, Personal::Same)),
    (page(open_data::OPEN_API), cached(Deps::NONE, Personal::Header)),
    (page(accounts::PRIVACY), cached(Deps::NONE, Personal::Header)),
    (page(promotion::GUICHETS), cached(GUICHETS, Personal::Header)),
    (Pattern::Api("openapi.json"), cached(Deps::NONE, Personal::Same)),
    (Pattern::Api("offres"), cached(OFFERS, Personal::Same)),
    (Pattern::Api("regions"), cached(REFERENCE, Personal::Same)),
    (Pattern::Api("departements"), cached(REFERENCE, Personal::Same)),
    (Pattern::Api("epci"), cached(REFERENCE, Personal::Same)),
    (Pattern::Api("communes"), cached(REFERENCE, Personal::Same)),
    (Pattern::Api("structures"), cached(REFERENCE, Personal::Same)),
    (Pattern::Api("aides"), cached(AIDS, Personal::Same)),
    (Pattern::Api("evenements"), cached(EVENTS, Personal::Same)),
];

const OFFERS: Deps = Deps::of(&[Scope::Reference, Scope::Offers, Scope::Organisations]);
const AIDS: Deps = Deps::of(&[Scope::Reference, Scope::Aids, Scope::Organisations]);
const EVENTS: Deps = Deps::of(&[Scope::Reference, Scope::Events, Scope::Organisations]);
const FEEDS: Deps = Deps::of(&[Scope::Reference, Scope::Offers, Scope::Organisations, Scope::Aids]);
const SITEMAP_DEPS: Deps = Deps::of(&[Scope::Reference, Scope::Offers, Scope::Events]);
const REFERENCE: Deps = Deps::of(&[Scope::Reference]);
/// The territories with a referent: published pages of verified collectivités.
const GUICHETS: Deps = Deps::of(&[Scope::Reference, Scope::Promotion, Scope::Organisations]);

#[cfg(test)]
mod tests {
    use super::*;

    fn deps(path: &str) -> Option<Deps> {
        of(path).map(|policy| policy.deps)
    }

    #[test]
    fn public_pages_are_cached_with_what_they_show() {
        assert_eq!(deps("/"), Some(Deps::PUBLIC));
        assert_eq!(deps("/communes/12202-rodez"), Some(Deps::PUBLIC));
        assert_eq!(deps("/departements/12-aveyron/bilan"), Some(Deps::PUBLIC));
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
