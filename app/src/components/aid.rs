//! Aids as pages show them: one aid with its conditions and source, the simulator's answer,
//! and the fields of a collectivité's local aid.

use crate::components::{CommonCodes, ExampleBadge, Field, checkboxes, options, outcome};
use crate::domain::aids::{
    Aid, AidCategory, AidCombination, AidNotice, AidProblem, AidProfile, AidPurpose, AidTotals, AidZone, AmountUnit,
    Applicable, LocalAidForm, PurposeTotals, Simulation, Verdict, split_codes,
};
use crate::format;
use crate::model::Day;
use leptos::prelude::*;

/// What the redirect after a local-aid form said.
#[component]
pub fn AidOutcome() -> impl IntoView {
    outcome::<AidProblem, AidNotice>(CommonCodes::Said)
}

/// "10 000 €", with its unit when it has a fixed amount.
pub fn amount_figure(aid: &Aid) -> Option<String> {
    let (amount, unit) = aid.fixed_amount()?;
    Some(match unit {
        AmountUnit::Once => format!("{} €", format::int(amount)),
        AmountUnit::Month => format!("{} € par mois", format::int(amount)),
        AmountUnit::Year => format!("{} € par an", format::int(amount)),
        AmountUnit::None => return None,
    })
}

/// "Internes ou docteurs juniors, médecins remplaçants", or "tous les profils".
fn profiles_text(aid: &Aid) -> String {
    if aid.profiles.is_empty() {
        return "tous les profils".to_owned();
    }
    aid.profiles.iter().map(|p| p.label()).collect::<Vec<_>>().join(" ; ")
}

/// "zone d'intervention prioritaire (ZIP), zone de montagne ; départements entiers : Ariège, Gers".
fn zones_text(aid: &Aid) -> String {
    let zones = aid.zones.iter().map(|z| z.label()).collect::<Vec<_>>().join(", ");
    let departements = aid.departements.iter().map(|d| d.name.as_str()).collect::<Vec<_>>().join(", ");
    match (zones.is_empty(), departements.is_empty()) {
        (true, true) => "partout sur son territoire".to_owned(),
        (false, true) => zones,
        (true, false) => format!("dans tout le département : {departements}"),
        (false, false) => format!("{zones} ; et partout dans ces départements : {departements}"),
    }
}

/// "s'installer, ouvrir un cabinet secondaire".
fn purposes_text(aid: &Aid) -> Option<String> {
    (!aid.purposes.is_empty()).then(|| aid.purposes.iter().map(|p| p.label()).collect::<Vec<_>>().join(", "))
}

/// The state of an aid on `today`, when it is not simply in force.
fn state_text(aid: &Aid, today: Day) -> Option<String> {
    if aid.withdrawn {
        Some("Retirée".to_owned())
    } else if aid.expired(today) {
        aid.valid_to.map(|d| format!("Expirée depuis le {}", d.plus_days(1).french()))
    } else if aid.upcoming(today) {
        aid.valid_from.map(|d| format!("À partir du {}", d.french()))
    } else {
        None
    }
}

const EXAMPLE_AID: &str = "Aide de démonstration, pas une vraie aide";

/// The source link's words and who vouches for it: the portal checked the catalogue's aids, a
/// collectivité only declares its own until a moderator has checked the source.
fn source_text(aid: &Aid) -> (&'static str, String) {
    match (&aid.publisher, aid.verified_on) {
        (None, _) => ("Source officielle", format!("vérifiée le {}", aid.checked_on.french())),
        (Some(_), Some(day)) => ("Source", format!("vérifiée le {}, par la modération", day.french())),
        (Some(p), None) => (
            "Source indiquée",
            format!(
                "aide déclarée par {} le {}, source pas encore vérifiée par la modération",
                p.name,
                aid.checked_on.french()
            ),
        ),
    }
}

/// One aid, whole: what, how much, for whom, where, conditions, commitment, source, dates.
#[component]
pub fn AidCard(
    aid: Aid,
    today: Day,
    #[prop(optional)] verdict: Option<Verdict>,
    /// Before the card's ids: a page showing an aid twice (the simulator above the catalogue)
    /// keeps `aide-{slug}`, the target of links, for the catalogue's card.
    #[prop(optional)]
    id_prefix: &'static str,
) -> impl IntoView {
    let state = state_text(&aid, today);
    let to_check = match verdict {
        Some(Verdict::ToCheck(why)) => Some(why),
        _ => None,
    };
    let figure = amount_figure(&aid);
    let exercise =
        (!aid.exercise.is_empty()).then(|| aid.exercise.iter().map(|e| e.label()).collect::<Vec<_>>().join(", "));
    let commitment = aid.commitment.clone().map(|c| match aid.commitment_years {
        Some(years) => format!("{c} ({years} ans)"),
        None => c,
    });
    let validity = match (aid.valid_from, aid.valid_to) {
        (Some(from), Some(to)) => Some(format!("du {} au {}", from.french(), to.french())),
        (Some(from), None) => Some(format!("depuis le {}", from.french())),
        (None, Some(to)) => Some(format!("jusqu'au {}", to.french())),
        (None, None) => None,
    };
    let source = source_text(&aid);
    let purposes = purposes_text(&aid);
    let excludes = (!aid.excludes.is_empty()).then(|| {
        let count = aid.excludes.len();
        let links = aid
            .excludes
            .iter()
            .enumerate()
            .map(|(i, other)| {
                let separator = match count - i {
                    1 => "",
                    2 => " ni avec ",
                    _ => ", ",
                };
                view! { <a href=format!("{}#aide-{}", crate::domain::aids::paths::AIDS, other.slug)>{other.name.clone()}</a> {separator} }
            })
            .collect_view();
        view! { <dt>"Ne se cumule pas"</dt><dd>"avec " {links}</dd> }
    });
    let class = if state.is_some() { "aid-card ended" } else { "aid-card" };
    view! {
        <article class=class id=format!("{id_prefix}aide-{}", aid.slug) aria-labelledby=format!("{id_prefix}aide-{}-titre", aid.slug)>
            <h3 id=format!("{id_prefix}aide-{}-titre", aid.slug)>{aid.name.clone()}</h3>
            {state.map(|s| view! { <p class="badge badge-ended">{s}</p> })}
            <p class="aid-meta">
                <span class="badge">{aid.funder.label()}</span> " "
                <span class="badge badge-light">{aid.category.label()}</span>
                {aid.publisher.as_ref().is_some_and(|p| p.example).then(|| view! { " " <ExampleBadge title=EXAMPLE_AID/> })}
            </p>
            {to_check.map(|why| view! { <p class="notice">"À vérifier : " {why} "."</p> })}
            <p class="aid-amount">
                {figure.map(|f| view! { <strong data-amount=aid.amount_eur.unwrap_or(0).to_string()>{f}</strong> " — " })}
                {aid.amount_text.clone()}
            </p>
            <p>{aid.summary.clone()}</p>
            <dl class="facts">
                <dt>"Pour"</dt><dd>{profiles_text(&aid)}</dd>
                {purposes.map(|p| view! { <dt>"Pour quoi"</dt><dd>{p}</dd> })}
                <dt>"Où"</dt><dd>{aid.scope.name.clone()} " — " {zones_text(&aid)}</dd>
                {exercise.map(|e| view! { <dt>"Exercice"</dt><dd>{e}</dd> })}
                <dt>"Conditions"</dt><dd class="prewrap">{aid.conditions.clone()}</dd>
                {excludes}
                {commitment.map(|c| view! { <dt>"Engagement"</dt><dd>{c}</dd> })}
                {validity.map(|v| view! { <dt>"En vigueur"</dt><dd>{v}</dd> })}
            </dl>
            <p class="source">
                <a href=aid.source_url.clone() rel="noopener noreferrer external">{source.0}</a> " — " {source.1}
            </p>
        </article>
    }
}

/// "10 000 € versés en une fois, 1 200 € par mois".
fn totals_text(t: &AidTotals) -> String {
    [(t.once, "versés en une fois"), (t.per_month, "par mois"), (t.per_year, "par an")]
        .into_iter()
        .filter(|(amount, _)| *amount > 0)
        .map(|(amount, unit)| format!("{} € {unit}", format::int(amount)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "430 € par mois (Indemnité d'hébergement + Indemnité de transport)".
fn combination_view(option: &AidCombination) -> impl IntoView + use<> {
    let names = option.aids.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join(" + ");
    view! { <strong data-figure="total">{totals_text(&option.totals)}</strong> " (" {names} ")" }
}

/// What the sure aids of each purpose add up to: one sum, or "soit …, soit …" where some
/// exclude each other. Without a profile, why there is no sum.
fn totals_view(simulation: &Simulation) -> impl IntoView + use<> {
    if simulation.profile.is_none() {
        return view! {
            <p class="aid-total">
                "Ces aides s'adressent à des profils différents (internes, remplaçants, médecins qui s'installent, "
                "maîtres de stage) : elles ne s'additionnent pas. Choisissez votre situation au champ "
                <a href="#profil">"« Vous êtes »"</a>
                " pour voir ce que vous pouvez cumuler."
            </p>
        }
        .into_any();
    }
    if simulation.totals.is_empty() {
        return ().into_any();
    }
    let items = simulation
        .totals
        .iter()
        .map(|PurposeTotals { purpose, options }| {
            let sums = match options.as_slice() {
                [only] => combination_view(only).into_any(),
                several => {
                    let count = several.len();
                    let choices = several
                        .iter()
                        .enumerate()
                        .map(|(i, o)| view! { {if i == 0 { "soit " } else { ", soit " }} {combination_view(o)} })
                        .collect_view();
                    view! { {choices} {format!(" : ces {count} possibilités s'excluent, la plus élevée est donnée en premier")} }
                        .into_any()
                }
            };
            view! { <li data-objet=purpose.code()>"Pour " {purpose.label()} " : " {sums} "."</li> }
        })
        .collect_view();
    view! {
        <div class="aid-total">
            <p>"Ce que vous pouvez cumuler, projet par projet (montants fixes des aides qui s'appliquent sûrement, hors majorations, exonérations et aides sans montant fixe) :"</p>
            <ul>{items}</ul>
        </div>
    }
    .into_any()
}

/// The simulator's answer: the sure aids with their total, then those left to check.
#[component]
pub fn SimulationView(simulation: Simulation) -> impl IntoView {
    let today = simulation.today;
    let (sure, to_check): (Vec<Applicable>, Vec<Applicable>) =
        simulation.applicable.iter().cloned().partition(|a| a.verdict == Verdict::Applies);
    let zonage =
        simulation.zonage.map(|z| z.label()).unwrap_or("commune non classée dans le zonage dont nous disposons");
    let whom = simulation.profile.map(|p| p.label().to_lowercase()).unwrap_or_else(|| "tous les profils".to_owned());
    let totals = totals_view(&simulation);
    // The commune's page, with this profile's aids first there.
    let commune_page = match simulation.profile {
        Some(p) => {
            format!(
                "{}?{}={}#aides-applicables",
                simulation.commune.path,
                crate::domain::aids::fields::PROFILE,
                p.code()
            )
        }
        None => simulation.commune.path.clone(),
    };
    let qpv = (!simulation.qpv.is_empty()).then(|| {
        view! {
            <p class="muted">
                "Quartiers prioritaires de la commune (géographie 2015) : " {simulation.qpv.join(", ")} "."
            </p>
        }
    });
    let count = sure.len();
    let cards = |list: Vec<Applicable>| {
        list.into_iter()
            .map(|a| view! { <li><AidCard aid=a.aid today verdict=a.verdict id_prefix="simulation-"/></li> })
            .collect_view()
    };
    view! {
        <div class="simulation" data-commune=simulation.commune_code.clone()>
            <p class="lead">
                <a href=commune_page>{simulation.commune.name.clone()}</a>
                " (" {zonage} ") — " {whom} " : "
                <strong data-figure="aides">{count}</strong>
                {if count > 1 { " aides s'appliquent" } else { " aide s'applique" }}
                {(!to_check.is_empty()).then(|| format!(", {} sous condition à vérifier", to_check.len()))} "."
            </p>
            {qpv}
            {totals}
            {(count == 0).then(|| view! { <p>"Aucune aide du catalogue ne s'applique sûrement ici pour ce profil."</p> })}
            <ul class="aid-list">{cards(sure)}</ul>
            {(!to_check.is_empty()).then(|| view! {
                <h3>"Sous condition à vérifier"</h3>
                <ul class="aid-list">{cards(to_check)}</ul>
            })}
            {simulation.checked_on.map(|d| view! {
                <p class="source">"À jour au " {d.french()} " (date de la plus ancienne vérification des aides listées). "
                "Les montants et conditions font foi sur les sites officiels cités."</p>
            })}
        </div>
    }
    .into_any()
}

/// Every field of a local aid, filled with `form` (names are `LocalAidForm`'s).
#[component]
pub fn LocalAidFields(form: LocalAidForm, combinable: Vec<crate::domain::aids::AidLink>) -> impl IntoView {
    let f = form;
    let units = [AmountUnit::Once, AmountUnit::Month, AmountUnit::Year]
        .into_iter()
        .map(|u| view! { <option value=u.code() selected=f.unite == u.code()>{u.label()}</option> })
        .collect_view();
    // Unknown codes in an address are dropped rather than ticked.
    let zones = split_codes(&f.zones, AidZone::from_code).unwrap_or_default();
    let zones = zones.iter().map(|z| z.code()).collect::<Vec<_>>().join(",");
    let excluded: Vec<&str> = f.exclusions.split(',').map(str::trim).collect();
    let chosen = combinable.iter().filter(|a| excluded.contains(&a.slug.as_str())).count();
    let exclusions = (!combinable.is_empty()).then(|| {
        let boxes = combinable
            .iter()
            .map(|aid| {
                let id = format!("exclusion-{}", aid.slug);
                view! {
                    <li>
                        <input type="checkbox" id=id.clone() name="exclusions" value=aid.slug.clone()
                            checked=excluded.contains(&aid.slug.as_str())/>
                        <label for=id>{aid.name.clone()}</label>
                    </li>
                }
            })
            .collect_view();
        view! {
            <details class="exclusions" open={chosen > 0}>
                <summary>{format!("Non cumulable avec d'autres aides (facultatif ; {chosen} cochée{})", if chosen > 1 { "s" } else { "" })}</summary>
                <fieldset>
                    <legend>"Les aides qu'on ne peut pas recevoir en même temps que celle-ci : le simulateur ne les additionne jamais"</legend>
                    <ul class="checks">{boxes}</ul>
                </fieldset>
            </details>
        }
    });
    view! {
        <Field id="nom" label="Nom de l'aide" let:aria>
            <input id="nom" name="nom" type="text" required maxlength="120" value=f.nom.clone()
                aria-invalid=aria.invalid aria-describedby=aria.describedby/>
        </Field>
        <Field id="categorie" label="Catégorie" let:aria>
            <select id="categorie" name="categorie" required aria-invalid=aria.invalid aria-describedby=aria.describedby>
                {options(AidCategory::ALL, AidCategory::code, AidCategory::label, &f.categorie, "— choisir —")}
            </select>
        </Field>
        <Field id="montant" label="Montant en euros" hint="Laissez vide si l'aide n'a pas de montant fixe." let:aria>
            <input id="montant" name="montant" type="text" inputmode="numeric" value=f.montant.clone()
                aria-invalid=aria.invalid aria-describedby=aria.describedby/>
        </Field>
        <Field id="unite" label="Le montant est versé" let:aria>
            <select id="unite" name="unite" aria-invalid=aria.invalid aria-describedby=aria.describedby>{units}</select>
        </Field>
        <Field id="montant_texte" label="Le montant en quelques mots" hint="Par exemple « 5 000 € versés à l'installation »." let:aria>
            <input id="montant_texte" name="montant_texte" type="text" required maxlength="200" value=f.montant_texte.clone()
                aria-invalid=aria.invalid aria-describedby=aria.describedby/>
        </Field>
        <Field id="resume" label="Ce que l'aide apporte" let:aria>
            <textarea id="resume" name="resume" required maxlength="600" rows="3"
                aria-invalid=aria.invalid aria-describedby=aria.describedby>{f.resume.clone()}</textarea>
        </Field>
        <Field id="conditions" label="Conditions" let:aria>
            <textarea id="conditions" name="conditions" required maxlength="2000" rows="4"
                aria-invalid=aria.invalid aria-describedby=aria.describedby>{f.conditions.clone()}</textarea>
        </Field>
        {checkboxes("zones", "Réservée à certaines zones (ne rien cocher : tout le territoire)", AidZone::ALL, AidZone::code, AidZone::label, &zones)}
        {checkboxes("profils", "Réservée à certains profils (ne rien cocher : tous)", AidProfile::ALL, AidProfile::code, AidProfile::label, &f.profils)}
        {checkboxes("objets", "Ce que l'aide finance (au moins un choix : le simulateur n'additionne que les aides d'un même projet)", AidPurpose::ALL, AidPurpose::code, AidPurpose::label, &f.objets)}
        {exclusions}
        <Field id="engagement" label="Engagement demandé en contrepartie (facultatif)" let:aria>
            <input id="engagement" name="engagement" type="text" maxlength="300" value=f.engagement.clone()
                aria-invalid=aria.invalid aria-describedby=aria.describedby/>
        </Field>
        <Field id="engagement_annees" label="Durée de l'engagement, en années (facultatif)" let:aria>
            <input id="engagement_annees" name="engagement_annees" type="text" inputmode="numeric" value=f.engagement_annees.clone()
                aria-invalid=aria.invalid aria-describedby=aria.describedby/>
        </Field>
        <Field id="source" label="Adresse de la délibération ou de la page officielle (https://…)" let:aria>
            <input id="source" name="source" type="url" required maxlength="500" value=f.source.clone()
                aria-invalid=aria.invalid aria-describedby=aria.describedby/>
        </Field>
        <Field id="debut" label="En vigueur à partir du (facultatif)" let:aria>
            <input id="debut" name="debut" type="date" value=f.debut.clone() aria-invalid=aria.invalid aria-describedby=aria.describedby/>
        </Field>
        <Field id="fin" label="Jusqu'au (facultatif)" let:aria>
            <input id="fin" name="fin" type="date" value=f.fin.clone() aria-invalid=aria.invalid aria-describedby=aria.describedby/>
        </Field>
    }
}

/// The "aides applicables" section of a commune page: the aids that apply there, profile by
/// profile (the one in the address's `profil` first and open), one line each, with the way to
/// the simulator for what adds up.
#[component]
pub fn CommuneAids(code: String) -> impl IntoView {
    let aids = Resource::new(move || code.clone(), crate::domain::aids::get_commune_aids);
    let query = leptos_router::hooks::use_query_map();
    let first = move || {
        query.with_untracked(|q| q.get(crate::domain::aids::fields::PROFILE).and_then(|p| AidProfile::from_code(&p)))
    };
    view! {
        <section aria-labelledby="aides" id="aides-applicables">
            <h2 id="aides">"Aides applicables"</h2>
            <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match aids.await {
                        Ok(Some(simulation)) => commune_aids_view(simulation, first()).into_any(),
                        Ok(None) => ().into_any(),
                        Err(error) => super::unavailable_view(error),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// "Interne", "Médecin remplaçant"… as a group's title.
fn group_title(profile: AidProfile) -> &'static str {
    match profile {
        AidProfile::Interne => "Pour un interne",
        AidProfile::DocteurJunior => "Pour un docteur junior",
        AidProfile::Remplacant => "Pour un médecin remplaçant",
        AidProfile::InstalleRecent => "Pour s'installer (ou installé depuis moins d'un an)",
        AidProfile::Installe => "Pour un médecin installé",
        AidProfile::Msu => "Pour un maître de stage",
    }
}

fn commune_aids_view(simulation: Simulation, first: Option<AidProfile>) -> impl IntoView {
    let line = |a: &Applicable| {
        // A fixed amount stands out; an amount only in words (an exemption, a rate) does not.
        let figure = match amount_figure(&a.aid) {
            Some(figure) => view! { <strong>{figure}</strong> }.into_any(),
            None => view! { <span>{a.aid.amount_text.clone()}</span> }.into_any(),
        };
        let condition = match &a.verdict {
            Verdict::ToCheck(why) => Some(format!(" — à vérifier : {why}")),
            Verdict::Applies => None,
        };
        let local = a.aid.publisher.as_ref().map(|p| match a.aid.verified_on {
            Some(_) => format!(" — aide locale de {}, source vérifiée par la modération", p.name),
            None => format!(" — déclarée par {}, source pas encore vérifiée", p.name),
        });
        view! {
            <li data-aide=a.aid.slug.clone()>
                <a href=crate::domain::aids::paths::aid(&a.aid.slug)>{a.aid.name.clone()}</a>
                " (" {a.aid.funder.label()} ") : " {figure}
                {a.aid.publisher.as_ref().is_some_and(|p| p.example).then(|| view! { " " <ExampleBadge title=EXAMPLE_AID/> })}
                <span class="muted">{local} {condition}</span>
            </li>
        }
    };
    let mut groups = simulation.by_profile.clone();
    groups.sort_by_key(|g| Some(g.profile) != first);
    let groups = groups
        .into_iter()
        .map(|group| {
            let lines = group
                .slugs
                .iter()
                .filter_map(|slug| simulation.applicable.iter().find(|a| &a.aid.slug == slug))
                .map(line)
                .collect_view();
            let count = group.slugs.len();
            // Named as a person would type it, with its département: unambiguous.
            let commune = format!("{} ({})", simulation.commune.name, &simulation.commune_code[..2]);
            let simulate = crate::domain::aids::paths::simulate(&commune, Some(group.profile));
            view! {
                <details class="aid-group" data-profil=group.profile.code() open=Some(group.profile) == first>
                    <summary>
                        <strong>{group_title(group.profile)}</strong>
                        {format!(" — {count} {}", if count > 1 { "aides" } else { "aide" })}
                    </summary>
                    <ul class="aid-lines">{lines}</ul>
                    <p><a href=simulate>"Ce qui se cumule pour ce profil, dans le simulateur"</a></p>
                </details>
            }
        })
        .collect_view();
    let count = simulation.applicable.len();
    view! {
        <p>
            {count} {if count > 1 { " aides du catalogue s'appliquent" } else { " aide du catalogue s'applique" }}
            " ici, selon le profil : ouvrez le vôtre. Celles d'un profil ne s'ajoutent pas à celles d'un autre."
        </p>
        {groups}
        {simulation.checked_on.map(|d| view! { <p class="source">"Aides vérifiées sur leurs sources officielles, la plus ancienne le " {d.french()} "."</p> })}
    }
}
