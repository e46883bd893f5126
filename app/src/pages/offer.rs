//! One offer's page: everything a doctor needs to decide (pay, on-call duty, secretariat,
//! software, housing first), who publishes it, and for the publisher's members the actions
//! of its life (publish, edit, renew, filled, withdraw). Expired, filled and withdrawn offers
//! keep their page, saying so, and leave the lists.

use crate::components::{
    ApplicationOutcome, ConfirmedAction, CsrfField, ExampleBadge, FitView, Moved, NotFound, NotIndexedIf, OfferOutcome,
    OfferStateBadge, Paragraphs, Seo, StationsFacts, ZonageBadge, dates_text, json_ld, kind_text, unavailable_view,
};
use crate::domain::accounts::{fields as account_fields, get_viewer, paths as account_paths};
use crate::domain::applications::{
    ApplySection, ApplyState, CV_MAX_BYTES, MESSAGE_MAX, delay_text, fields as application_fields, get_apply_section,
    paths as application_paths,
};
use crate::domain::offers::{OfferKind, OfferMode, OfferState, OfferView, Pay, PayKind, get_offer, paths};
use crate::domain::organisations::paths as organisation_paths;
use crate::format;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_params_map};

#[component]
pub fn OfferPage() -> impl IntoView {
    let params = use_params_map();
    let segment = move || params.with(|p| p.get("offre")).unwrap_or_default();
    let offer = Resource::new(segment, get_offer);
    let viewer = Resource::new(|| (), |_| get_viewer());
    let apply = Resource::new(segment, get_apply_section);
    let location = use_location();
    view! {
        <Suspense fallback=super::loading>
            {move || Suspend::new(async move {
                match (offer.await, viewer.await, apply.await) {
                    (Ok(Some(offer)), Ok(viewer), Ok(apply)) => {
                        // `/offres/12` and a stale slug lead to the offer's address, query kept.
                        let here = location.pathname.get_untracked();
                        if here != offer.path {
                            let search = location.search.get_untracked();
                            let path = if search.is_empty() { offer.path.clone() } else { format!("{}?{search}", offer.path) };
                            return view! { <Moved path/> }.into_any();
                        }
                        view! { <OfferDetail offer csrf=viewer.csrf apply/> }.into_any()
                    }
                    (Ok(None), _, _) => view! { <NotFound/> }.into_any(),
                    (Err(error), _, _) | (_, Err(error), _) | (_, _, Err(error)) => unavailable_view(error),
                }
            })}
        </Suspense>
    }
}

/// schema.org JobPosting, for open offers only: search engines must not list the others.
fn job_posting(offer: &OfferView) -> Option<String> {
    if !offer.state.is_open() {
        return None;
    }
    let f = &offer.fields;
    let employment = match f.kind {
        OfferKind::Remplacement | OfferKind::Stage => "TEMPORARY",
        OfferKind::Installation => "CONTRACTOR",
        _ if f.end.is_some() => "TEMPORARY",
        _ => "FULL_TIME",
    };
    let mut posting = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": f.title,
        "description": f.description,
        "url": offer.url,
        "identifier": {"@type": "PropertyValue", "name": offer.publisher.name, "value": offer.id.to_string()},
        "employmentType": employment,
        "occupationalCategory": f.specialty.label(),
        "hiringOrganization": {"@type": "Organization", "name": offer.publisher.name},
        "jobLocation": {"@type": "Place", "address": {
            "@type": "PostalAddress",
            "postalCode": offer.place.postal_code,
            "addressLocality": offer.place.commune_name,
            "addressRegion": offer.place.region_name,
            "addressCountry": "FR",
        }},
        // Candidates apply on the offer's own page.
        "directApply": true,
    });
    if let Some(salary) = base_salary(f.pay) {
        posting["baseSalary"] = salary;
    }
    if f.pay.kind != PayKind::ADiscuter {
        posting["incentiveCompensation"] = f.pay.text().into();
    }
    if let Some(at) = offer.published_at {
        posting["datePosted"] = crate::model::Day::of_unix(at).to_string().into();
    }
    if let Some(at) = offer.expires_at {
        posting["validThrough"] = crate::model::Day::of_unix(at - 1).to_string().into();
    }
    if let Some(start) = f.start {
        posting["jobStartDate"] = start.to_string().into();
    }
    Some(json_ld(posting))
}

/// The pay as schema.org's `baseSalary`, when it is what the doctor earns. A salary or a
/// guaranteed income is euros per month, honoraires euros per year. A rétrocession is a share of
/// the fees the doctor earns, not an amount: its value is that percentage, in the unit UN/CEFACT
/// code P1 (percent), said in words too, rather than a sum in euros that would be false. A
/// practice's turnover is not what the doctor earns, and « à discuter » states nothing: neither
/// has a `baseSalary` (the posting's `incentiveCompensation` says them in words).
fn base_salary(pay: Pay) -> Option<serde_json::Value> {
    let min = pay.min?;
    let range = (min, pay.max.unwrap_or(min));
    let value = match pay.kind {
        PayKind::Salaire | PayKind::RevenuGaranti => serde_json::json!({
            "@type": "QuantitativeValue", "minValue": range.0, "maxValue": range.1, "unitText": "MONTH",
        }),
        PayKind::Honoraires => serde_json::json!({
            "@type": "QuantitativeValue", "minValue": range.0, "maxValue": range.1, "unitText": "YEAR",
            "description": pay.text(),
        }),
        PayKind::Retrocession => serde_json::json!({
            "@type": "QuantitativeValue", "minValue": range.0, "maxValue": range.1, "unitCode": "P1",
            "unitText": "PERCENT", "description": pay.text(),
        }),
        PayKind::ChiffreAffaires | PayKind::ADiscuter => return None,
    };
    Some(serde_json::json!({"@type": "MonetaryAmount", "currency": "EUR", "value": value}))
}

fn describe(offer: &OfferView) -> String {
    let f = &offer.fields;
    format!(
        "{} à {} ({}) : {}. {}, {}.",
        kind_text(f.kind, f.mode),
        offer.place.commune_name,
        offer.place.departement_name,
        dates_text(f.start, f.end),
        f.pay.text(),
        f.housing.label().to_lowercase()
    )
}

/// Where the offer stands, when that is not simply "open".
fn state_notice(offer: &OfferView) -> Option<AnyView> {
    let text = match offer.state {
        OfferState::Open => return None,
        OfferState::Draft => {
            "Aperçu : cette offre n'est pas publiée. Seuls les membres de l'organisation la voient.".to_owned()
        }
        OfferState::Expired => format!(
            "Cette offre n'est plus proposée : sa publication a pris fin le {}.",
            offer.expires_at.map(format::date).unwrap_or_default()
        ),
        OfferState::Filled => "Cette offre est pourvue : le poste a trouvé son médecin.".to_owned(),
        OfferState::Withdrawn => "Cette offre a été retirée par l'organisation qui la publiait.".to_owned(),
    };
    Some(view! { <p class="notice" data-state=offer.state.label()>{text}</p> }.into_any())
}

#[component]
fn OfferDetail(offer: OfferView, csrf: String, apply: Option<ApplySection>) -> impl IntoView {
    let ld = job_posting(&offer);
    let description = describe(&offer);
    let f = offer.fields.clone();
    let place = offer.place.clone();
    let optional =
        |label: &'static str, value: Option<String>| value.map(|value| view! { <dt>{label}</dt><dd>{value}</dd> });
    let semester = f.semester.map(|(s, year)| format!("{} {year}", s.label()));
    let half_days = match (f.half_days_liberal, f.half_days_salaried) {
        (Some(l), Some(s)) => Some(format!("{l} en libéral, {s} en salariat")),
        _ => None,
    };
    let mut perks: Vec<String> = Vec::new();
    if f.practice_provided {
        perks.push("Cabinet mis à disposition".to_owned());
    }
    if f.equipment_provided {
        perks.push("Matériel fourni".to_owned());
    }
    let median = apply.as_ref().and_then(|a| a.median_response_secs).map(|secs| {
        view! { <p data-field="delai-reponse">{format!("Délai médian de première réponse : {}", delay_text(secs))}</p> }
    });
    let apply = apply.map(|section| apply_view(section, &offer, csrf.clone()));
    let manage = offer.manageable.then(|| manage_view(&offer, csrf));
    let dates_label = if f.mode == Some(OfferMode::Succession) { "Passation" } else { "Dates" };
    view! {
        {match ld {
            Some(ld) => view! { <Seo title=f.title.clone() description canonical=offer.url.clone() json_ld=ld/> }.into_any(),
            None => view! { <Seo title=f.title.clone() description canonical=offer.url.clone()/> }.into_any(),
        }}
        <article class="offer" aria-labelledby="offre-titre">
            <h1 id="offre-titre">{f.title.clone()}</h1>
            <p class="offer-badges">
                <NotIndexedIf example=offer.example/>
                {offer.example.then(|| view! { <ExampleBadge title="Offre de démonstration, pas une vraie offre"/> })}
                <OfferStateBadge state=offer.state/>
            </p>
            <OfferOutcome/>
            {state_notice(&offer)}
            <dl class="facts">
                <dt>"Type"</dt>
                <dd data-field="type">{kind_text(f.kind, f.mode)}</dd>
                <dt>"Spécialité"</dt>
                <dd>{f.specialty.label()}</dd>
                <dt>"Lieu"</dt>
                <dd data-field="lieu">
                    <a href=place.commune_path.clone()>{place.commune_name.clone()}</a>
                    {format!(" ({})", place.departement_name)} " " <ZonageBadge zonage=place.zonage/>
                </dd>
                {offer.stations.clone().map(|stations| view! { <StationsFacts stations/> })}
                {optional("Structure", place.structure.clone())}
                <dt>{dates_label}</dt>
                <dd data-field="dates">{dates_text(f.start, f.end)}</dd>
                {optional("Jours par semaine", f.days_per_week.map(|d| d.to_string()))}
                {optional("Patientèle", f.patient_count.map(|n| format!("{} patients", format::int(n))))}
                {optional("Transmission", f.handover_plan.clone())}
                {optional("Demi-journées par semaine", half_days)}
                {optional("Semestre", semester)}
                {place.stage_site.clone().map(|site| view! {
                    <dt>"Terrain de stage"</dt>
                    <dd data-field="terrain"><a href=site.path>{site.name}</a></dd>
                })}
                {optional("Maîtres de stage", f.supervisors.clone())}
                {optional("Faculté", f.faculty.clone())}
                {optional("Transport", f.transport.clone())}
            </dl>
            <h2>"Conditions d'exercice"</h2>
            <dl class="facts">
                <dt>"Rémunération"</dt>
                <dd data-field="remuneration">{f.pay.text()}</dd>
                <dt>"Gardes"</dt>
                <dd>{f.on_call.label()}</dd>
                <dt>"Secrétariat"</dt>
                <dd>{f.secretariat.label()}</dd>
                {optional("Équipe", f.team_size.map(|n| match n {
                    1 => "un seul médecin : exercice seul".to_owned(),
                    n => format!("{n} médecins, le poste proposé compris"),
                }))}
                <dt>"Logiciel"</dt>
                <dd>{f.software.clone()}</dd>
                <dt>"Logement"</dt>
                <dd data-field="logement">{f.housing.label()}</dd>
                {(!perks.is_empty()).then(|| view! { <dt>"Atouts"</dt><dd>{perks.join(" · ")}</dd> })}
                {optional("Et aussi", f.perks.clone())}
            </dl>
            {offer.fit.clone().map(|fit| view! {
                <section class="fit-box" aria-labelledby="pour-vous">
                    <h2 id="pour-vous">"Pour vous"</h2>
                    <FitView fit/>
                </section>
            })}
            {(f.kind == OfferKind::Stage).then(|| view! { <super::HousingNearby code=place.commune_code.clone()/> })}
            <h2>"L'offre"</h2>
            <div class="offer-description"><Paragraphs text=f.description.clone()/></div>
            <h2>"Publiée par"</h2>
            <p>
                {offer.publisher.name.clone()} " — " {offer.publisher.kind_label.clone()} " "
                {if offer.publisher.verified {
                    view! { <span class="badge ok">"organisation vérifiée"</span> }.into_any()
                } else {
                    view! { <span class="badge todo">"organisation en attente de vérification"</span> }.into_any()
                }}
            </p>
            {offer.published_at.map(|at| view! { <p class="muted">"Publiée le " {format::date(at)} "."</p> })}
            {median}
            {apply}
            {manage}
        </article>
    }
}

/// The members' actions, as plain forms (they work without JavaScript).
fn manage_view(offer: &OfferView, csrf: String) -> impl IntoView + use<> {
    let id = offer.id;
    let state = offer.state;
    let button = |action: String, label: &'static str, csrf: String| {
        view! {
            <form method="post" action=action>
                <CsrfField csrf/>
                <button type="submit">{label}</button>
            </form>
        }
    };
    let editable = matches!(state, OfferState::Draft | OfferState::Open | OfferState::Expired);
    let publish = match (state, offer.publishable) {
        (OfferState::Draft, true) => Some(button(paths::PUBLISH.of(id), "Publier l'offre", csrf.clone()).into_any()),
        (OfferState::Draft, false) => Some(
            view! {
                <p class="notice">
                    "L'offre sera publiable quand la modération aura vérifié "
                    <a href=organisation_paths::ORGANISATION.of(offer.publisher.id)>{offer.publisher.name.clone()}</a> "."
                </p>
            }
            .into_any(),
        ),
        _ => None,
    };
    let live = matches!(state, OfferState::Open | OfferState::Expired);
    let until = offer.expires_at.filter(|_| state == OfferState::Open).map(|at| {
        view! { <p>"Publiée jusqu'au " {crate::model::Day::of_unix(at - 1).french()} "."</p> }
    });
    view! {
        <section class="manage" aria-labelledby="gerer">
            <h2 id="gerer">"Gérer l'offre"</h2>
            {until}
            <div class="decisions">
                {editable.then(|| view! { <a class="button" href=paths::EDIT.of(id)>"Modifier"</a> })}
                {(offer.publishable && state == OfferState::Open).then(|| view! {
                    <a href=paths::CANDIDATES.of(id)>"Candidats qui pourraient convenir"</a>
                })}
                {publish}
                {live.then(|| button(paths::RENEW.of(id), "Prolonger de 60 jours", csrf.clone()))}
                {live.then(|| button(paths::FILL.of(id), "Marquer comme pourvue", csrf.clone()))}
            </div>
            {editable.then(|| withdraw_form(id, csrf.clone()))}
        </section>
    }
}

/// Withdrawing the offer, asked twice (`ConfirmedAction`).
fn withdraw_form(id: i64, csrf: String) -> impl IntoView {
    view! {
        <ConfirmedAction action=paths::WITHDRAW.of(id) csrf id="retrait-offre"
            confirm="Je confirme le retrait de cette offre" button="Retirer l'offre">
            <h3>"Retirer l'offre"</h3>
            <p class="muted">
                "L'offre quitte la liste et ne reçoit plus de candidatures ; sa page dira « retirée ». "
                "Les candidatures déjà reçues restent lisibles. Le retrait ne se défait pas."
            </p>
        </ConfirmedAction>
    }
}

/// The application form (multipart, it works without JavaScript).
fn apply_form(offer: i64, csrf: String, submit: &'static str) -> impl IntoView {
    let max_mb = CV_MAX_BYTES / (1024 * 1024);
    view! {
        <form class="stacked" method="post" action=application_paths::APPLY.of(offer) enctype="multipart/form-data">
            <CsrfField csrf/>
            <label for="candidature-message">"Votre message"</label>
            <textarea id="candidature-message" name=application_fields::MESSAGE required
                maxlength=MESSAGE_MAX.to_string() rows="8" aria-describedby="candidature-message-aide">
                {crate::components::typed_message()}
            </textarea>
            <p id="candidature-message-aide" class="muted">
                "Présentez-vous (parcours, disponibilités) et dites ce qui vous intéresse dans l'offre."
            </p>
            <label for="candidature-cv">{format!("Votre CV (facultatif, PDF, {max_mb} Mo au plus)")}</label>
            <input id="candidature-cv" name=application_fields::CV type="file" accept="application/pdf,.pdf"/>
            <button type="submit">{submit}</button>
        </form>
    }
}

/// The « Postuler » section: the form (multipart, it works without JavaScript), or what stands
/// in its way; nothing for an offer that is not open.
fn apply_view(section: ApplySection, offer: &OfferView, csrf: String) -> Option<AnyView> {
    let body = match section.state {
        ApplyState::Closed => return None,
        ApplyState::SignInRequired => {
            let sign_in = format!(
                "{}?{}={}",
                account_paths::SIGN_IN,
                account_fields::NEXT,
                crate::components::encode_query_value(&offer.path)
            );
            view! {
                <p>
                    <a href=sign_in>"Connectez-vous pour postuler"</a> " ou "
                    <a href=account_paths::SIGN_UP>"créez un compte"</a> "."
                </p>
            }
            .into_any()
        }
        ApplyState::EmailUnverified => view! {
            <p class="notice">
                "Confirmez d'abord votre adresse e-mail (lien reçu à l'inscription) : l'organisation doit pouvoir vous répondre. "
                <a href=account_paths::ACCOUNT>"Mon compte"</a>
            </p>
        }
        .into_any(),
        ApplyState::OwnOffer => view! {
            <p>
                "Vous êtes membre de l'organisation qui publie cette offre. "
                <a href=application_paths::RECEIVED.of(offer.publisher.id)>"Voir les candidatures reçues"</a>
            </p>
        }
        .into_any(),
        ApplyState::Applied(id) => view! {
            <p>"Vous avez postulé à cette offre. " <a href=application_paths::APPLICATION.of(id)>"Voir ma candidature"</a></p>
        }
        .into_any(),
        ApplyState::Withdrawn(id) => view! {
            <p>
                "Vous avez retiré votre candidature à cette offre. Elle est encore ouverte : vous pouvez postuler à nouveau. "
                "L'organisation verra votre nouveau message, et dans l'historique que vous aviez retiré la candidature ; "
                "sans nouveau CV, celui envoyé la première fois reste joint. "
                <a href=application_paths::APPLICATION.of(id)>"Voir ma candidature retirée"</a>
            </p>
            {apply_form(offer.id, csrf, "Postuler à nouveau")}
        }
        .into_any(),
        ApplyState::Open => apply_form(offer.id, csrf, "Envoyer ma candidature").into_any(),
    };
    Some(
        view! {
            <section class="apply" aria-labelledby="postuler">
                <h2 id="postuler">"Postuler"</h2>
                <ApplicationOutcome own_codes_only=true/>
                {body}
            </section>
        }
        .into_any(),
    )
}
