//! One application (/candidatures/{id}), for its candidate and the organisation's members: the
//! offer, the candidate's message and CV, the thread with its form, the status and its
//! history, and the actions each side may take (plain forms: they work without JavaScript).

use crate::components::{
    ApplicationOutcome, ApplicationStatusBadge, Breadcrumb, ConfirmedAction, CsrfField, Field, Paragraphs,
    typed_message,
};
use crate::domain::applications::{ApplicationStatus, ApplicationView, MESSAGE_MAX, fields, get_application, paths};
use crate::domain::organisations::paths as organisation_paths;
use crate::domain::profiles::{Profile, Status};
use crate::format;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

/// The candidate's declared profile. An RPPS number is checked by its key only (the portal
/// does not query the national directory), and the page says so.
fn profile_facts(profile: Option<Profile>, as_organisation: bool) -> impl IntoView {
    let yours = (!as_organisation).then(|| {
        view! { " " <a href=crate::domain::accounts::paths::PROFILE>"(ce que l'organisation voit : modifier mon profil)"</a> }
    });
    let Some(profile) = profile else {
        let missing = if as_organisation {
            "Pas de profil renseigné : demandez-lui son parcours dans l'échange."
        } else {
            "Vous n'avez pas renseigné votre profil."
        };
        return view! { <dt>"Profil déclaré"</dt><dd data-field="profil">{missing}{yours}</dd> }.into_any();
    };
    let rpps = match &profile.rpps {
        Some(rpps) => format!(
            "{rpps} — numéro déclaré, sa clé de contrôle est juste ; le portail ne le vérifie pas dans l'annuaire santé"
        ),
        None => "non déclaré".to_owned(),
    };
    let thesis = (profile.status == Status::Remplacant).then_some(if profile.thesis_defended {
        "soutenue"
    } else {
        "pas encore soutenue"
    });
    view! {
        <dt>"Profil déclaré"</dt>
        <dd data-field="profil">{profile.summary()}{yours}</dd>
        {thesis.map(|thesis| view! { <dt>"Thèse"</dt><dd>{thesis}</dd> })}
        <dt>"RPPS"</dt>
        <dd data-field="rpps">{rpps}</dd>
    }
    .into_any()
}

#[component]
pub fn ApplicationPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let here = paths::APPLICATION.of(&id);
    view! {
        <Meta name="robots" content="noindex"/>
        {super::with_access(here, id, get_application, |viewer, view| application_view(view, viewer.csrf))}
    }
}

/// « 1,2 Mo », « 850 ko ».
fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} Mo", format::dec(bytes as f64 / (1024.0 * 1024.0), 1))
    } else {
        format!("{} ko", (bytes + 1023) / 1024)
    }
}

fn application_view(application: ApplicationView, csrf: String) -> impl IntoView {
    let card = application.card.clone();
    let id = card.id;
    let status = card.status;
    let title = format!("Candidature : {}", card.offer_title);
    let trail = if application.as_organisation {
        vec![
            (card.organisation_name.clone(), organisation_paths::ORGANISATION.of(application.organisation_id)),
            ("Candidatures reçues".to_owned(), paths::RECEIVED.of(application.organisation_id)),
        ]
    } else {
        vec![("Mes candidatures".to_owned(), paths::MINE.to_owned())]
    };
    let cv = match application.cv.clone() {
        Some((name, size)) => view! {
            <a href=paths::CV.of(id) download=name.clone()>{format!("Télécharger le CV ({name}, PDF, {})", size_text(size))}</a>
        }
        .into_any(),
        None => view! { <span>"Aucun CV joint"</span> }.into_any(),
    };
    // The placeholder stands instead of the list: a list holds nothing but its items.
    let thread = if application.thread.is_empty() {
        view! { <p class="muted">"Aucun message pour l'instant."</p> }.into_any()
    } else {
        let messages = application
            .thread
            .iter()
            .map(|m| {
                let side = if m.from_organisation { "organisation" } else { "candidat" };
                view! {
                    <li class="thread-message" data-side=side>
                        <p class="muted">
                            <strong>{m.author.clone()}</strong>
                            {if m.from_organisation { " (organisation)" } else { " (candidature)" }}
                            " — " {format::date_time(m.created_at)}
                        </p>
                        <Paragraphs text=m.body.clone()/>
                    </li>
                }
            })
            .collect_view();
        view! { <ol class="thread">{messages}</ol> }.into_any()
    };
    let history = application
        .history
        .iter()
        .map(|e| {
            let change = match e.from {
                Some(from) => format!("{} → {}", from.label(), e.to.label()),
                None => e.to.label().to_owned(),
            };
            view! { <li>{format::date_time(e.created_at)} " — " {change} " (" {e.actor.clone()} ")"</li> }
        })
        .collect_view();
    // A final status ends the conversation here: nobody writes into a closed thread.
    let reply = match status {
        ApplicationStatus::Acceptee => view! {
            <p class="muted">"La candidature est acceptée : la conversation est close ici. La suite se règle "
            "directement entre l'organisation et la personne recrutée, par e-mail ou par téléphone."</p>
        }
        .into_any(),
        ApplicationStatus::Retiree if !application.as_organisation => view! {
            <p class="muted">
                "Vous avez retiré cette candidature : la conversation est close. Tant que l'offre est ouverte, "
                "vous pouvez postuler à nouveau depuis "
                <a href=format!("{}#postuler", card.offer_path)>"sa page"</a> "."
            </p>
        }
        .into_any(),
        ApplicationStatus::Refusee | ApplicationStatus::Retiree => view! {
            <p class="muted">{format!("La candidature est {} : la conversation est close.", status.label())}</p>
        }
        .into_any(),
        _ => {
            let csrf = csrf.clone();
            view! {
                <form class="stacked" method="post" action=paths::MESSAGE.of(id)>
                    <CsrfField csrf/>
                    <Field id="reponse" label="Votre message" let:aria>
                        <textarea id="reponse" name=fields::MESSAGE required maxlength=MESSAGE_MAX.to_string() rows="5" aria-invalid=aria.invalid aria-describedby=aria.describedby>{typed_message()}</textarea>
                    </Field>
                    <button type="submit">"Envoyer le message"</button>
                </form>
            }
            .into_any()
        }
    };
    let moves = status.organisation_moves();
    let status_form = (application.as_organisation && !moves.is_empty()).then(|| {
        let options = moves.into_iter().map(|s| view! { <option value=s.code()>{s.label()}</option> }).collect_view();
        let csrf = csrf.clone();
        view! {
            <form class="stacked" method="post" action=paths::STATUS.of(id)>
                <CsrfField csrf/>
                <Field id="statut" label="Nouveau statut" let:aria>
                    <select id="statut" name=fields::STATUS required aria-invalid=aria.invalid aria-describedby=aria.describedby>{options}</select>
                </Field>
                <button type="submit">"Changer le statut"</button>
            </form>
        }
    });
    let withdraw = (!application.as_organisation && status.candidate_may_withdraw()).then(|| {
        let csrf = csrf.clone();
        view! {
            <ConfirmedAction action=paths::WITHDRAW.of(id) csrf id="retrait-confirmation"
                confirm="Je confirme le retrait de ma candidature" button="Retirer ma candidature">
                <h2>"Retirer ma candidature"</h2>
                <p class="muted">
                    "L'organisation verra votre candidature « retirée » et en recevra un e-mail ; "
                    "l'échange s'arrête là. Tant que l'offre est ouverte, vous pourrez postuler à nouveau depuis sa page."
                </p>
            </ConfirmedAction>
        }
    });
    view! {
        <Title text=format!("{title} — Médecins & Territoires")/>
        <Breadcrumb trail here=card.offer_title.clone()/>
        <h1>{title}</h1>
        <ApplicationOutcome/>
        <dl class="facts">
            <dt>"Offre"</dt>
            <dd><a href=card.offer_path.clone()>{card.offer_title.clone()}</a></dd>
            <dt>"Organisation"</dt>
            <dd>{card.organisation_name.clone()}</dd>
            <dt>"Candidat ou candidate"</dt>
            <dd data-field="candidat">{card.candidate_name.clone()}</dd>
            {profile_facts(application.profile.clone(), application.as_organisation)}
            <dt>"Statut"</dt>
            <dd data-field="statut"><ApplicationStatusBadge status/></dd>
            <dt>"Envoyée le"</dt>
            <dd>{format::date_time(card.created_at)}</dd>
            <dt>"CV"</dt>
            <dd data-field="cv">{cv}</dd>
        </dl>
        <section aria-labelledby="message-candidature">
            <h2 id="message-candidature">"Message de candidature"</h2>
            <div class="message"><Paragraphs text=application.message.clone()/></div>
        </section>
        <section aria-labelledby="echanges">
            <h2 id="echanges">"Échanges"</h2>
            {thread}
            {reply}
        </section>
        {(status_form.is_some() || withdraw.is_some()).then(|| view! {
            <section aria-labelledby="suivi">
                <h2 id="suivi">"Suivi de la candidature"</h2>
                {status_form}
                {withdraw}
            </section>
        })}
        <section aria-labelledby="historique">
            <h2 id="historique">"Historique"</h2>
            <ol class="history">{history}</ol>
        </section>
    }
}
