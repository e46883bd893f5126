use crate::components::{
    Breadcrumb, CheckField, ConfirmedDisclosure, CsrfField, Field, OfferCardView, OrganisationFields,
    OrganisationOutcome, ReferenceText, StatusBadge, access_view, exchange_list, provide_refusal, unavailable_view,
};
use crate::domain::accounts::Viewer;
use crate::domain::offers::{OrganisationOffers, get_organisation_offers, paths as offer_paths};
use crate::domain::organisations::{
    ANSWER_MAX_CHARS, Access, CLOSING_MESSAGE_MAX_CHARS, InProgress, Member, OrganisationDetail, OrganisationProblem,
    OrganisationStatus, PendingInvitation, Role, fields, get_organisation, paths,
};
use crate::format;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

/// One organisation: its details and status, its members, and for its owners the invitations
/// and the corrections while moderation has not verified it.
#[component]
pub fn OrganisationPage() -> impl IntoView {
    provide_refusal::<OrganisationProblem>();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let viewer = Resource::new(|| (), |_| crate::domain::accounts::get_viewer());
    let detail = Resource::new(move || id.get(), get_organisation);
    let offers = Resource::new(move || id.get(), get_organisation_offers);
    view! {
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=super::loading>
            {move || Suspend::new(async move {
                let here = paths::ORGANISATION.of(id.get_untracked());
                match (viewer.await, detail.await, offers.await) {
                    (Ok(viewer), Ok(access), Ok(offers)) => {
                        // Moderators who are not members see the organisation, not its offers' drafts.
                        let offers = match offers {
                            Access::Granted(offers) => Some(offers),
                            _ => None,
                        };
                        access_view(access, here, move |detail| organisation_view(viewer, detail, offers))
                    }
                    (Err(error), _, _) | (_, Err(error), _) | (_, _, Err(error)) => unavailable_view(error),
                }
            })}
        </Suspense>
    }
}

fn organisation_view(viewer: Viewer, detail: OrganisationDetail, offers: Option<OrganisationOffers>) -> impl IntoView {
    let csrf = viewer.csrf;
    let status_note = match detail.status {
        _ if detail.is_closed() => Some(
            "Cette organisation est fermée : ses offres, aides, événements, terrains de stage, logements et sa page \
             de territoire sont retirés. Son historique reste lisible ici ; elle ne publie plus rien.",
        ),
        OrganisationStatus::Pending => Some(
            "La modération (ARS, URPS, ordre) vérifie chaque nouvelle organisation avant qu'elle publie. \
             Vous recevrez un e-mail dès qu'elle l'aura fait.",
        ),
        OrganisationStatus::Refused if detail.is_owner() => {
            Some("Corrigez l'organisation ci-dessous et enregistrez : elle sera de nouveau soumise à la modération.")
        }
        _ => None,
    };
    // The last owner cannot leave an open organisation: no button that could only fail.
    let sole_owner = detail.members.iter().filter(|m| m.role == Role::Owner).count() == 1 && !detail.is_closed();
    let open_member = detail.my_role.is_some() && !detail.is_closed();
    let members = detail
        .members
        .iter()
        .cloned()
        .map(|member| {
            let can_leave = !(sole_owner && member.role == Role::Owner);
            member_row(member, detail.id, detail.is_owner(), can_leave, csrf.clone())
        })
        .collect_view();
    view! {
        <Title text=format!("{} — Médecins & Territoires", detail.name)/>
        <Breadcrumb trail=vec![("Mes organisations".to_owned(), paths::LIST.to_owned())] here=detail.name.clone()/>
        <h1>{detail.name.clone()}</h1>
        <OrganisationOutcome/>
        <dl class="facts">
            <dt>"Type"</dt>
            <dd>{detail.kind.label()}</dd>
            {detail.reference.clone().map(|reference| view! {
                <dt>"Référence"</dt>
                <dd><ReferenceText reference/></dd>
            })}
            <dt>"Statut"</dt>
            <dd data-field="statut"><StatusBadge status=detail.status reason=detail.rejection_reason.clone()/></dd>
            <dt>"Créée le"</dt>
            <dd>{format::date(detail.created_at)}</dd>
            {detail.verified_at.map(|at| view! { <dt>"Vérifiée le"</dt><dd>{format::date(at)}</dd> })}
            {detail.closed_at.map(|at| view! {
                <dt>"Fermée le"</dt><dd data-field="fermee"><span class="badge badge-ended">{format::date(at)}</span></dd>
            })}
            {detail.my_role.map(|role| view! { <dt>"Votre rôle"</dt><dd>{role.label()}</dd> })}
        </dl>
        {status_note.map(|note| view! { <p class="muted">{note}</p> })}
        {questions_view(&detail, csrf.clone())}

        <section aria-labelledby="membres">
            <h2 id="membres">"Membres"</h2>
            // One card each, not a table: a table of names, addresses and actions is wider than
            // a phone.
            <ul class="members">{members}</ul>
        </section>

        {(detail.kind.family() == crate::domain::organisations::OrganisationFamily::Collectivite && open_member).then(|| view! {
            <section aria-labelledby="territoire">
                <h2 id="territoire">"Votre territoire"</h2>
                <p><a href=crate::domain::promotion::paths::EDITOR.of(detail.id)>"Page du territoire"</a>
                " : présentez le cadre de vie, les photos, les témoignages et le référent à contacter."</p>
                <p><a href=crate::domain::aids::paths::ORGANISATION.of(detail.id)>"Aides locales"</a>
                " : publiez les aides que la collectivité propose aux médecins."</p>
                <p><a href=crate::domain::promotion::paths::CASES>"Guichet unique"</a> " : les demandes reçues."</p>
            </section>
        })}
        {(open_member && matches!(detail.kind.family(), crate::domain::organisations::OrganisationFamily::Structure | crate::domain::organisations::OrganisationFamily::Cabinet)).then(|| view! {
            <p><a href=crate::domain::stages::paths::ORGANISATION.of(detail.id)>"Terrains de stage"</a>
            " : les lieux où vous accueillez des internes, leurs maîtres de stage et ce qu'ils y font."</p>
        })}
        {(open_member && detail.kind.family() != crate::domain::organisations::OrganisationFamily::Institution).then(|| view! {
            <p><a href=crate::domain::housing::paths::ORGANISATION.of(detail.id)>"Logements pour internes"</a>
            " : les chambres, studios et appartements que vous proposez aux internes en stage."</p>
        })}
        {(open_member && detail.kind != crate::domain::organisations::OrganisationKind::Cabinet).then(|| view! {
            <p><a href=crate::domain::events::paths::ORGANISATION.of(detail.id)>"Événements"</a>
            " : journées d'accueil, speed-dating et forums que l'organisation propose."</p>
        })}
        {offers.map(|offers| offers_view(offers, detail.is_closed()))}
        {(detail.is_owner() && !detail.is_closed()).then(|| invitations_view(detail.id, detail.invitations.clone(), csrf.clone()))}
        {detail.editable().then(|| edit_view(&detail, csrf.clone()))}
        {detail.in_progress.clone().map(|in_progress| closing_view(detail.id, in_progress, csrf.clone()))}
    }
}

/// The moderation's questions and the answers (shown to owners and moderators), and for its
/// owners, while it waits, the form to answer the last question.
fn questions_view(detail: &OrganisationDetail, csrf: String) -> Option<impl IntoView + use<>> {
    if detail.exchange.is_empty() {
        return None;
    }
    let form = detail.answerable().then(|| {
        let query = use_query_map();
        let typed = query.with_untracked(|q| q.get(fields::ANSWER)).unwrap_or_default();
        view! {
            <form class="stacked" method="post" action=paths::ANSWER.of(detail.id)>
                <CsrfField csrf/>
                <Field id="reponse" label="Votre réponse (transmise à la modération)"
                    hint="La modération lit votre réponse avant de vérifier l'organisation ; vous répondez une fois à chaque question." let:aria>
                    <textarea id="reponse" name=fields::ANSWER required maxlength=ANSWER_MAX_CHARS.to_string() rows="5"
                        aria-invalid=aria.invalid aria-describedby=aria.describedby>{typed}</textarea>
                </Field>
                <button type="submit">"Envoyer la réponse"</button>
            </form>
        }
    });
    Some(view! {
        <section class="exchange" id="question" aria-labelledby="questions">
            <h2 id="questions">"Questions de la modération"</h2>
            {exchange_list(detail.exchange.clone(), "")}
            {form}
        </section>
    })
}

/// The organisation's offers, drafts included, and the way to post one.
fn offers_view(offers: OrganisationOffers, closed: bool) -> impl IntoView {
    let note = (!offers.verified && !closed).then(|| {
        view! {
            <p class="muted">
                "Vous pouvez préparer des offres dès maintenant ; elles seront publiables une fois l'organisation vérifiée."
            </p>
        }
    });
    let list = if offers.offers.is_empty() {
        view! { <p>"Aucune offre pour l'instant."</p> }.into_any()
    } else {
        let cards =
            offers.offers.into_iter().map(|card| view! { <OfferCardView card show_state=true/> }).collect_view();
        view! { <ul class="offer-list">{cards}</ul> }.into_any()
    };
    view! {
        <section aria-labelledby="offres">
            <h2 id="offres">"Offres"</h2>
            {note}
            <p>
                {(!closed).then(|| view! {
                    <a class="button" href=offer_paths::NEW.of(offers.organisation_id)>"Publier une offre"</a> " "
                })}
                <a href=crate::domain::applications::paths::RECEIVED.of(offers.organisation_id)>"Candidatures reçues"</a>
            </p>
            {list}
        </section>
    }
}

fn member_row(member: Member, organisation: i64, owner: bool, can_leave: bool, csrf: String) -> impl IntoView {
    let user = member.user_id.to_string();
    let leave = (member.is_me && can_leave).then(|| {
        view! {
            <ConfirmedDisclosure action=paths::REMOVE_MEMBER.of(organisation) csrf=csrf.clone() id="quitter-confirme"
                summary="Quitter l'organisation…" hidden=vec![(fields::MEMBER, user.clone())]
                what="Vous n'aurez plus accès à ses offres, candidatures et dossiers ; pour revenir, il faudra une nouvelle invitation."
                confirm="Je confirme quitter l'organisation." button="Quitter l'organisation"/>
        }
    });
    let manage = (owner && !member.is_me).then(|| {
        let (new_role, label) = match member.role {
            Role::Owner => (Role::Member, "Rendre simple membre"),
            Role::Member => (Role::Owner, "Nommer propriétaire"),
        };
        view! {
            <form class="inline" method="post" action=paths::CHANGE_ROLE.of(organisation)>
                <CsrfField csrf=csrf.clone()/>
                <input type="hidden" name=fields::MEMBER value=user.clone()/>
                <input type="hidden" name=fields::ROLE value=new_role.code()/>
                <button type="submit" aria-label=format!("{label} : {}", member.display_name)>{label}</button>
            </form>
            <ConfirmedDisclosure action=paths::REMOVE_MEMBER.of(organisation) csrf=csrf.clone()
                id=format!("retrait-membre-{user}") summary=format!("Retirer {}…", member.display_name)
                hidden=vec![(fields::MEMBER, user.clone())]
                what="Cette personne n'aura plus accès à l'organisation ; pour revenir, il lui faudra une nouvelle invitation."
                confirm=format!("Je confirme retirer {} de l'organisation.", member.display_name)
                button=format!("Retirer {}", member.display_name)/>
        }
    });
    let facts = [
        member.email.clone(),
        Some(member.role.label().to_owned()),
        Some(format!("depuis le {}", format::date(member.since))),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    view! {
        <li>
            <p><strong>{member.display_name.clone()}</strong> {member.is_me.then_some(" (vous)")}</p>
            <p class="muted">{facts}</p>
            {(leave.is_some() || manage.is_some()).then(|| view! { <div class="member-actions">{leave}{manage}</div> })}
        </li>
    }
}

fn invitations_view(organisation: i64, invitations: Vec<PendingInvitation>, csrf: String) -> impl IntoView {
    let query = use_query_map();
    let email = query.with_untracked(|q| q.get(fields::EMAIL)).unwrap_or_default();
    let role = query.with_untracked(|q| q.get(fields::ROLE)).unwrap_or_default();
    let pending = (!invitations.is_empty()).then(|| {
        let rows = invitations
            .into_iter()
            .map(|invitation| {
                view! {
                    <li>
                        {invitation.email.clone()}
                        <span class="muted">" — " {invitation.role.label()} ", valable jusqu'au " {format::date_time(invitation.expires_at)} " "</span>
                        <form class="inline" method="post" action=paths::CANCEL_INVITATION.of(organisation)>
                            <CsrfField csrf=csrf.clone()/>
                            <input type="hidden" name=fields::INVITATION value=invitation.id.to_string()/>
                            <button type="submit" aria-label=format!("Annuler l'invitation de {}", invitation.email)>"Annuler"</button>
                        </form>
                    </li>
                }
            })
            .collect_view();
        view! {
            <h3>"Invitations en attente"</h3>
            <ul class="invitations">{rows}</ul>
        }
    });
    view! {
        <section aria-labelledby="inviter">
            <h2 id="inviter">"Inviter un membre"</h2>
            {pending}
            <form class="stacked" method="post" action=paths::INVITE.of(organisation)>
                <CsrfField csrf=csrf.clone()/>
                <Field id="email-invite" label="Adresse e-mail de la personne à inviter"
                    hint="Elle reçoit un lien valable 7 jours ; elle rejoint l'organisation avec le compte de cette adresse (qu'elle peut créer en suivant le lien)."
                    let:aria>
                    <input id="email-invite" name=fields::EMAIL type="email" autocomplete="off" required value=email
                        aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                </Field>
                <Field id="role-invite" label="Rôle" let:aria>
                    <select id="role-invite" name=fields::ROLE aria-invalid=aria.invalid aria-describedby=aria.describedby>
                        <option value=Role::Member.code() selected=role != Role::Owner.code()>"membre"</option>
                        <option value=Role::Owner.code() selected=role == Role::Owner.code()>"propriétaire (gère les membres)"</option>
                    </select>
                </Field>
                <button type="submit">"Envoyer l'invitation"</button>
            </form>
        </section>
    }
}

fn edit_view(detail: &OrganisationDetail, csrf: String) -> impl IntoView + use<> {
    // What was typed comes back after an error; otherwise the organisation as it is.
    let query = use_query_map();
    let typed =
        |field: &str, current: &str| query.with_untracked(|q| q.get(field)).unwrap_or_else(|| current.to_owned());
    let kind = typed(fields::KIND, detail.kind.code());
    let name = typed(fields::NAME, &detail.name);
    let code = typed(fields::CODE, &detail.code);
    let button = if detail.status == OrganisationStatus::Refused {
        "Enregistrer et soumettre de nouveau"
    } else {
        "Enregistrer les corrections"
    };
    view! {
        <section aria-labelledby="corriger">
            <h2 id="corriger">"Corriger l'organisation"</h2>
            <form class="stacked" method="post" action=paths::EDIT.of(detail.id)>
                <CsrfField csrf/>
                <OrganisationFields kind name code/>
                <button type="submit">{button}</button>
            </form>
        </section>
    }
}

/// For the owners of an open organisation: closing it, with what that takes offline and
/// answers, a message for the people concerned and a box to tick (a confirmation that works
/// without JavaScript).
fn closing_view(organisation: i64, in_progress: InProgress, csrf: String) -> impl IntoView {
    let query = use_query_map();
    let message = query.with_untracked(|q| q.get(fields::MESSAGE)).unwrap_or_default();
    let lines = in_progress.lines();
    let now = if lines.is_empty() {
        view! { <p>"Elle n'a rien en ligne ni en cours aujourd'hui."</p> }.into_any()
    } else {
        let items = lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view();
        view! { <p>"Aujourd'hui, cela concerne :"</p> <ul>{items}</ul> }.into_any()
    };
    view! {
        <section aria-labelledby="fermer">
            <h2 id="fermer">"Fermer l'organisation"</h2>
            <form class="stacked danger" method="post" action=paths::CLOSE.of(organisation)>
                <CsrfField csrf/>
                <p>
                    "Fermer l'organisation retire ses offres (leur page dira « retirée »), ses aides, ses terrains de stage, "
                    "ses logements pour internes et sa page de territoire ; annule ses événements à venir ; répond aux "
                    "candidatures en cours (statut « refusée ») et clôt les demandes du guichet unique. Chaque candidat, "
                    "inscrit et demandeur reçoit un e-mail avec votre message. Les membres en restent membres et gardent "
                    "l'historique ; les invitations en attente ne fonctionnent plus. C'est définitif."
                </p>
                {now}
                <p class="muted">
                    "Pour partir sans fermer, nommez plutôt un autre propriétaire dans la liste des membres."
                </p>
                <Field id="fermeture-message" label="Message aux candidats, inscrits et demandeurs (facultatif)"
                    hint="Par exemple : le cabinet a trouvé un successeur, la maison de santé ferme, ou qui contacter désormais." let:aria>
                    <textarea id="fermeture-message" name=fields::MESSAGE rows="4" maxlength=CLOSING_MESSAGE_MAX_CHARS.to_string()
                        aria-invalid=aria.invalid aria-describedby=aria.describedby>{message}</textarea>
                </Field>
                <CheckField id="fermeture-confirmation" name=fields::CONFIRM
                    label="Je confirme la fermeture de l'organisation et le retrait de tout ce qu'elle a publié."/>
                <button type="submit" class="danger">"Fermer définitivement l'organisation"</button>
            </form>
        </section>
    }
}
