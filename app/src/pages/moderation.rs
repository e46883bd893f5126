use crate::components::{
    CheckField, CsrfField, Field, OrganisationOutcome, ReferenceText, StatusBadge, exchange_list, provide_item_refusal,
    typed_for,
};
use crate::domain::accounts::Viewer;
use crate::domain::organisations::{
    CLOSING_MESSAGE_MAX_CHARS, FailedMailRow, LOG_LIMIT, LogEntry, ModerationAction, ModerationPage as Moderation,
    OrganisationProblem as Problem, OwnerlessOrganisation, QUESTION_MAX_CHARS, QueuedOrganisation, REASON_MAX_CHARS,
    RelatedOrganisation, SAME_CODE_LIMIT, awaiting_answer, fields, get_moderation, paths,
};
use crate::format;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// The moderators' page: organisations waiting for verification (approve, or refuse with a
/// reason), the audit log of every moderation action, and the mails the outbox gave up on.
#[component]
pub fn ModerationPage() -> impl IntoView {
    // A refused form names its organisation: the field of that organisation's form is marked.
    provide_item_refusal::<Problem>(fields::ORGANISATION, |problem, id| {
        Some(match problem {
            Problem::ReasonMissing | Problem::ReasonTooLong => format!("motif-{id}"),
            Problem::QuestionMissing | Problem::QuestionTooLong => format!("question-{id}"),
            Problem::ClosingMessageTooLong => format!("fermeture-message-{id}"),
            Problem::ClosureUnconfirmed => format!("fermeture-confirmation-{id}"),
            _ => return None,
        })
    });
    view! {
        <Title text="Modération — Médecins & Territoires"/>
        <Meta name="robots" content="noindex"/>
        <h1>"Modération"</h1>
        <OrganisationOutcome/>
        {super::with_access(paths::MODERATION.to_owned(), (), |_| get_moderation(), moderation_view)}
    }
}

fn moderation_view(viewer: Viewer, page: Moderation) -> impl IntoView {
    let csrf = viewer.csrf.clone();
    let queue_csrf = csrf.clone();
    let queue = if page.queue.is_empty() {
        view! { <p>"Aucune organisation n'attend de vérification."</p> }.into_any()
    } else {
        let items = page
            .queue
            .into_iter()
            .map(|organisation| {
                // What was typed into a refused reason or question comes back, into the form
                // of its organisation only.
                let typed = typed_for::<Typed>(fields::ORGANISATION, organisation.id);
                queued_view(organisation, queue_csrf.clone(), typed)
            })
            .collect_view();
        view! {
            <p class="muted">
                "Le portail ne connaît le domaine de messagerie officiel d'aucune organisation : ni le répertoire FINESS "
                "ni les données des communes n'en donnent. La ligne « Domaine de l'adresse » dit seulement ce que le "
                "domaine du demandeur laisse voir : messagerie grand public, messagerie de santé, service public, ou "
                "nom de la commune, de la structure ou de l'organisation repris."
            </p>
            {items}
        }
        .into_any()
    };
    view! {
        <p><a href=crate::domain::aids::paths::MODERATION>"Aides locales publiées par les collectivités"</a></p>
        <p><a href=crate::domain::reviews::paths::MODERATION>"Avis des internes sur les terrains de stage"</a></p>
        <section aria-labelledby="file">
            <h2 id="file">"Organisations en attente de vérification"</h2>
            {queue}
        </section>
        {ownerless_view(page.ownerless, csrf.clone())}
        <section aria-labelledby="journal">
            <h2 id="journal">"Journal de modération"</h2>
            {log_view(page.log)}
        </section>
        <section aria-labelledby="courriels">
            <h2 id="courriels">"Courriels en échec"</h2>
            {failed_mails_view(page.failed_mails, viewer.csrf)}
        </section>
    }
}

/// What a moderator typed into a refused form of a queue item (named as the form's fields).
#[derive(Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
struct Typed {
    motif: String,
    question: String,
    message: String,
}

fn queued_view(organisation: QueuedOrganisation, csrf: String, typed: Typed) -> impl IntoView {
    let id = organisation.id;
    let reason_id = format!("motif-{id}");
    let question_id = format!("question-{id}");
    let creator = match (organisation.creator_name, organisation.creator_email) {
        (Some(name), Some(email)) => format!("{name} <{email}>"),
        _ => "compte supprimé".to_owned(),
    };
    let domain = organisation.domain.map(|evidence| {
        view! {
            <dt>"Domaine de l'adresse"</dt>
            <dd data-field="domaine">
                <span class="code">"@" {evidence.domain}</span> " "
                <span class=evidence.kind.badge()>{evidence.kind.label()}</span>
                <br/><span class="muted">{evidence.kind.sentence()}</span>
            </dd>
        }
    });
    let same_code = if organisation.same_code.is_empty() {
        match organisation.reference {
            Some(_) => view! { <span class="muted">"aucune autre organisation"</span> }.into_any(),
            None => view! { <span class="muted">"sans objet : pas de code de référence"</span> }.into_any(),
        }
    } else {
        let more = organisation
            .same_code_more
            .then(|| view! { <p class="muted">{format!("… et d'autres : seules les {SAME_CODE_LIMIT} premières sont listées.")}</p> });
        view! { {related_list(organisation.same_code)} {more} }.into_any()
    };
    let others = if organisation.requester_organisations.is_empty() {
        view! { <span class="muted">"aucune"</span> }.into_any()
    } else {
        related_list(organisation.requester_organisations).into_any()
    };
    let waiting = awaiting_answer(&organisation.exchange);
    let state = match (organisation.exchange.last(), waiting) {
        (None, _) => None,
        (Some(_), true) => Some(view! { <span class="badge todo">"question sans réponse"</span> }),
        (Some(_), false) => Some(view! { <span class="badge ok">"réponse reçue"</span> }),
    };
    view! {
        <article class="queued" id=format!("organisation-{id}") aria-labelledby=format!("organisation-{id}-nom")>
            <h3 id=format!("organisation-{id}-nom")>
                <a href=paths::ORGANISATION.of(id)>{organisation.name.clone()}</a> " " {state}
            </h3>
            <dl class="facts">
                <dt>"Type"</dt>
                <dd>{organisation.kind.label()}</dd>
                {organisation.reference.map(|reference| view! { <dt>"Référence"</dt><dd><ReferenceText reference/></dd> })}
                <dt>"Demandée par"</dt>
                <dd class="wrap">
                    {creator} " "
                    {if organisation.creator_verified {
                        view! { <span class="badge ok">"adresse confirmée"</span> }.into_any()
                    } else {
                        view! { <span class="badge todo">"adresse non confirmée"</span> }.into_any()
                    }}
                </dd>
                {domain}
                <dt>"Le"</dt>
                <dd>{format::date_time(organisation.created_at)}</dd>
                <dt>"Même code"</dt>
                <dd data-field="meme-code">{same_code}</dd>
                <dt>"Autres organisations du demandeur"</dt>
                <dd data-field="autres-organisations">{others}</dd>
            </dl>
            <section class="exchange" aria-labelledby=format!("questions-{id}")>
                <h4 id=format!("questions-{id}")>"Questions au demandeur"</h4>
                {exchange_list(organisation.exchange, "Aucune question posée.")}
                <form class="stacked" method="post" action=paths::ASK.of(id)>
                    <CsrfField csrf=csrf.clone()/>
                    <Field id=question_id.clone() label="Poser une question (envoyée par e-mail aux propriétaires ; l'organisation reste en attente)" let:aria>
                        <textarea id=question_id name=fields::QUESTION required maxlength=QUESTION_MAX_CHARS.to_string() rows="3" aria-invalid=aria.invalid aria-describedby=aria.describedby>{typed.question}</textarea>
                    </Field>
                    <button type="submit" aria-label=format!("Envoyer la question à {}", organisation.name)>"Envoyer la question"</button>
                </form>
            </section>
            <div class="decisions">
                <form method="post" action=paths::APPROVE.of(id)>
                    <CsrfField csrf=csrf.clone()/>
                    <button type="submit" aria-label=format!("Vérifier {}", organisation.name)>"Vérifier"</button>
                </form>
                <form class="stacked" method="post" action=paths::REJECT.of(id)>
                    <CsrfField csrf=csrf/>
                    <Field id=reason_id.clone() label="Motif du refus (envoyé aux propriétaires)" let:aria>
                        <textarea id=reason_id name=fields::REASON required maxlength=REASON_MAX_CHARS.to_string() rows="3" aria-invalid=aria.invalid aria-describedby=aria.describedby>{typed.motif}</textarea>
                    </Field>
                    <button type="submit" aria-label=format!("Refuser {}", organisation.name)>"Refuser"</button>
                </form>
            </div>
        </article>
    }
}

/// Organisations named beside one waiting: link, kind, status, and the requester's role.
fn related_list(organisations: Vec<RelatedOrganisation>) -> impl IntoView {
    let items = organisations
        .into_iter()
        .map(|organisation| {
            view! {
                <li>
                    <a href=paths::ORGANISATION.of(organisation.id)>{organisation.name}</a>
                    {organisation.role.map(|role| format!(" ({})", role.label()))}
                    " " <StatusBadge status=organisation.status reason=None/>
                    {organisation.closed.then(|| view! { " " <span class="badge badge-ended">"fermée"</span> })}
                    <br/><span class="muted">{organisation.kind.label()}</span>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="related">{items}</ul> }
}

fn log_view(log: Vec<LogEntry>) -> AnyView {
    if log.is_empty() {
        return view! { <p>"Aucune action de modération pour l'instant."</p> }.into_any();
    }
    let rows = log
        .into_iter()
        .map(|entry| {
            let action = match entry.action {
                ModerationAction::Approve => "badge ok",
                ModerationAction::Reject => "badge refused",
                ModerationAction::Resubmit => "badge todo",
                ModerationAction::Close => "badge badge-ended",
                ModerationAction::TakeOver => "badge todo",
                ModerationAction::Question | ModerationAction::Answer => "badge badge-light",
            };
            view! {
                <tr>
                    <td>{format::date_time(entry.at)}</td>
                    // The actor's account was deleted: the action stays, the person does not.
                    <td>{entry.actor_email.unwrap_or_else(|| "compte supprimé".to_owned())}</td>
                    <td><span class=action>{entry.action.label()}</span></td>
                    <td><a href=paths::ORGANISATION.of(entry.organisation_id)>{entry.organisation}</a></td>
                    <td class="prewrap">{entry.reason.unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="data log">
            <caption>{format!("Les {LOG_LIMIT} dernières actions au plus, les plus récentes d'abord")}</caption>
            <thead>
                <tr>
                    <th scope="col">"Date"</th>
                    <th scope="col">"Par"</th>
                    <th scope="col">"Action"</th>
                    <th scope="col">"Organisation"</th>
                    <th scope="col">"Motif, question ou réponse"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

fn failed_mails_view(mails: Vec<FailedMailRow>, csrf: String) -> AnyView {
    if mails.is_empty() {
        return view! { <p>"Aucun courriel en échec : tous les envois ont abouti ou sont en cours."</p> }.into_any();
    }
    let rows = mails
        .into_iter()
        .map(|mail| {
            let label = format!("Renvoyer le courriel « {} » à {}", mail.subject, mail.recipient);
            view! {
                <tr>
                    <td>{format::date_time(mail.queued_at)}</td>
                    <td>{mail.recipient}</td>
                    <td>{mail.subject}</td>
                    <td>{mail.template}</td>
                    <td class="num">{mail.attempts}</td>
                    <td>{mail.last_error.unwrap_or_default()}</td>
                    <td>
                        <form method="post" action=paths::REQUEUE_MAIL.of(mail.id)>
                            <CsrfField csrf=csrf.clone()/>
                            <button type="submit" aria-label=label>"Renvoyer"</button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="muted">
            "Le portail a renoncé à envoyer ces courriels après plusieurs tentatives (adresse refusée, serveur d'envoi "
            "indisponible trop longtemps). Une fois la cause corrigée, « Renvoyer » le remet dans la file d'envoi ; "
            "sinon, prévenez les destinataires par un autre moyen."
        </p>
        <table class="data">
            <caption class="visually-hidden">"Courriels en échec, les plus récents d'abord"</caption>
            <thead>
                <tr>
                    <th scope="col">"Créé le"</th>
                    <th scope="col">"Destinataire"</th>
                    <th scope="col">"Objet"</th>
                    <th scope="col">"Modèle"</th>
                    <th scope="col" class="num">"Tentatives"</th>
                    <th scope="col">"Dernière erreur"</th>
                    <th scope="col"><span class="visually-hidden">"Action"</span></th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

/// Organisations left without any owner: a moderator takes one over (to hand it on) or closes
/// it. Shown only when there are some.
fn ownerless_view(ownerless: Vec<OwnerlessOrganisation>, csrf: String) -> Option<impl IntoView> {
    if ownerless.is_empty() {
        return None;
    }
    let rows = ownerless
        .into_iter()
        .map(|organisation| {
            let id = organisation.id;
            let message_id = format!("fermeture-message-{id}");
            let confirm_id = format!("fermeture-confirmation-{id}");
            // A refused closure gives its message back, into this organisation's form only.
            let typed = typed_for::<Typed>(fields::ORGANISATION, id);
            let lines = organisation.in_progress.lines();
            let online =
                if lines.is_empty() { "rien en ligne ni en cours".to_owned() } else { lines.join(", ") };
            view! {
                <article class="card">
                    <h3><a href=paths::ORGANISATION.of(id)>{organisation.name.clone()}</a></h3>
                    <p class="muted">
                        {organisation.kind.label()} " — " {organisation.status.label()} " — "
                        {match organisation.members {
                            0 => "aucun membre".to_owned(),
                            1 => "1 membre, qui n'est pas propriétaire".to_owned(),
                            n => format!("{n} membres, aucun propriétaire"),
                        }}
                    </p>
                    <p>"En ligne ou en cours : " {online}</p>
                    <form class="inline" method="post" action=paths::TAKE_OVER.of(id)>
                        <CsrfField csrf=csrf.clone()/>
                        <button type="submit">"Reprendre (devenir propriétaire)"</button>
                    </form>
                    <form class="stacked danger" method="post" action=paths::MODERATOR_CLOSE.of(id)>
                        <CsrfField csrf=csrf.clone()/>
                        <Field id=message_id.clone() label="Message aux candidats, inscrits et demandeurs (facultatif)" let:aria>
                            <textarea id=message_id name=fields::MESSAGE rows="3" maxlength=CLOSING_MESSAGE_MAX_CHARS.to_string()
                                aria-invalid=aria.invalid aria-describedby=aria.describedby>{typed.message}</textarea>
                        </Field>
                        <CheckField id=confirm_id name=fields::CONFIRM
                            label="Je confirme la fermeture et le retrait de tout ce qu'elle a publié."/>
                        <button type="submit" class="danger">"Fermer l'organisation"</button>
                    </form>
                </article>
            }
        })
        .collect_view();
    Some(view! {
        <section aria-labelledby="sans-proprietaire">
            <h2 id="sans-proprietaire">"Organisations sans propriétaire"</h2>
            <p class="muted">
                "Ces organisations n'ont plus de propriétaire pour répondre de ce qu'elles publient. Reprenez-en une pour "
                "inviter un nouveau propriétaire, ou fermez-la : ses offres, aides et événements sont retirés et chaque "
                "personne concernée est prévenue."
            </p>
            {rows}
        </section>
    })
}
