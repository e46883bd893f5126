//! Aids as pages show them: one aid with its conditions and source, the simulator's answer,
//! and the fields of a collectivité's local aid.

use crate::api::account;
use crate::api::aid::{
    Aid, AidCategory, AidNotice, AidProblem, AidProfile, AidZone, AmountUnit, Applicable, LocalAidForm, Simulation,
    Verdict, split_codes,
};
use crate::format;
use crate::model::Day;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// What the redirect after a local-aid form said.
#[component]
pub fn AidOutcome() -> impl IntoView {
    let query = use_query_map();
    let problem = move || {
        query.with(|q| {
            q.get("erreur").and_then(|c| {
                AidProblem::from_code(&c)
                    .map(AidProblem::message)
                    .or_else(|| account::Problem::from_code(&c).map(account::Problem::message))
            })
        })
    };
    let notice = move || query.with(|q| q.get("info").and_then(|c| AidNotice::from_code(&c).map(AidNotice::message)));
    view! {
        {move || problem().map(|p| view! { <p class="form-problem" role="alert">{p}</p> })}
        {move || notice().map(|n| view! { <p class="form-notice" role="status">{n}</p> })}
    }
}

/// "10 000 €", with its unit when it has a fixed amount.
pub fn amount_figure(aid: &Aid) -> Option<String> {
    let amount = aid.amount_eur?;
    Some(match aid.amount_unit {
        AmountUnit::Once => format!("{} €", format::int(amount)),
        AmountUnit::Month => format!("{} € par mois", format::int(amount)),
        AmountUnit::Year => format!("{} € par an", format::int(amount)),
        AmountUnit::None => return None,
    })
}

/// "Internes ou docteurs juniors, médecins remplaçants", or "tous les profils".
fn profiles_text(aid: &Aid) -> String {
    if aid.profiles.is_empty() {
        return "tous les profils".to_owned();
    }
    aid.profiles.iter().map(|p| p.label()).collect::<Vec<_>>().join(" ; ")
}

fn zones_text(aid: &Aid) -> String {
    if aid.zones.is_empty() {
        return "partout sur son territoire".to_owned();
    }
    aid.zones.iter().map(|z| z.label()).collect::<Vec<_>>().join(", ")
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

/// One aid, whole: what, how much, for whom, where, conditions, commitment, source, dates.
#[component]
pub fn AidCard(aid: Aid, today: Day, #[prop(optional)] verdict: Option<Verdict>) -> impl IntoView {
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
    let publisher = aid.publisher.clone().map(|p| view! { <p class="muted">"Publiée par " {p.name}</p> });
    let class = if state.is_some() { "aid-card ended" } else { "aid-card" };
    view! {
        <article class=class id=format!("aide-{}", aid.slug) aria-labelledby=format!("aide-{}-titre", aid.slug)>
            <h3 id=format!("aide-{}-titre", aid.slug)>{aid.name.clone()}</h3>
            {state.map(|s| view! { <p class="badge badge-ended">{s}</p> })}
            <p class="aid-meta">
                <span class="badge">{aid.funder.label()}</span> " "
                <span class="badge badge-light">{aid.category.label()}</span>
            </p>
            {to_check.map(|why| view! { <p class="notice">"À vérifier : " {why} "."</p> })}
            <p class="aid-amount">
                {figure.map(|f| view! { <strong data-amount=aid.amount_eur.unwrap_or(0).to_string()>{f}</strong> " — " })}
                {aid.amount_text.clone()}
            </p>
            <p>{aid.summary.clone()}</p>
            <dl class="facts">
                <dt>"Pour"</dt><dd>{profiles_text(&aid)}</dd>
                <dt>"Où"</dt><dd>{aid.scope.name.clone()} " — " {zones_text(&aid)}</dd>
                {exercise.map(|e| view! { <dt>"Exercice"</dt><dd>{e}</dd> })}
                <dt>"Conditions"</dt><dd class="prewrap">{aid.conditions.clone()}</dd>
                {commitment.map(|c| view! { <dt>"Engagement"</dt><dd>{c}</dd> })}
                {validity.map(|v| view! { <dt>"En vigueur"</dt><dd>{v}</dd> })}
            </dl>
            {publisher}
            <p class="source">
                <a href=aid.source_url.clone() rel="noopener noreferrer external">"Source officielle"</a>
                " — vérifiée le " {aid.checked_on.french()}
            </p>
        </article>
    }
}

/// "13 000 € versés en une fois, 1 200 € par mois" among the sure aids, if any.
fn totals_text(simulation: &Simulation) -> Option<String> {
    let t = &simulation.totals;
    let parts: Vec<String> = [(t.once, "versés en une fois"), (t.per_month, "par mois"), (t.per_year, "par an")]
        .into_iter()
        .filter(|(amount, _)| *amount > 0)
        .map(|(amount, unit)| format!("{} € {unit}", format::int(amount)))
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
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
    let totals = totals_text(&simulation);
    let qpv = (!simulation.qpv.is_empty()).then(|| {
        view! {
            <p class="muted">
                "Quartiers prioritaires de la commune (géographie 2015) : " {simulation.qpv.join(", ")} "."
            </p>
        }
    });
    let count = sure.len();
    let cards = |list: Vec<Applicable>| {
        list.into_iter().map(|a| view! { <li><AidCard aid=a.aid today verdict=a.verdict/></li> }).collect_view()
    };
    view! {
        <div class="simulation" data-commune=simulation.commune_code.clone()>
            <p class="lead">
                <a href=simulation.commune.path.clone()>{simulation.commune.name.clone()}</a>
                " (" {zonage} ") — " {whom} " : "
                <strong data-figure="aides">{count}</strong>
                {if count > 1 { " aides s'appliquent" } else { " aide s'applique" }}
                {(!to_check.is_empty()).then(|| format!(", {} sous condition à vérifier", to_check.len()))} "."
            </p>
            {qpv}
            {totals.map(|t| view! {
                <p class="aid-total">"Montants fixes cumulés des aides qui s'appliquent : " <strong data-figure="total">{t}</strong>
                " (hors majorations, exonérations et aides sans montant fixe)."</p>
            })}
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

/// The checkboxes of a closed list, the `checked` codes ticked.
fn checkboxes<T: Copy + Send + Sync + 'static>(
    name: &'static str,
    legend: &'static str,
    all: &'static [T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    checked: &str,
) -> impl IntoView + use<T> {
    let ticked: Vec<String> = checked.split(',').map(|c| c.trim().to_owned()).collect();
    let boxes = all
        .iter()
        .map(|item| {
            let value = code(*item);
            let id = format!("{name}-{}", value.to_lowercase());
            view! {
                <li>
                    <input type="checkbox" id=id.clone() name=name value=value checked=ticked.iter().any(|t| t == value)/>
                    <label for=id>{label(*item)}</label>
                </li>
            }
        })
        .collect_view();
    view! {
        <fieldset>
            <legend>{legend}</legend>
            <ul class="checks">{boxes}</ul>
        </fieldset>
    }
}

/// Every field of a local aid, filled with `form` (names are `LocalAidForm`'s).
#[component]
pub fn LocalAidFields(form: LocalAidForm) -> impl IntoView {
    let f = form;
    let categories = AidCategory::ALL
        .iter()
        .map(|c| view! { <option value=c.code() selected=f.categorie == c.code()>{c.label()}</option> })
        .collect_view();
    let units = [AmountUnit::Once, AmountUnit::Month, AmountUnit::Year]
        .into_iter()
        .map(|u| view! { <option value=u.code() selected=f.unite == u.code()>{u.label()}</option> })
        .collect_view();
    // Unknown codes in an address are dropped rather than ticked.
    let zones = split_codes(&f.zones, AidZone::from_code).unwrap_or_default();
    let zones = zones.iter().map(|z| z.code()).collect::<Vec<_>>().join(",");
    view! {
        <label for="nom">"Nom de l'aide"</label>
        <input id="nom" name="nom" type="text" required maxlength="120" value=f.nom.clone()/>
        <label for="categorie">"Catégorie"</label>
        <select id="categorie" name="categorie" required>
            <option value="" selected=f.categorie.is_empty()>"— choisir —"</option>
            {categories}
        </select>
        <label for="montant">"Montant en euros (laisser vide si l'aide n'a pas de montant fixe)"</label>
        <input id="montant" name="montant" type="text" inputmode="numeric" value=f.montant.clone()/>
        <label for="unite">"Le montant est versé"</label>
        <select id="unite" name="unite">{units}</select>
        <label for="montant_texte">"Le montant en quelques mots"</label>
        <input id="montant_texte" name="montant_texte" type="text" required maxlength="200" value=f.montant_texte.clone()
            placeholder="5 000 € versés à l'installation"/>
        <label for="resume">"Ce que l'aide apporte"</label>
        <textarea id="resume" name="resume" required maxlength="600" rows="3">{f.resume.clone()}</textarea>
        <label for="conditions">"Conditions"</label>
        <textarea id="conditions" name="conditions" required maxlength="2000" rows="4">{f.conditions.clone()}</textarea>
        {checkboxes("zones", "Réservée à certaines zones (ne rien cocher : tout le territoire)", AidZone::ALL, AidZone::code, AidZone::label, &zones)}
        {checkboxes("profils", "Réservée à certains profils (ne rien cocher : tous)", AidProfile::ALL, AidProfile::code, AidProfile::label, &f.profils)}
        <label for="engagement">"Engagement demandé en contrepartie (facultatif)"</label>
        <input id="engagement" name="engagement" type="text" maxlength="300" value=f.engagement.clone()/>
        <label for="engagement_annees">"Durée de l'engagement, en années (facultatif)"</label>
        <input id="engagement_annees" name="engagement_annees" type="text" inputmode="numeric" value=f.engagement_annees.clone()/>
        <label for="source">"Adresse de la délibération ou de la page officielle (https://…)"</label>
        <input id="source" name="source" type="url" required maxlength="500" value=f.source.clone()/>
        <label for="debut">"En vigueur à partir du (facultatif)"</label>
        <input id="debut" name="debut" type="date" value=f.debut.clone()/>
        <label for="fin">"Jusqu'au (facultatif)"</label>
        <input id="fin" name="fin" type="date" value=f.fin.clone()/>
    }
}

/// The "aides applicables" section of a commune page: every aid that applies there, for any
/// profile, in one line each, with the way to the simulator for one's own situation.
#[component]
pub fn CommuneAids(code: String) -> impl IntoView {
    let aids = Resource::new(move || code.clone(), crate::api::aid::get_commune_aids);
    view! {
        <section aria-labelledby="aides" id="aides-applicables">
            <h2 id="aides">"Aides applicables"</h2>
            <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match aids.await {
                        Ok(Some(simulation)) => commune_aids_view(simulation).into_any(),
                        Ok(None) => ().into_any(),
                        Err(error) => super::unavailable_view(error),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn commune_aids_view(simulation: Simulation) -> impl IntoView {
    let simulate = crate::api::aid::paths::simulate(&simulation.commune_code, None);
    let items = simulation
        .applicable
        .iter()
        .map(|a| {
            let figure = amount_figure(&a.aid).unwrap_or_else(|| a.aid.amount_text.clone());
            let condition = match &a.verdict {
                Verdict::ToCheck(why) => Some(format!(" — à vérifier : {why}")),
                Verdict::Applies => None,
            };
            let local = a.aid.publisher.as_ref().map(|p| format!(" — aide locale de {}", p.name));
            view! {
                <li data-aide=a.aid.slug.clone()>
                    <a href=crate::api::aid::paths::aid(&a.aid.slug)>{a.aid.name.clone()}</a>
                    " (" {a.aid.funder.label()} ") : " <strong>{figure}</strong>
                    <span class="muted">" — pour " {profiles_text(&a.aid)} {local} {condition}</span>
                </li>
            }
        })
        .collect_view();
    let count = simulation.applicable.len();
    view! {
        <p>
            {count} {if count > 1 { " aides du catalogue s'appliquent" } else { " aide du catalogue s'applique" }}
            " ici, selon le profil. "
            <a href=simulate>"Voir celles qui vous concernent avec le simulateur"</a> "."
        </p>
        <ul class="aid-lines">{items}</ul>
        {simulation.checked_on.map(|d| view! { <p class="source">"Aides vérifiées sur leurs sources officielles, la plus ancienne le " {d.french()} "."</p> })}
    }
}
