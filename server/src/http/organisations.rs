//! The organisation and moderation forms' handlers, built like the account ones: each checks
//! that someone is signed in and the form token (`posted::Posted`), calls the
//! organisations service (which checks what that person may do) and redirects (303) to a page
//! that says what happened, with what was typed kept on an error.

use super::posted::{Fields, Kept, Pairs, Posted, deserialize, refused, unconfirmed};
use super::routes::Routes;
use super::{redirect, with_query};
use crate::organisations::{OrganisationError, Organisations, Removal};
use app::domain::accounts;
use app::domain::organisations::{OrganisationNotice as Notice, OrganisationProblem as Problem, fields, paths};
use app::model::{CodeError, EmailError};
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

/// What the handlers share.
#[derive(Debug, Clone)]
pub struct OrganisationState {
    pub organisations: Organisations,
}

/// Every organisation form's fields (named as in `app::domain::organisations::fields`); a missing
/// field is an empty one, answered by the service with a French sentence. Numbers are read as
/// text, so that a mangled one gets that sentence too rather than a bare 422.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OrganisationForm {
    #[serde(rename = "type")]
    kind: String,
    nom: String,
    code: String,
    email: String,
    role: String,
    membre: String,
    invitation: String,
    jeton: String,
    motif: String,
    message: String,
    confirmation: String,
    /// The box of a confirmed action (`fields::CONFIRMED_BOX`).
    case: String,
    question: String,
    reponse: String,
    /// A commune chosen among those of the postal code typed as its code (a button that
    /// sends its INSEE code): it replaces the code typed.
    commune_choisie: String,
}

impl OrganisationForm {
    /// The code: the commune chosen, or what was typed.
    fn code(&self) -> &str {
        match self.commune_choisie.trim() {
            "" => &self.code,
            chosen => chosen,
        }
    }
}

/// What the form keeps of a refusal, and for a postal code typed as a commune's code, its
/// communes to choose from ("12202:Rodez (12202);12176:Onet-le-Château (12176)").
fn kept_with(form: &OrganisationForm, error: &OrganisationError) -> Pairs {
    let mut kept = form.kept();
    if let OrganisationError::PostalCode { communes, .. } = error {
        let choices: Vec<String> = communes.iter().map(|(code, label)| format!("{code}:{label}")).collect();
        kept.push((fields::POSTAL_CODE_COMMUNES.to_owned(), choices.join(";")));
    }
    kept
}

impl Fields for OrganisationForm {
    fn read(pairs: Pairs) -> Option<Self> {
        deserialize(&pairs)
    }

    /// What was typed; the hidden ids (member, invitation) are the page's own.
    fn kept(&self) -> Pairs {
        [
            (fields::KIND, self.kind.as_str()),
            (fields::NAME, &self.nom),
            (fields::CODE, &self.code),
            (fields::EMAIL, &self.email),
            (fields::ROLE, &self.role),
            (fields::TOKEN, self.jeton.trim()),
            (fields::REASON, self.motif.trim()),
            (fields::MESSAGE, self.message.trim()),
            (fields::QUESTION, self.question.trim()),
            (fields::ANSWER, self.reponse.trim()),
        ]
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(key, value)| (key.to_owned(), value.to_owned()))
        .collect()
    }
}

/// The code shown for a service error; infrastructure failures are logged.
fn problem(error: &OrganisationError) -> &'static str {
    use OrganisationError as E;
    let problem = match error {
        E::Kind => Problem::KindMissing,
        E::Name => Problem::NameInvalid,
        E::CodeMissing(app::domain::organisations::ReferenceKind::Epci) => Problem::SirenMissing,
        E::CodeMissing(app::domain::organisations::ReferenceKind::Departement) => Problem::DepartementMissing,
        E::CodeMissing(_) => Problem::CommuneCodeMissing,
        E::Code(CodeError::Insee(_)) => Problem::CommuneCodeInvalid,
        E::Code(CodeError::Siren(_)) => Problem::SirenInvalid,
        E::Code(CodeError::Departement(_)) => Problem::DepartementInvalid,
        E::UnknownCommune(_) => Problem::CommuneUnknown,
        E::PostalCode { .. } => Problem::PostalCode,
        E::UnknownEpci(_) => Problem::EpciUnknown,
        E::UnknownDepartement(_) => Problem::DepartementUnknown,
        E::Finess(_) => Problem::FinessInvalid,
        E::FinessOtherKind { .. } => Problem::FinessOtherKind,
        E::CodeNotExpected => Problem::CodeNotExpected,
        E::NotFound => Problem::NotFound,
        E::OwnersOnly => Problem::OwnersOnly,
        E::ModeratorsOnly => Problem::ModeratorsOnly,
        E::Email(EmailError::Empty) => Problem::EmailMissing,
        E::Email(_) => Problem::EmailInvalid,
        E::Role => Problem::RoleInvalid,
        E::AlreadyMember => Problem::AlreadyMember,
        E::UnverifiedInviter => Problem::UnverifiedInviter,
        E::TooManyInvitations => Problem::TooManyInvitations,
        E::BadInvitation => Problem::BadInvitation,
        E::WrongInvitee { .. } => Problem::WrongInvitee,
        E::NotAMember => Problem::NotAMember,
        E::LastOwner => Problem::LastOwner,
        E::Closed => Problem::Closed,
        E::ClosureUnconfirmed => Problem::ClosureUnconfirmed,
        E::ClosingMessageTooLong => Problem::ClosingMessageTooLong,
        E::HasOwner => Problem::HasOwner,
        E::ReasonMissing => Problem::ReasonMissing,
        E::ReasonTooLong => Problem::ReasonTooLong,
        E::AlreadyDecided => Problem::AlreadyDecided,
        E::NotEditable => Problem::NotEditable,
        E::MailNotFailed => Problem::MailNotFailed,
        E::QuestionMissing => Problem::QuestionMissing,
        E::QuestionTooLong => Problem::QuestionTooLong,
        E::AnswerMissing => Problem::AnswerMissing,
        E::AnswerTooLong => Problem::AnswerTooLong,
        E::NothingToAnswer => Problem::NothingToAnswer,
        E::NoSuchAccount(_) | E::Database(_) | E::Mail(_) => {
            tracing::error!(%error, "organisation action failed");
            return accounts::Problem::Unavailable.code();
        }
    };
    problem.code()
}

fn notice(path: &str, notice: Notice) -> Response {
    redirect(&with_query(path, &[("info", notice.code())]))
}

/// The organisation of a `/organisations/{id}/…` or `/moderation/{id}/…` address; the error
/// is where to go.
fn organisation_id(raw: &str, list: &str) -> Result<i64, String> {
    raw.parse::<i64>().map_err(|_| with_query(list, &[("erreur", Problem::NotFound.code())]))
}

/// Where an error about organisation `id` is shown: its page, or the list when the person may
/// not see it.
fn back_to(id: i64, error: &OrganisationError, keep: &Kept) -> Response {
    match error {
        OrganisationError::NotFound => refused(paths::LIST, problem(error), &[]),
        _ => refused(&paths::ORGANISATION.of(id), problem(error), keep),
    }
}

/// The organisation of the address and who posts a form of its page, or where to go.
fn on_page(raw: &str, posted: Posted<OrganisationForm>) -> Result<(i64, i64, OrganisationForm), String> {
    let id = organisation_id(raw, paths::LIST)?;
    let (user, form) = posted.signed(&paths::ORGANISATION.of(id))?;
    Ok((id, user, form))
}

/// The organisation of a moderation form's address, the queue's page naming it (so that what
/// was typed comes back into that organisation's form only), the moderator and the form; or
/// where to go.
fn on_queue(raw: &str, posted: Posted<OrganisationForm>) -> Result<(i64, String, i64, OrganisationForm), String> {
    let id = organisation_id(raw, paths::MODERATION)?;
    let page = with_query(paths::MODERATION, &[(fields::ORGANISATION, &id.to_string())]);
    let (user, form) = posted.signed(&page)?;
    Ok((id, page, user, form))
}

/// Back to the organisation's page, saying what was done or what was wrong.
fn answer(id: i64, outcome: Result<(), OrganisationError>, done: Notice, keep: &Kept) -> Response {
    match outcome {
        Ok(()) => notice(&paths::ORGANISATION.of(id), done),
        Err(error) => back_to(id, &error, keep),
    }
}

/// A hidden id of the page's forms (a member, an invitation).
fn hidden_id(raw: &str, missing: OrganisationError) -> Result<i64, OrganisationError> {
    raw.trim().parse::<i64>().map_err(|_| missing)
}

/// POST /organisations/nouvelle
pub async fn create(State(state): State<OrganisationState>, posted: Posted<OrganisationForm>) -> Response {
    let (user, form) = or_redirect!(posted.signed(paths::NEW));
    match state.organisations.create(user, &form.kind, &form.nom, form.code()).await {
        Ok(id) => notice(&paths::ORGANISATION.of(id), Notice::Created),
        Err(error) => refused(paths::NEW, problem(&error), &kept_with(&form, &error)),
    }
}

/// POST /organisations/{id}/modification
pub async fn update(
    State(state): State<OrganisationState>,
    Path(id): Path<String>,
    posted: Posted<OrganisationForm>,
) -> Response {
    let (id, user, form) = or_redirect!(on_page(&id, posted));
    let outcome = state.organisations.update(user, id, &form.kind, &form.nom, form.code()).await;
    answer(id, outcome, Notice::Resubmitted, &form.kept())
}

/// POST /organisations/{id}/invitations
pub async fn invite(
    State(state): State<OrganisationState>,
    Path(id): Path<String>,
    posted: Posted<OrganisationForm>,
) -> Response {
    let (id, user, form) = or_redirect!(on_page(&id, posted));
    let outcome = state.organisations.invite(user, id, &form.email, &form.role).await;
    answer(id, outcome, Notice::Invited, &form.kept())
}

/// POST /organisations/{id}/invitations/annulation
pub async fn cancel_invitation(
    State(state): State<OrganisationState>,
    Path(id): Path<String>,
    posted: Posted<OrganisationForm>,
) -> Response {
    let (id, user, form) = or_redirect!(on_page(&id, posted));
    let outcome = async {
        let invitation = hidden_id(&form.invitation, OrganisationError::BadInvitation)?;
        state.organisations.cancel_invitation(user, id, invitation).await
    };
    answer(id, outcome.await, Notice::InvitationCancelled, &[])
}

/// POST /organisations/{id}/membres/retrait: removes a member, or the person leaves.
pub async fn remove_member(
    State(state): State<OrganisationState>,
    Path(id): Path<String>,
    posted: Posted<OrganisationForm>,
) -> Response {
    let (id, user, form) = or_redirect!(on_page(&id, posted));
    // Leaving or removing someone does not undo itself: the box was ticked, or nothing changes.
    if form.confirmation.trim().is_empty() {
        return redirect(&unconfirmed(&paths::ORGANISATION.of(id), &form.case));
    }
    let outcome = async {
        let member = hidden_id(&form.membre, OrganisationError::NotAMember)?;
        state.organisations.remove_member(user, id, member).await
    };
    match outcome.await {
        Ok(Removal::Left) => notice(paths::LIST, Notice::Left),
        Ok(Removal::Removed) => notice(&paths::ORGANISATION.of(id), Notice::MemberRemoved),
        Err(error) => back_to(id, &error, &[]),
    }
}

/// POST /organisations/{id}/membres/role
pub async fn change_role(
    State(state): State<OrganisationState>,
    Path(id): Path<String>,
    posted: Posted<OrganisationForm>,
) -> Response {
    let (id, user, form) = or_redirect!(on_page(&id, posted));
    let outcome = async {
        let member = hidden_id(&form.membre, OrganisationError::NotAMember)?;
        state.organisations.change_role(user, id, member, &form.role).await
    };
    answer(id, outcome.await, Notice::RoleChanged, &[])
}

/// POST /organisations/invitation: accepts the invitation of a mailed link.
pub async fn accept_invitation(State(state): State<OrganisationState>, posted: Posted<OrganisationForm>) -> Response {
    let page = with_query(paths::INVITATION, &[(fields::TOKEN, posted.fields.jeton.trim())]);
    let (user, form) = or_redirect!(posted.signed(&page));
    match state.organisations.accept_invitation(user, &form.jeton).await {
        Ok(id) => notice(&paths::ORGANISATION.of(id), Notice::Joined),
        Err(error) => refused(paths::INVITATION, problem(&error), &form.kept()),
    }
}

/// POST /organisations/{id}/fermeture: an owner closes the organisation.
pub async fn close(
    State(state): State<OrganisationState>,
    Path(id): Path<String>,
    posted: Posted<OrganisationForm>,
) -> Response {
    let (id, user, form) = or_redirect!(on_page(&id, posted));
    let confirmed = !form.confirmation.trim().is_empty();
    let outcome = state.organisations.close(user, id, &form.message, confirmed).await;
    answer(id, outcome, Notice::ClosedNow, &form.kept())
}

/// POST /moderation/{id}/fermeture: a moderator closes an organisation that has no owner.
pub async fn moderator_close(
    State(state): State<OrganisationState>,
    Path(id): Path<String>,
    posted: Posted<OrganisationForm>,
) -> Response {
    let (id, page, user, form) = or_redirect!(on_queue(&id, posted));
    let confirmed = !form.confirmation.trim().is_empty();
    match state.organisations.close_ownerless(user, id, &form.message, confirmed).await {
        Ok(()) => notice(paths::MODERATION, Notice::ClosedNow),
        Err(error) => refused(&page, problem(&error), &form.kept()),
    }
}

/// POST /moderation/{id}/reprise: a moderator becomes owner of an organisation that has none.
pub async fn take_over(
    State(state): State<OrganisationState>,
    Path(id): Path<String>,
    posted: Posted<OrganisationForm>,
) -> Response {
    let id = or_redirect!(organisation_id(&id, paths::MODERATION));
    let (user, _) = or_redirect!(posted.signed(paths::MODERATION));
    match state.organisations.take_over(user, id).await {
        Ok(()) => notice(&paths::ORGANISATION.of(id), Notice::TakenOver),
        Err(error) => refused(paths::MODERATION, problem(&error), &[]),
    }
}

/// POST /moderation/{id}/approbation
pub async fn approve(
    State(state): State<OrganisationState>,
    Path(id): Path<String>,
    posted: Posted<OrganisationForm>,
) -> Response {
    let id = or_redirect!(organisation_id(&id, paths::MODERATION));
    let (user, _) = or_redirect!(posted.signed(paths::MODERATION));
    match state.organisations.approve(user, id).await {
        Ok(()) => notice(paths::MODERATION, Notice::Approved),
        Err(error) => refused(paths::MODERATION, problem(&error), &[]),
    }
}

/// POST /moderation/{id}/refus
pub async fn reject(
    State(state): State<OrganisationState>,
    Path(id): Path<String>,
    posted: Posted<OrganisationForm>,
) -> Response {
    let (id, page, user, form) = or_redirect!(on_queue(&id, posted));
    match state.organisations.reject(user, id, &form.motif).await {
        Ok(()) => notice(paths::MODERATION, Notice::Rejected),
        Err(error) => refused(&page, problem(&error), &form.kept()),
    }
}

/// POST /moderation/{id}/question: a moderator asks the owners of an organisation waiting
/// for verification a question; back to its item of the queue.
pub async fn ask(
    State(state): State<OrganisationState>,
    Path(id): Path<String>,
    posted: Posted<OrganisationForm>,
) -> Response {
    let (id, page, user, form) = or_redirect!(on_queue(&id, posted));
    match state.organisations.ask(user, id, &form.question).await {
        Ok(()) => {
            let done = with_query(paths::MODERATION, &[("info", Notice::QuestionSent.code())]);
            redirect(&format!("{done}#organisation-{id}"))
        }
        Err(error) => refused(&page, problem(&error), &form.kept()),
    }
}

/// POST /organisations/{id}/reponse: an owner answers the moderation's question.
pub async fn answer_question(
    State(state): State<OrganisationState>,
    Path(id): Path<String>,
    posted: Posted<OrganisationForm>,
) -> Response {
    let (id, user, form) = or_redirect!(on_page(&id, posted));
    let outcome = state.organisations.answer(user, id, &form.reponse).await;
    answer(id, outcome, Notice::Answered, &form.kept())
}

/// POST /moderation/courriels/{id}/renvoi: a failed mail goes back in the outbox.
pub async fn requeue_mail(
    State(state): State<OrganisationState>,
    Path(id): Path<String>,
    posted: Posted<OrganisationForm>,
) -> Response {
    let (user, _) = or_redirect!(posted.signed(paths::MODERATION));
    let Ok(mail) = id.parse::<i64>() else {
        return refused(paths::MODERATION, Problem::MailNotFailed.code(), &[]);
    };
    match state.organisations.requeue_mail(user, mail).await {
        Ok(()) => notice(paths::MODERATION, Notice::MailRequeued),
        Err(error) => refused(paths::MODERATION, problem(&error), &[]),
    }
}

/// The routes of the organisation and moderation forms.
pub fn routes(organisations: Organisations) -> Routes {
    Routes::new()
        .post(paths::NEW, create)
        .post(paths::INVITATION, accept_invitation)
        .post(paths::EDIT.pattern(), update)
        .post(paths::INVITE.pattern(), invite)
        .post(paths::CANCEL_INVITATION.pattern(), cancel_invitation)
        .post(paths::REMOVE_MEMBER.pattern(), remove_member)
        .post(paths::CHANGE_ROLE.pattern(), change_role)
        .post(paths::CLOSE.pattern(), close)
        .post(paths::MODERATOR_CLOSE.pattern(), moderator_close)
        .post(paths::TAKE_OVER.pattern(), take_over)
        .post(paths::APPROVE.pattern(), approve)
        .post(paths::REJECT.pattern(), reject)
        .post(paths::REQUEUE_MAIL.pattern(), requeue_mail)
        .post(paths::ASK.pattern(), ask)
        .post(paths::ANSWER.pattern(), answer_question)
        .with_state(OrganisationState { organisations })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn infrastructure_failures_read_as_unavailable_and_the_rest_as_their_own_code() {
        assert_eq!(problem(&OrganisationError::Database(sqlx::Error::RowNotFound)), "indisponible");
        assert_eq!(problem(&OrganisationError::LastOwner), Problem::LastOwner.code());
    }
}
