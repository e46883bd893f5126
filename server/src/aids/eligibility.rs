//! The eligibility rules: which aids apply in a place, for a profile, on a day, and what the
//! ones that apply add up to. Pure functions of the catalogue, so the simulator, the commune
//! pages and the tests all give the same answer.

use app::domain::aids::{
    Aid, AidCombination, AidLink, AidPlace, AidProfile, AidPurpose, AidTotals, AidZone, AmountUnit, Applicable,
    PurposeTotals, ScopeKind, Verdict,
};
use app::model::{Day, Zonage};
use std::cmp::Reverse;

/// The aids of `catalogue` that apply in `place` for `profile` (every profile when None) on
/// `today`: those surely applying first, then those with one condition left to check; the
/// larger amounts first within each. Withdrawn, expired and not-yet-started aids never apply.
pub fn applicable(catalogue: &[Aid], place: &AidPlace, profile: Option<AidProfile>, today: Day) -> Vec<Applicable> {
    let mut found: Vec<Applicable> = catalogue
        .iter()
        .filter(|aid| in_force(aid, today) && covers(aid, place) && fits(aid, profile))
        .filter_map(|aid| place_verdict(aid, place).map(|verdict| Applicable { aid: aid.clone(), verdict }))
        .collect();
    found.sort_by_key(|a| (a.verdict != Verdict::Applies, Reverse(a.aid.amount_eur.unwrap_or(0)), a.aid.name.clone()));
    found
}

/// What the aids that surely apply add up to, purpose by purpose: for each, the largest sets of
/// aids none of which excludes another, best first. Nothing without a profile: the aids of an
/// intern, a supervisor and an installed doctor are never received by one person.
pub fn totals(applicable: &[Applicable], profile: Option<AidProfile>) -> Vec<PurposeTotals> {
    if profile.is_none() {
        return Vec::new();
    }
    AidPurpose::ALL
        .iter()
        .filter_map(|purpose| {
            let sure: Vec<&Aid> = applicable
                .iter()
                .filter(|a| a.verdict == Verdict::Applies && a.aid.purposes.contains(purpose))
                .map(|a| &a.aid)
                .filter(|aid| aid.fixed_amount().is_some())
                .collect();
            let mut options: Vec<AidCombination> =
                compatible_sets(&sure).into_iter().map(|set| combination(&set)).collect();
            options.sort_by_key(|o| {
                (Reverse(o.totals.over_a_year()), o.aids.iter().map(|a| a.name.clone()).collect::<Vec<_>>())
            });
            (!options.is_empty()).then_some(PurposeTotals { purpose: *purpose, options })
        })
        .collect()
}

/// One of the two excludes the other (the catalogue states it both ways, a local aid may
/// state it on its side only).
pub fn exclude_each_other(a: &Aid, b: &Aid) -> bool {
    a.excludes.iter().any(|x| x.slug == b.slug) || b.excludes.iter().any(|x| x.slug == a.slug)
}

/// Every maximal set of `aids` in which no aid excludes another (Bron–Kerbosch over the graph of
/// aids that combine). Exclusions are few, so the sets are too; beyond 64 aids of one purpose in
/// one place (none today) the smaller ones are left out rather than overflow the bit sets.
fn compatible_sets<'a>(aids: &[&'a Aid]) -> Vec<Vec<&'a Aid>> {
    let aids = &aids[..aids.len().min(64)];
    let combines: Vec<u64> = aids
        .iter()
        .enumerate()
        .map(|(i, a)| {
            aids.iter()
                .enumerate()
                .filter(|(j, b)| *j != i && !exclude_each_other(a, b))
                .fold(0u64, |set, (j, _)| set | 1 << j)
        })
        .collect();
    fn grow(chosen: u64, mut open: u64, mut done: u64, combines: &[u64], found: &mut Vec<u64>) {
        if open == 0 && done == 0 {
            found.push(chosen);
            return;
        }
        let pivot = (open | done).trailing_zeros() as usize;
        let mut candidates = open & !combines[pivot];
        while candidates != 0 {
            let v = candidates.trailing_zeros() as usize;
            candidates &= candidates - 1;
            grow(chosen | 1 << v, open & combines[v], done & combines[v], combines, found);
            open &= !(1 << v);
            done |= 1 << v;
        }
    }
    let mut found = Vec::new();
    if !aids.is_empty() {
        let all = if aids.len() == 64 { u64::MAX } else { (1u64 << aids.len()) - 1 };
        grow(0, all, 0, &combines, &mut found);
    }
    found.into_iter().map(|set| (0..aids.len()).filter(|i| set & (1 << i) != 0).map(|i| aids[i]).collect()).collect()
}

fn combination(aids: &[&Aid]) -> AidCombination {
    let mut totals = AidTotals::default();
    for (amount, unit) in aids.iter().filter_map(|aid| aid.fixed_amount()) {
        match unit {
            AmountUnit::Once => totals.once += amount,
            AmountUnit::Month => totals.per_month += amount,
            AmountUnit::Year => totals.per_year += amount,
            AmountUnit::None => {}
        }
    }
    AidCombination {
        aids: aids.iter().map(|a| AidLink { slug: a.slug.clone(), name: a.name.clone() }).collect(),
        totals,
    }
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
/// Interns and docteurs juniors are two profiles: each aid names those it is open to.
pub fn fits(aid: &Aid, profile: Option<AidProfile>) -> bool {
    let Some(profile) = profile else { return true };
    if aid.profiles.is_empty() {
        return true;
    }
    let counts_as: &[AidProfile] = match profile {
        AidProfile::InstalleRecent => &[AidProfile::InstalleRecent, AidProfile::Installe],
        AidProfile::Msu => &[AidProfile::Msu, AidProfile::Installe],
        AidProfile::Interne => &[AidProfile::Interne],
        AidProfile::DocteurJunior => &[AidProfile::DocteurJunior],
        AidProfile::Remplacant => &[AidProfile::Remplacant],
        AidProfile::Installe => &[AidProfile::Installe],
    };
    aid.profiles.iter().any(|p| counts_as.contains(p))
}

/// Whether the place is where the aid applies: Applies when its ARS zoning or its département
/// is listed (or the aid lists neither), ToCheck when only a zone finer than the commune could
/// match (a QPV of the commune, a mountain area), None when nothing can.
fn place_verdict(aid: &Aid, place: &AidPlace) -> Option<Verdict> {
    if aid.zones.is_empty() && aid.departements.is_empty() {
        return Some(Verdict::Applies);
    }
    if aid.departements.iter().any(|d| d.code == place.departement) {
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
            "si la commune est classée en zone de montagne : le portail ne dispose pas encore de ce classement, \
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
    use app::domain::aids::{AidCategory, AidDepartement, AidScope, Exercise, Funder, split_codes};
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
                    departements: split_codes(&list("departements"), |c| Some(c.to_owned()))
                        .unwrap()
                        .into_iter()
                        .map(|code| AidDepartement { name: code.clone(), code })
                        .collect(),
                    profiles: split_codes(&list("profiles"), AidProfile::from_code).unwrap(),
                    purposes: split_codes(&list("purposes"), AidPurpose::from_code).unwrap(),
                    exercise: split_codes(&list("exercise"), Exercise::from_code).unwrap(),
                    excludes: split_codes(&list("excludes"), |c| Some(c.to_owned()))
                        .unwrap()
                        .into_iter()
                        .map(|slug| AidLink { name: slug.clone(), slug })
                        .collect(),
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
                    verified_on: None,
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
                &["etat-cesp", "etat-indemnite-hebergement-internes", "etat-indemnite-transport-internes"],
                &[],
                &["am-aide-installation-zip", "msu-honoraires-pedagogiques", "etat-docteur-junior-indemnite-zip"],
            ),
            (
                &zip,
                DocteurJunior,
                &[
                    "etat-cesp",
                    "etat-indemnite-hebergement-internes",
                    "etat-indemnite-transport-internes",
                    "etat-docteur-junior-indemnite-zip",
                    "etat-docteur-junior-prime-activite",
                ],
                &[],
                &["am-aide-installation-zip", "msu-docteur-junior-remuneration"],
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

    /// A purpose's options, as (slugs, totals).
    type Options = Vec<(Vec<String>, AidTotals)>;

    /// The totals of `profile` in the commune `code`, by purpose.
    fn totals_in(code: &str, profile: Option<AidProfile>) -> Vec<(AidPurpose, Options)> {
        let found = applicable(&catalogue(), &place(code), profile, day(TODAY));
        totals(&found, profile)
            .into_iter()
            .map(|t| {
                let options =
                    t.options.into_iter().map(|o| (o.aids.into_iter().map(|a| a.slug).collect(), o.totals)).collect();
                (t.purpose, options)
            })
            .collect()
    }

    fn slugs_of(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn per_month(amount: i64) -> AidTotals {
        AidTotals { per_month: amount, ..AidTotals::default() }
    }

    fn once(amount: i64) -> AidTotals {
        AidTotals { once: amount, ..AidTotals::default() }
    }

    #[test]
    fn an_installation_and_a_second_site_are_two_projects() {
        // Decazeville (ZIP): 10 000 € for settling, 3 000 € for a second site, never 13 000 €.
        assert_eq!(
            totals_in("12089", Some(AidProfile::InstalleRecent)),
            vec![
                (AidPurpose::Installation, vec![(slugs_of(&["am-aide-installation-zip"]), once(10_000))]),
                (AidPurpose::CabinetSecondaire, vec![(slugs_of(&["am-aide-cabinet-secondaire-zip"]), once(3_000))]),
            ]
        );
    }

    #[test]
    fn an_intern_in_requista_adds_the_placement_allowances_and_not_the_cesp() {
        assert_eq!(
            totals_in("12197", Some(AidProfile::Interne)),
            vec![
                (
                    AidPurpose::Stage,
                    vec![(
                        slugs_of(&["etat-indemnite-hebergement-internes", "etat-indemnite-transport-internes"]),
                        per_month(430)
                    )]
                ),
                (AidPurpose::Etudes, vec![(slugs_of(&["etat-cesp"]), per_month(1_200))]),
            ]
        );
    }

    #[test]
    fn a_docteur_junior_in_requista_gets_either_the_zip_allowance_or_the_two_others() {
        assert_eq!(
            totals_in("12197", Some(AidProfile::DocteurJunior)),
            vec![
                (
                    AidPurpose::Stage,
                    vec![
                        (slugs_of(&["etat-docteur-junior-indemnite-zip"]), per_month(1_000)),
                        (
                            slugs_of(&["etat-indemnite-hebergement-internes", "etat-indemnite-transport-internes"]),
                            per_month(430)
                        ),
                    ]
                ),
                (AidPurpose::Etudes, vec![(slugs_of(&["etat-cesp"]), per_month(1_200))]),
            ]
        );
    }

    #[test]
    fn without_a_profile_nothing_is_added_up() {
        // Mauvezin (ZAC, Gers): aids for interns, supervisors and installed doctors apply, no total.
        let found = applicable(&catalogue(), &place("32249"), None, day(TODAY));
        assert!(found.len() > 5);
        assert!(totals(&found, None).is_empty());
    }

    #[test]
    fn the_ars_aid_named_for_the_gers_applies_in_the_gers() {
        // Gimont (ZIP, Gers): the ARS aid surely applies; Decazeville (Aveyron) leaves it to check.
        let verdict = |code: &str| {
            applicable(&catalogue(), &place(code), Some(AidProfile::InstalleRecent), day(TODAY))
                .into_iter()
                .find(|a| a.aid.slug == "ars-occitanie-aide-installation-montagne")
                .map(|a| a.verdict)
        };
        assert_eq!(verdict("32147"), Some(Verdict::Applies));
        assert!(matches!(verdict("12089"), Some(Verdict::ToCheck(_))));
        assert_eq!(verdict("31555").map(|v| v == Verdict::Applies), Some(false), "Toulouse: only its QPV");
    }

    /// Random communes, random profiles and random local aids (random purposes, profiles,
    /// zones, amounts and exclusions, of catalogue aids and of each other): no total ever adds
    /// two aids that exclude each other, an aid of another profile or purpose, or an aid that
    /// does not surely apply; every option is as large as it can be; the best comes first; no
    /// profile, no total.
    #[test]
    fn no_total_ever_adds_aids_one_person_cannot_receive_together() {
        use crate::demo::Draw;
        let base = catalogue();
        let communes: Vec<String> = include_str!("../../data/communes-occitanie.csv")
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap().to_owned())
            .collect();
        let places: Vec<AidPlace> = (0..communes.len()).step_by(37).map(|i| place(&communes[i])).collect();
        let mut draw = Draw(0x5eed_a1d5);
        let mut checked = 0;
        for round in 0..400 {
            let mut catalogue = base.clone();
            let place = draw.pick(&places).clone();
            for n in 0..draw.below(6) {
                let mut aid = draw.pick(&base).clone();
                aid.slug = format!("local-{round}-{n}");
                aid.scope =
                    AidScope { kind: ScopeKind::Commune, code: Some(place.commune.clone()), name: String::new() };
                aid.departements.clear();
                aid.zones = AidZone::ALL.iter().copied().filter(|_| draw.below(4) == 0).collect();
                aid.profiles = AidProfile::ALL.iter().copied().filter(|_| draw.below(3) == 0).collect();
                aid.purposes = AidPurpose::ALL.iter().copied().filter(|_| draw.below(4) == 0).collect();
                aid.amount_unit =
                    *draw.pick(&[AmountUnit::Once, AmountUnit::Month, AmountUnit::Year, AmountUnit::None]);
                aid.amount_eur = (aid.amount_unit != AmountUnit::None).then(|| draw.between(1, 20_000));
                aid.excludes = (0..draw.below(3))
                    .map(|_| {
                        let other = draw.pick(&catalogue);
                        AidLink { slug: other.slug.clone(), name: other.name.clone() }
                    })
                    .collect();
                catalogue.push(aid);
            }
            let profile = *draw.pick(&[
                None,
                Some(AidProfile::Interne),
                Some(AidProfile::DocteurJunior),
                Some(AidProfile::Remplacant),
                Some(AidProfile::InstalleRecent),
                Some(AidProfile::Installe),
                Some(AidProfile::Msu),
            ]);
            let found = applicable(&catalogue, &place, profile, day(TODAY));
            let all = totals(&found, profile);
            if profile.is_none() {
                assert!(all.is_empty());
                continue;
            }
            for t in &all {
                let sure: Vec<&Aid> = found
                    .iter()
                    .filter(|a| a.verdict == Verdict::Applies && a.aid.purposes.contains(&t.purpose))
                    .map(|a| &a.aid)
                    .filter(|a| a.fixed_amount().is_some())
                    .collect();
                let values: Vec<i64> = t.options.iter().map(|o| o.totals.over_a_year()).collect();
                assert!(values.windows(2).all(|w| w[0] >= w[1]), "best first: {values:?}");
                for option in &t.options {
                    let members: Vec<&Aid> = option
                        .aids
                        .iter()
                        .map(|l| *sure.iter().find(|a| a.slug == l.slug).expect("a sure aid"))
                        .collect();
                    for (i, a) in members.iter().enumerate() {
                        assert!(fits(a, profile) && a.purposes.contains(&t.purpose));
                        for b in &members[i + 1..] {
                            assert!(!exclude_each_other(a, b), "{} with {}", a.slug, b.slug);
                        }
                    }
                    for outside in sure.iter().filter(|a| !members.iter().any(|m| m.slug == a.slug)) {
                        assert!(
                            members.iter().any(|m| exclude_each_other(m, outside)),
                            "{} could be added",
                            outside.slug
                        );
                    }
                    assert_eq!(option.totals, combination(&members).totals);
                    checked += 1;
                }
            }
        }
        assert!(checked > 200, "only {checked} options drawn");
    }
}
