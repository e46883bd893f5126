//! The eligibility rules: which aids apply in a place, for a profile, on a day. A pure
//! function of the catalogue, so the simulator, the commune pages and the tests all give the
//! same answer.

use app::api::aid::{Aid, AidPlace, AidProfile, AidTotals, AidZone, AmountUnit, Applicable, ScopeKind, Verdict};
use app::model::{Day, Zonage};
use std::cmp::Reverse;

/// The aids of `catalogue` that apply in `place` for `profile` (every profile when None) on
/// `today`: those surely applying first, then those with one condition left to check; the
/// larger amounts first within each. Withdrawn, expired and not-yet-started aids never apply.
pub fn applicable(catalogue: &[Aid], place: &AidPlace, profile: Option<AidProfile>, today: Day) -> Vec<Applicable> {
    let mut found: Vec<Applicable> = catalogue
        .iter()
        .filter(|aid| in_force(aid, today) && covers(aid, place) && fits(aid, profile))
        .filter_map(|aid| zone_verdict(aid, place).map(|verdict| Applicable { aid: aid.clone(), verdict }))
        .collect();
    found.sort_by_key(|a| (a.verdict != Verdict::Applies, Reverse(a.aid.amount_eur.unwrap_or(0)), a.aid.name.clone()));
    found
}

/// The fixed amounts of the aids that surely apply, summed by unit.
pub fn totals(applicable: &[Applicable]) -> AidTotals {
    let mut totals = AidTotals::default();
    for a in applicable.iter().filter(|a| a.verdict == Verdict::Applies) {
        let amount = a.aid.amount_eur.unwrap_or(0);
        match a.aid.amount_unit {
            AmountUnit::Once => totals.once += amount,
            AmountUnit::Month => totals.per_month += amount,
            AmountUnit::Year => totals.per_year += amount,
            AmountUnit::None => {}
        }
    }
    totals
}

fn in_force(aid: &Aid, today: Day) -> bool {
    !aid.withdrawn && !aid.expired(today) && !aid.upcoming(today)
}

/// The aid's territory contains the place.
fn covers(aid: &Aid, place: &AidPlace) -> bool {
    let code = aid.scope.code.as_deref();
    match aid.scope.kind {
        ScopeKind::National => true,
        ScopeKind::Region => code == Some(place.region.as_str()),
        ScopeKind::Departement => code == Some(place.departement.as_str()),
        ScopeKind::Epci => code.is_some() && code == place.epci.as_deref(),
        ScopeKind::Commune => code == Some(place.commune.as_str()),
    }
}

/// The aid is open to the profile. A recently installed doctor is also an installed one, and
/// so is a maître de stage: aids for installed doctors apply to them too, not the reverse.
fn fits(aid: &Aid, profile: Option<AidProfile>) -> bool {
    let Some(profile) = profile else { return true };
    if aid.profiles.is_empty() {
        return true;
    }
    let counts_as: &[AidProfile] = match profile {
        AidProfile::InstalleRecent => &[AidProfile::InstalleRecent, AidProfile::Installe],
        AidProfile::Msu => &[AidProfile::Msu, AidProfile::Installe],
        AidProfile::Interne => &[AidProfile::Interne],
        AidProfile::Remplacant => &[AidProfile::Remplacant],
        AidProfile::Installe => &[AidProfile::Installe],
    };
    aid.profiles.iter().any(|p| counts_as.contains(p))
}

/// Whether the place is in one of the aid's zones: Applies when its ARS zoning is listed,
/// ToCheck when only a zone finer than the commune could match (a QPV of the commune, a
/// mountain area), None when no zone can.
fn zone_verdict(aid: &Aid, place: &AidPlace) -> Option<Verdict> {
    if aid.zones.is_empty() {
        return Some(Verdict::Applies);
    }
    let zoning = place.zonage.map(|z| match z {
        Zonage::Zip => AidZone::Zip,
        Zonage::Zac => AidZone::Zac,
        Zonage::Zar => AidZone::Zar,
    });
    if zoning.is_some_and(|z| aid.zones.contains(&z)) {
        return Some(Verdict::Applies);
    }
    if aid.zones.contains(&AidZone::Qpv) && !place.qpv.is_empty() {
        return Some(Verdict::ToCheck(format!(
            "si le lieu d'exercice est dans un quartier prioritaire de la commune ({}, géographie 2015)",
            place.qpv.join(", ")
        )));
    }
    if aid.zones.contains(&AidZone::Montagne) {
        return Some(Verdict::ToCheck(
            "si la commune est classée en zone de montagne : le portail ne dispose pas encore de ce classement, \
             renseignez-vous auprès de l'ARS"
                .to_owned(),
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    //! Over the real catalogue (server/data/aides.json) and real communes of each zoning, read
    //! from the reference files: Decazeville (ZIP), Rodez (ZAC), Toulouse (ZAR, with QPV).

    use super::*;
    use app::api::aid::{AidCategory, AidScope, Exercise, Funder, split_codes};
    use serde_json::Value;

    fn day(raw: &str) -> Day {
        Day::parse(raw).unwrap()
    }

    const TODAY: &str = "2026-12-02";

    fn catalogue() -> Vec<Aid> {
        let entries: Vec<Value> = serde_json::from_str(include_str!("../../data/aides.json")).unwrap();
        entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let text = |k: &str| e[k].as_str().unwrap_or_default().to_owned();
                let list = |k: &str| {
                    e[k].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect::<Vec<_>>().join(",")
                };
                let scope_kind = ScopeKind::from_code(e["scope"]["kind"].as_str().unwrap()).unwrap();
                Aid {
                    id: i as i64 + 1,
                    slug: text("slug"),
                    name: text("name"),
                    funder: Funder::from_code(&text("funder")).unwrap(),
                    category: AidCategory::from_code(&text("category")).unwrap(),
                    amount_eur: e["amount_eur"].as_i64(),
                    amount_unit: AmountUnit::from_code(&text("amount_unit")).unwrap(),
                    amount_text: text("amount_text"),
                    summary: text("summary"),
                    conditions: text("conditions"),
                    zones: split_codes(&list("zones"), AidZone::from_code).unwrap(),
                    profiles: split_codes(&list("profiles"), AidProfile::from_code).unwrap(),
                    exercise: split_codes(&list("exercise"), Exercise::from_code).unwrap(),
                    commitment: e["commitment"].as_str().map(str::to_owned),
                    commitment_years: e["commitment_years"].as_i64(),
                    scope: AidScope {
                        kind: scope_kind,
                        code: e["scope"]["code"].as_str().map(str::to_owned),
                        name: String::new(),
                    },
                    source_url: text("source_url"),
                    valid_from: e["valid_from"].as_str().map(day),
                    valid_to: e["valid_to"].as_str().map(day),
                    checked_on: day(&text("checked_on")),
                    publisher: None,
                    withdrawn: false,
                }
            })
            .collect()
    }

    /// A commune as the reference files describe it.
    fn place(code: &str) -> AidPlace {
        let field = |file: &str, key: &str, column: &str| -> Option<String> {
            let mut reader = csv::Reader::from_reader(file.as_bytes());
            let headers = reader.headers().unwrap().clone();
            let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
            reader.records().map(Result::unwrap).find(|r| &r[0] == key).map(|r| r[at(column)].to_owned())
        };
        let communes = include_str!("../../data/communes-occitanie.csv");
        let zonage = include_str!("../../data/zonage-mg-occitanie.csv");
        let qpv = include_str!("../../data/qpv-occitanie-2015.csv");
        AidPlace {
            commune: code.to_owned(),
            departement: field(communes, code, "dep").unwrap(),
            region: field(communes, code, "reg").unwrap(),
            epci: field(communes, code, "epci").filter(|e| !e.is_empty()),
            zonage: field(zonage, code, "zonage_mg").as_deref().and_then(Zonage::from_code),
            qpv: qpv
                .lines()
                .filter(|l| l.split(',').nth(2) == Some(code))
                .map(|l| l.split(',').nth(1).unwrap().to_owned())
                .collect(),
        }
    }

    fn slugs(found: &[Applicable], verdict: impl Fn(&Verdict) -> bool) -> Vec<&str> {
        found.iter().filter(|a| verdict(&a.verdict)).map(|a| a.aid.slug.as_str()).collect()
    }

    /// For each commune and profile: aids that must surely apply, aids left to check, and
    /// aids that must not be listed at all.
    #[test]
    fn each_zoning_and_profile_gets_its_aids() {
        let catalogue = catalogue();
        let (zip, zac, zar) = (place("12089"), place("12202"), place("31555"));
        assert_eq!((zip.zonage, zac.zonage, zar.zonage), (Some(Zonage::Zip), Some(Zonage::Zac), Some(Zonage::Zar)));
        assert!(zip.qpv.is_empty() && !zar.qpv.is_empty());
        use AidProfile::*;
        // (place, profile, surely applies, left to check, not listed)
        type Case<'a> = (&'a AidPlace, AidProfile, &'a [&'a str], &'a [&'a str], &'a [&'a str]);
        let cases: &[Case] = &[
            (
                &zip,
                InstalleRecent,
                &[
                    "am-aide-installation-zip",
                    "am-aide-cabinet-secondaire-zip",
                    "am-majoration-fmt-primo-installe-zip-qpv",
                    "fiscal-exoneration-ir-permanence-soins",
                ],
                &["ars-occitanie-aide-installation-montagne"],
                &["am-aide-installation-zac", "etat-cesp", "ars-contrat-debut-exercice-remplacant"],
            ),
            (
                &zip,
                Installe,
                &["am-aide-cabinet-secondaire-zip", "am-majoration-fmt-zip-qpv"],
                &[],
                &[
                    "am-aide-installation-zip",
                    "am-majoration-fmt-primo-installe-zip-qpv",
                    "msu-honoraires-pedagogiques",
                ],
            ),
            (
                &zip,
                Interne,
                &[
                    "etat-cesp",
                    "etat-indemnite-hebergement-internes",
                    "etat-indemnite-transport-internes",
                    "etat-docteur-junior-indemnite-zip",
                ],
                &[],
                &["am-aide-installation-zip", "msu-honoraires-pedagogiques"],
            ),
            (
                &zip,
                Remplacant,
                &["ars-contrat-debut-exercice-remplacant", "fiscal-exoneration-ir-permanence-soins"],
                &[],
                &["am-aide-installation-zip", "etat-cesp"],
            ),
            (
                &zip,
                Msu,
                &[
                    "msu-honoraires-pedagogiques",
                    "msu-docteur-junior-prime-zone-sous-dense",
                    "am-aide-cabinet-secondaire-zip",
                ],
                &[],
                &["am-aide-installation-zip", "etat-cesp"],
            ),
            (
                &zac,
                InstalleRecent,
                &["am-aide-installation-zac", "fiscal-exoneration-ir-permanence-soins"],
                &["ars-occitanie-aide-installation-montagne"],
                &[
                    "am-aide-installation-zip",
                    "am-aide-cabinet-secondaire-zip",
                    "am-majoration-fmt-primo-installe-zip-qpv",
                ],
            ),
            (
                &zac,
                Installe,
                &["fiscal-exoneration-ir-permanence-soins"],
                &[],
                &["am-aide-installation-zac", "am-majoration-fmt-zip-qpv"],
            ),
            (
                &zac,
                Interne,
                &["etat-cesp", "etat-indemnite-hebergement-internes"],
                &[],
                &["etat-docteur-junior-indemnite-zip"],
            ),
            (&zac, Remplacant, &["ars-contrat-debut-exercice-remplacant"], &[], &["am-aide-installation-zac"]),
            (&zac, Msu, &["msu-docteur-junior-prime-zone-sous-dense"], &[], &["am-aide-installation-zac"]),
            (
                &zar,
                InstalleRecent,
                &["fiscal-exoneration-cfe-medecins"],
                &["am-majoration-fmt-primo-installe-zip-qpv", "ars-occitanie-aide-installation-montagne"],
                &["am-aide-installation-zip", "am-aide-installation-zac", "fiscal-exoneration-ir-permanence-soins"],
            ),
            (&zar, Installe, &[], &["am-majoration-fmt-zip-qpv"], &["am-aide-cabinet-secondaire-zip"]),
            (
                &zar,
                Interne,
                &["etat-indemnite-transport-internes"],
                &[],
                &["etat-cesp", "etat-indemnite-hebergement-internes", "etat-docteur-junior-indemnite-zip"],
            ),
            (
                &zar,
                Remplacant,
                &[],
                &[],
                &["ars-contrat-debut-exercice-remplacant", "fiscal-exoneration-ir-permanence-soins"],
            ),
            (&zar, Msu, &["msu-honoraires-pedagogiques"], &["msu-docteur-junior-prime-zone-sous-dense"], &[]),
        ];
        for (place, profile, applies, to_check, absent) in cases {
            let found = applicable(&catalogue, place, Some(*profile), day(TODAY));
            let sure = slugs(&found, |v| *v == Verdict::Applies);
            let maybe = slugs(&found, |v| matches!(v, Verdict::ToCheck(_)));
            let context = format!("{} {profile:?}: sure {sure:?}, to check {maybe:?}", place.commune);
            for slug in *applies {
                assert!(sure.contains(slug), "{slug} should apply — {context}");
            }
            for slug in *to_check {
                assert!(maybe.contains(slug), "{slug} should be left to check — {context}");
            }
            for slug in *absent {
                assert!(!sure.contains(slug) && !maybe.contains(slug), "{slug} should not be listed — {context}");
            }
        }
    }

    #[test]
    fn the_qpv_condition_names_the_districts() {
        let found = applicable(&catalogue(), &place("31555"), Some(AidProfile::Installe), day(TODAY));
        let fmt = found.iter().find(|a| a.aid.slug == "am-majoration-fmt-zip-qpv").unwrap();
        let Verdict::ToCheck(why) = &fmt.verdict else { panic!("QPV aid should be left to check") };
        assert!(why.contains("Empalot") && why.contains("Grand Mirail"), "{why}");
    }

    #[test]
    fn expired_withdrawn_or_future_aids_never_apply() {
        let mut catalogue = catalogue();
        let zip = place("12089");
        // The ZFRR exemption ends on 2029-12-31: listed the day before, never after.
        let on = |d: &str, catalogue: &[Aid]| {
            let found = applicable(catalogue, &zip, Some(AidProfile::InstalleRecent), day(d));
            found.iter().map(|a| a.aid.slug.clone()).collect::<Vec<_>>()
        };
        assert!(on("2029-12-31", &catalogue).contains(&"fiscal-exoneration-benefices-zfrr".to_owned()));
        assert!(!on("2030-01-01", &catalogue).contains(&"fiscal-exoneration-benefices-zfrr".to_owned()));
        // The 2026 installation grant did not exist in 2025.
        assert!(!on("2025-12-31", &catalogue).contains(&"am-aide-installation-zip".to_owned()));
        // Every aid made expired or withdrawn: nothing applies, for any profile, anywhere.
        for (i, aid) in catalogue.iter_mut().enumerate() {
            if i % 2 == 0 {
                aid.valid_to = Some(day("2026-12-01"));
            } else {
                aid.withdrawn = true;
            }
        }
        for code in ["12089", "12202", "31555"] {
            for profile in AidProfile::ALL.iter().copied().map(Some).chain([None]) {
                assert!(applicable(&catalogue, &place(code), profile, day(TODAY)).is_empty());
            }
        }
    }

    #[test]
    fn every_listed_aid_meets_its_conditions_for_every_profile() {
        let catalogue = catalogue();
        for code in ["12089", "12202", "31555", "81004", "48095"] {
            let place = place(code);
            for profile in AidProfile::ALL {
                for a in applicable(&catalogue, &place, Some(*profile), day(TODAY)) {
                    assert!(!a.aid.expired(day(TODAY)) && !a.aid.upcoming(day(TODAY)));
                    assert!(fits(&a.aid, Some(*profile)), "{} for {profile:?}", a.aid.slug);
                }
            }
        }
    }

    #[test]
    fn local_aids_apply_only_on_their_territory() {
        let mut aid = catalogue().remove(0);
        aid.scope = AidScope { kind: ScopeKind::Commune, code: Some("12202".into()), name: "Rodez".into() };
        aid.zones.clear();
        let rodez = applicable(std::slice::from_ref(&aid), &place("12202"), None, day(TODAY));
        let decazeville = applicable(std::slice::from_ref(&aid), &place("12089"), None, day(TODAY));
        assert_eq!((rodez.len(), decazeville.len()), (1, 0));
        aid.scope = AidScope { kind: ScopeKind::Departement, code: Some("12".into()), name: "Aveyron".into() };
        assert_eq!(applicable(std::slice::from_ref(&aid), &place("12089"), None, day(TODAY)).len(), 1);
        assert!(applicable(std::slice::from_ref(&aid), &place("31555"), None, day(TODAY)).is_empty());
    }

    #[test]
    fn totals_add_only_sure_fixed_amounts_by_unit() {
        let found = applicable(&catalogue(), &place("12089"), Some(AidProfile::InstalleRecent), day(TODAY));
        let totals = totals(&found);
        // 10 000 € (ZIP installation) + 3 000 € (second site in ZIP); the montagne aid is to check.
        assert_eq!(totals.once, 13_000);
    }
}
